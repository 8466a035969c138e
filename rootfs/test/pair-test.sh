#!/usr/bin/env bash
# make image-pair-test: the reference vendor's HA acceptance test, automated.
# Two appliances booted from the KVM qcow2 under QEMU, provisioned as lbos-1
# (preferred master) and lbos-2 by seed disks:
#   eth0  QEMU user network each (management; SSH and HTTPS forwarded on 127.0.0.1)
#   eth1  one QEMU socket network on 127.0.0.1 between them (heartbeat LAN, VIP 198.19.0.100)
#   ttyS1 a QEMU serial chardev socket on 127.0.0.1 between them (the null-modem cable)
# Waits until both run every service and exactly one is active with the VIP and
# sees its peer on both links; powers off the active one (QEMU killed: power
# pulled) and checks the other takes over the VIP. Prints the failover time.
REPO=$(cd "$(dirname "$0")/../.." && pwd)
ROOTFS_DIR=$REPO/rootfs
. "$ROOTFS_DIR/lib/common.sh"
. "$ROOTFS_DIR/test/lib.sh"
set -uo pipefail
OUT=${OUT:-$REPO/out}
READY_DEADLINE_S=${READY_DEADLINE_S:-600}
VERSION=$(node -p "require('$REPO/package.json').version")
QCOW=$OUT/lbos-$VERSION-kvm.qcow2
VIP=198.19.0.100
trap cleanup_vms EXIT
trap 'exit 130' INT TERM
need_tools qemu-system-x86_64 ssh ssh-keygen mkfs.vfat mcopy python3
[ -f "$QCOW" ] || die "$QCOW missing: make image-kvm first"

fail() { echo "FAIL pair: $*"; echo "0 passed, 1 failed"; exit 1; }

base=$(mktemp -d /tmp/lbos-pairtest.XXXXXX); TEST_DIRS+=("$base")
ssh-keygen -q -t ed25519 -N '' -C pair-test -f "$base/key"
KEY=$base/key
HB_PORT=$(free_port); SERIAL_PORT=$(free_port)
declare -A SSH WEB PID
for n in 1 2; do
  d=$base/u$n; mkdir -p "$d"
  seed_files "$d/seed" "$n" "lbos-$n" "$base/key.pub" pair
  make_seed "$d" "$d/seed"
done
accel_decide "$QCOW" qcow2 || fail "bad LBOS_ACCEL"
stage pair "starting lbos-1 and lbos-2 (heartbeat LAN 127.0.0.1:$HB_PORT, serial cable 127.0.0.1:$SERIAL_PORT)"
start_vm lbos-1 "$base/u1" "$QCOW" qcow2 bios virtio \
  -netdev "socket,id=hb,listen=127.0.0.1:$HB_PORT" -device virtio-net-pci,netdev=hb,mac=52:54:00:00:01:02 \
  -chardev "socket,id=cable,host=127.0.0.1,port=$SERIAL_PORT,server=on,wait=off" -serial chardev:cable \
  || fail "qemu lbos-1 did not start"
SSH[1]=$VM_SSH_PORT; WEB[1]=$VM_WEB_PORT; PID[1]=${QEMU_PIDS[-1]}; T0=$VM_T0
start_vm lbos-2 "$base/u2" "$QCOW" qcow2 bios virtio \
  -netdev "socket,id=hb,connect=127.0.0.1:$HB_PORT" -device virtio-net-pci,netdev=hb,mac=52:54:00:00:02:02 \
  -chardev "socket,id=cable,host=127.0.0.1,port=$SERIAL_PORT,reconnect=1" -serial chardev:cable \
  || fail "qemu lbos-2 did not start"
SSH[2]=$VM_SSH_PORT; WEB[2]=$VM_WEB_PORT; PID[2]=${QEMU_PIDS[-1]}

for n in 1 2; do
  wait_ready_console "$base/u$n/console.log" "${SSH[$n]}" "$KEY" "$READY_DEADLINE_S" || fail "lbos-$n: services not ready (console $base/u$n/console.log)"
  note "lbos-$n: all services active $(( ($(date +%s%3N) - T0) / 1000 )) s after start"
done

status() { vm_ssh "${SSH[$1]}" "$KEY" hactl status --json 2>/dev/null; }
has_vip() { vm_ssh "${SSH[$1]}" "$KEY" ip -o addr show dev eth1 2>/dev/null | grep -q " $VIP/"; }

# One active with the VIP, the other passive, each seeing the other on ucast and serial.
active=""
deadline=$(( $(date +%s) + 180 ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  s1=$(status 1) s2=$(status 2)
  verdict=$(python3 - "$s1" "$s2" <<'PY'
import json, sys
try:
    a, b = (json.loads(x) for x in sys.argv[1:3])
except Exception:
    print('wait'); sys.exit()
def links_up(s): return {l['kind'] for l in s['links'] if l['status'] == 'up'}
act = [n for n, s in ((1, a), (2, b)) if s['state'] == 'active']
if len(act) == 1 and all(len(links_up(s)) >= 2 for s in (a, b)):
    print(act[0])
else:
    print('wait', [(s['node'], s['state'], sorted(links_up(s))) for s in (a, b)])
PY
)
  case $verdict in 1|2) active=$verdict; break ;; esac
  sleep 2
done
[ -n "$active" ] || fail "no single active unit with both links up: $verdict"
other=$((3 - active))
has_vip "$active" || fail "lbos-$active is active but has no $VIP on eth1"
has_vip "$other" && fail "both units hold $VIP"
note "lbos-$active active with $VIP; lbos-$other passive; both see each other on UDP and the serial cable"

# Watch for the VIP on the survivor over an open SSH session, then pull the master's power.
vm_ssh "${SSH[$other]}" "$KEY" "echo watching; for i in \$(seq 1200); do ip -o addr show dev eth1 | grep -q ' $VIP/' && { echo TAKEOVER; exit 0; }; sleep 0.05; done; echo TIMEOUT" > "$base/watch.log" 2>&1 &
watcher=$!
wait_console "$base/watch.log" '^watching' 60 || fail "could not watch lbos-$other"
stage failover "powering off lbos-$active (QEMU killed, PID ${PID[$active]})"
t_kill=$(date +%s%3N)
kill -9 "${PID[$active]}"
wait_console "$base/watch.log" '^(TAKEOVER|TIMEOUT)' 120 || true
t_vip=$(date +%s%3N)
kill "$watcher" 2>/dev/null || true
grep -q TAKEOVER "$base/watch.log" || fail "lbos-$other did not take over $VIP within 60 s"
failover_ms=$(( t_vip - t_kill ))
st=$(status "$other")
python3 -c 'import json,sys; s=json.loads(sys.argv[1]); sys.exit(0 if s["state"]=="active" else "state "+s["state"])' "$st" \
  || fail "lbos-$other has the VIP but hactl says otherwise: $st"
printf '{"failover_ms":%s,"survivor":"lbos-%s","deadtime_s":4,"accel":"%s"}\n' "$failover_ms" "$other" "$(accel)" > "$OUT/image-pair-test.json"
echo "ok   pair: lbos-$other took over $VIP ${failover_ms} ms after lbos-$active lost power (deadtime 4 s, $(accel))"
echo "1 passed, 0 failed"
