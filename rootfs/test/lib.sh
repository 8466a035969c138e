# Boot-test helpers (sourced): QEMU under TCG (or KVM when it really works),
# a seed disk for provisioning, SSH and the statusd feed through ports
# forwarded on 127.0.0.1 only. Every QEMU is killed by its PID on exit.

QEMU_PIDS=()
TEST_DIRS=()
cleanup_vms() {
  local p
  for p in "${QEMU_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${QEMU_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  QEMU_PIDS=()
  [ "${KEEP_TEST_DIRS:-0}" = 1 ] || for p in "${TEST_DIRS[@]}"; do rm -rf "$p"; done
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# KVM or TCG: accel_decide, accel, the fallback (accel.sh); the disk layout
# (slot A's offset, for the probe's kernel).
. "$ROOTFS_DIR/lib/layout.sh"
. "$ROOTFS_DIR/test/accel.sh"

# make_seed DIR FILES_DIR -> DIR/seed.img: FAT, label LBOSSEED, FILES_DIR's tree.
make_seed() {
  local img=$1/seed.img src=$2
  rm -f "$img"; mkfs.vfat -n LBOSSEED -C "$img" 4096 >/dev/null
  MTOOLS_SKIP_CHECK=1 mcopy -s -i "$img" "$src"/* ::/
}

# make_seed_iso DIR FILES_DIR -> DIR/seed.iso: the README's ISO (VMware,
# VirtualBox: a CD on the IDE controller), made with the README's command.
make_seed_iso() {
  genisoimage -quiet -V LBOSSEED -r -J -o "$1/seed.iso" "$2/"
}

# seed_files DIR NODE HOSTNAME PUBKEY [PAIR_SPEC]: a unit's provisioning tree.
#   single: eth0 10.0.2.15/24 (QEMU user network); pair: also eth1 on the heartbeat LAN.
seed_files() {
  local d=$1 node=$2 host=$3 pub=$4 pair=${5:-}
  mkdir -p "$d/etc/lbos" "$d/etc/ha.d" "$d/etc/csyncd" "$d/root/.ssh"
  local me=198.19.0.$node peer=198.19.0.$((3 - node))
  cat > "$d/etc/lbos/network.conf" <<NET
hostname $host
interface eth0
    address 10.0.2.15/24
    gateway 10.0.2.2
interface eth1
    address $me/24
NET
  cat > "$d/etc/ha.d/ha.cf" <<HA
ucast eth1 $peer
${pair:+serial /dev/ttyS1}
${pair:+baud 115200}
keepalive 500ms
warntime 2
deadtime 4
initdead 8
auto_failback off
node lbos-1
node lbos-2
HA
  echo "lbos-1 IPaddr2::198.19.0.100/24/eth1" > "$d/etc/ha.d/haresources"
  printf 'auth 3\n3 sha256 %s\n' "lbos-image-test-secret-0123456789abcdef" > "$d/etc/ha.d/authkeys"
  printf 'LOCAL_IP=%s\nREMOTE_IP=%s\nLOCAL_NODE=%s\nREMOTE_NODE=%s\n' "$me" "$peer" "$node" "$((3 - node))" > "$d/etc/csyncd/csyncd.cfg"
  cp "$pub" "$d/root/.ssh/authorized_keys"
}

# start_vm NAME DIR DISK FORMAT FIRMWARE(bios|uefi) PROFILE(virtio|vmware|vbox) [extra qemu args...]
# Sets VM_SSH_PORT, VM_WEB_PORT, VM_T0 (epoch ms) and records the PID.
#   virtio  q35, virtio disk and NICs (KVM, and the others' paravirtual path)
#   vmware  i440FX + PIIX (VMware's 440BX/PIIX4 has the same IDE), PVSCSI + VMXNET3 as the OVF declares
#   vbox    i440FX + PIIX (VirtualBox's default chipset), an Intel E1000 (what
#           VirtualBox makes of VMXNET3) and the disk on an LSI Logic controller,
#           as VirtualBox imports the OVA. QEMU has no LSI 53c1030 (mptspi):
#           its closest is the SAS1068 (mptsas1068; Linux's mptsas, same
#           Fusion-MPT family). LSI_CONTROLLER=ahci puts the disk on AHCI
#           (SATA, VirtualBox's default controller for a new VM) instead.
# Memory: 2 GiB, what "Deploying the virtual appliance" asks for.
# The seed: DIR/seed.iso as a CD on the secondary IDE master (the README's
# VMware/VirtualBox route), else DIR/seed.img as a virtio disk.
VM_MEMORY_MIB=2048
start_vm() {
  local name=$1 dir=$2 disk=$3 fmt=$4 fw=$5 profile=$6; shift 6
  VM_SSH_PORT=$(free_port); VM_WEB_PORT=$(free_port)
  local machine=q35
  case $profile in vmware|vbox) machine=pc ;; esac
  local args=(-name "$name" -accel "$(accel)" -M "$machine" -smp 2 -m "$VM_MEMORY_MIB" -nodefaults -display none
    -serial "file:$dir/console.log" -device virtio-rng-pci
    -pidfile "$dir/qemu.pid" -daemonize)
  [ "$(accel)" = tcg ] && args+=(-accel tcg,thread=multi)
  if [ "$fw" = uefi ]; then
    cp /usr/share/OVMF/OVMF_VARS_4M.fd "$dir/vars.fd"
    args+=(-drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd -drive "if=pflash,format=raw,file=$dir/vars.fd")
  fi
  local nic=virtio-net-pci
  if [ "$profile" = vmware ]; then
    # What the OVF declares: PVSCSI disk controller, VMXNET3 NICs.
    args+=(-device pvscsi,id=scsi0 -drive "if=none,id=d0,file=$disk,format=$fmt,snapshot=on" -device scsi-hd,drive=d0,bus=scsi0.0,bootindex=0)
    nic=vmxnet3
  elif [ "$profile" = vbox ]; then
    # The disk needs a WWN on the SAS1068: QEMU's mptsas gives the attached
    # device's SAS address as the disk's wwn (SAS Device Page 0), 0 unless
    # set, and Linux's mptsas forms no port for an address of 0: the phy
    # links up (phy-0:0, 3.0 Gbit, ssp end device) but no end device, no
    # target scan, no sda (rootfs/README.md, "VirtualBox").
    case ${LSI_CONTROLLER:-mptsas1068} in
      mptsas1068)
        args+=(-device mptsas1068,id=scsi0 -drive "if=none,id=d0,file=$disk,format=$fmt,snapshot=on"
          -device scsi-hd,drive=d0,bus=scsi0.0,scsi-id=0,wwn=0x5000c2a0b0c0d0e0,bootindex=0) ;;
      ahci)
        args+=(-device ich9-ahci,id=sata -drive "if=none,id=d0,file=$disk,format=$fmt,snapshot=on" -device ide-hd,drive=d0,bus=sata.0,bootindex=0) ;;
      *) echo "LSI_CONTROLLER=$LSI_CONTROLLER: mptsas1068 or ahci" >&2; return 1 ;;
    esac
    nic=e1000
  else
    args+=(-drive "if=none,id=d0,file=$disk,format=$fmt,snapshot=on" -device virtio-blk-pci,drive=d0,bootindex=0)
  fi
  args+=(-netdev "user,id=mgmt,net=10.0.2.0/24,hostfwd=tcp:127.0.0.1:$VM_SSH_PORT-:22,hostfwd=tcp:127.0.0.1:$VM_WEB_PORT-:9443"
    -device "$nic,netdev=mgmt,mac=52:54:00:00:0${name: -1}:01")
  # eth1 (heartbeat NIC): the caller's (pair test) or a hub port leading nowhere.
  local a has_hb=0
  for a in "$@"; do [[ $a == *id=hb* ]] && has_hb=1; done
  [ "$has_hb" = 1 ] || args+=(-netdev hubport,id=hb,hubid=9 -device "$nic,netdev=hb,mac=52:54:00:00:0${name: -1}:02")
  if [ -f "$dir/seed.iso" ]; then
    args+=(-drive "if=ide,index=2,media=cdrom,file=$dir/seed.iso,format=raw,readonly=on")
  elif [ -f "$dir/seed.img" ]; then
    args+=(-drive "if=virtio,file=$dir/seed.img,format=raw,readonly=on")
  fi
  VM_T0=$(date +%s%3N)
  qemu-system-x86_64 "${args[@]}" "$@" || return 1
  QEMU_PIDS+=("$(cat "$dir/qemu.pid")")
}

vm_ssh() { # PORT KEY CMD...
  local port=$1 key=$2; shift 2
  ssh -q -p "$port" -i "$key" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
    -o ConnectTimeout=20 -o ServerAliveInterval=10 -o ServerAliveCountMax=30 root@127.0.0.1 "$@"
}

# wait_ready PORT KEY DEADLINE_S -> 0 when nicd hbd csyncd statusd are all active.
# Once sshd answers, one session waits inside the guest (systemctl every 0.2 s).
# An SSH login per second instead (same image, TCG) saw readiness ~3-4 s late
# and slowed the guest's own kernel -> ready time by ~1.5 s. Even the one
# session costs the booting guest seconds of CPU (sshd, PAM, user@0, the
# polling): to time a boot, use wait_ready_console first.
APPLIANCE_UNITS="nicd hbd csyncd statusd"
wait_ready() {
  local port=$1 key=$2 deadline=$(( $(date +%s) + $3 )) out rc
  while [ "$(date +%s)" -lt "$deadline" ]; do
    out=$(vm_ssh "$port" "$key" "left=$(( deadline - $(date +%s) )); units='$APPLIANCE_UNITS'; $(declare -f guest_wait_active); guest_wait_active" 2>/dev/null) && rc=0 || rc=$?
    [ $rc -eq 0 ] && return 0
    [ $rc -ne 255 ] && { echo "units: $APPLIANCE_UNITS -> $out" >&2; return 1; }
    sleep 1 # 255: sshd not up yet
  done
  echo "units: $APPLIANCE_UNITS -> no answer over SSH" >&2
  return 1
}

# wait_ready_console CONSOLE_LOG PORT KEY DEADLINE_S: waits for lbos-ready's
# console line without touching the booting guest, then checks over SSH (and
# waits there if the line said a service was not active yet, e.g. restarting).
# Sets VM_READY_MS: ms after VM_T0 when all were seen ready (the line, or SSH).
READY_LINE='LBOS: (all services ready|services NOT all ready)'
wait_ready_console() {
  local console=$1 port=$2 key=$3 limit=$4
  wait_console "$console" "$READY_LINE" "$limit" || { echo "no \"LBOS: ... ready\" line on the console ($console)" >&2; return 1; }
  VM_READY_MS=$(( $(date +%s%3N) - VM_T0 ))
  grep -aqE 'LBOS: all services ready' "$console" || { grep -aE "$READY_LINE" "$console" >&2; VM_READY_MS=""; }
  wait_ready "$port" "$key" "$limit" || return 1
  [ -n "$VM_READY_MS" ] || VM_READY_MS=$(( $(date +%s%3N) - VM_T0 ))
}

# Runs in the guest (sent by wait_ready): 0 once $units are all active, 1 with
# their states when one failed or $left seconds passed.
guest_wait_active() {
  local end=$(( $(date +%s) + left )) s want="" u
  for u in $units; do want+="active "; done
  while :; do
    s=$(systemctl is-active $units | tr '\n' ' ')
    [ "$s" = "$want" ] && return 0
    case " $s" in *" failed "*) echo "$s"; return 1 ;; esac
    [ "$(date +%s)" -lt "$end" ] || { echo "$s"; return 1; }
    sleep 0.2
  done
}

# first_login WEB_PORT INITIAL_FILE NEW_FILE: what the page does at the first
# login, over HTTPS: log in with the unit's initial password (the answer must
# say it has to be changed), change it to the first line of NEW_FILE.
first_login() {
  timeout 60 python3 - "https://127.0.0.1:$1" "$2" "$3" <<'PY'
import json, ssl, sys, urllib.request
base, initial, new = sys.argv[1], open(sys.argv[2]).read().strip(), open(sys.argv[3]).read().strip()
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
def post(path, body, headers={}):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), method='POST', headers={'content-type': 'application/json', **headers})
    with urllib.request.urlopen(req, context=ctx, timeout=30) as r:
        return json.loads(r.read()), r.headers.get('set-cookie', '').split(';')[0]
s, cookie = post('/api/login', {'user': 'admin', 'password': initial})
if s.get('mustChangePassword') is not True: sys.exit(f'first login: the initial password is not asked to be changed: {s}')
r, _ = post('/api/password', {'current': initial, 'password': new}, {'cookie': cookie, 'x-csrf-token': s['csrf']})
if r.get('mustChangePassword') is not False: sys.exit(f'first login: password change: {r}')
PY
}

# feed_check WEB_PORT SSH_PORT KEY DIR: the statusd feed, through the forwarded
# port, reports every unit active. The first login (first_login) changes the
# unit's own initial password first, as a person's does.
feed_check() {
  local web=$1 port=$2 key=$3 dir=$4
  vm_ssh "$port" "$key" cat /var/lib/lbos/statusd/initial-password > "$dir/initial-password" || { echo "no initial password" >&2; return 1; }
  echo "image test $(basename "$dir") web password" > "$dir/password"
  first_login "$web" "$dir/initial-password" "$dir/password" || return 1
  timeout 60 node "$REPO/dist/services/statusd/statusctl.js" watch --url "https://127.0.0.1:$web" --user admin \
    --password-file "$dir/password" --insecure --json --count 1 --no-reconnect > "$dir/feed.json" 2> "$dir/feed.err" \
    || { cat "$dir/feed.err" >&2; return 1; }
  python3 - "$dir/feed.json" $APPLIANCE_UNITS <<'PY'
import json, sys
units = None
for line in open(sys.argv[1]):
    line = line.strip()
    if not line: continue
    m = json.loads(line)
    def find(o):
        if isinstance(o, dict):
            if 'units' in o and isinstance(o['units'], dict): return o['units']
            for v in o.values():
                r = find(v)
                if r is not None: return r
        return None
    units = find(m) or units
if units is None: sys.exit('feed: no systemd units in the snapshot')
bad = {u: units.get(u + '.service', units.get(u)) for u in sys.argv[2:]}
bad = {u: s for u, s in bad.items() if not s or s.get('active') != 'active'}
if bad: sys.exit(f'feed: not active: {bad}')
PY
}

wait_console() { # FILE REGEX DEADLINE_S
  local deadline=$(( $(date +%s) + $3 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    grep -aqE "$2" "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

wait_exit() { # PID DEADLINE_S
  local deadline=$(( $(date +%s) + $2 ))
  while kill -0 "$1" 2>/dev/null; do [ "$(date +%s)" -lt "$deadline" ] || return 1; sleep 0.5; done
}
