#!/usr/bin/env bash
# make image-test: boot what customers import, as they import it, under QEMU.
#   rootfs/test/image-test.sh [case...]   cases: kvm-bios kvm-uefi vmware vbox hyperv-gen2 hyperv-gen1 xen raw update
# For each: check the artifact's sha256, unpack it the way its hypervisor does
# (OVA: tar + OVF/manifest check; XVA: chunks + SHA1 -> disk), boot it with a
# seed disk (provisioning), wait for the console banner, for nicd hbd csyncd
# statusd active over SSH, and for the same in statusd's live feed through the
# forwarded HTTPS port; then power it off. Ends with "N passed, N failed".
REPO=$(cd "$(dirname "$0")/../.." && pwd)
ROOTFS_DIR=$REPO/rootfs
. "$ROOTFS_DIR/lib/common.sh"
. "$ROOTFS_DIR/test/lib.sh"
set -uo pipefail
OUT=${OUT:-$REPO/out}
READY_DEADLINE_S=${READY_DEADLINE_S:-600}
VERSION=$(node -p "require('$REPO/package.json').version")
A="$OUT/lbos-$VERSION"
trap cleanup_vms EXIT
trap 'exit 130' INT TERM
need_tools qemu-system-x86_64 qemu-img ssh ssh-keygen mkfs.vfat mcopy zstd python3
[ -f "$REPO/dist/services/statusd/statusctl.js" ] || die "dist/ missing: run make build"

cases=("$@"); [ ${#cases[@]} -gt 0 ] || cases=(kvm-bios kvm-uefi vmware vbox hyperv-gen2 hyperv-gen1 xen raw update)
passed=0 failed=0 results=() T_RUN=$(date +%s) LBOS_ACCEL_WHY=${LBOS_ACCEL_WHY:-}

# prepare CASE DIR -> DISK FMT FW PROFILE (echoed)
prepare() {
  local c=$1 dir=$2
  case $c in
    kvm-bios|kvm-uefi)
      check_sum "$A-kvm.qcow2" && echo "$A-kvm.qcow2 qcow2 ${c#kvm-} virtio" ;;
    update)
      check_sum "$A-kvm.qcow2" && check_sum "$A-update-cloud.img.zst" && echo "$A-kvm.qcow2 qcow2 bios virtio" ;;
    vmware|vbox)
      check_sum "$A-vmware.ova" || return 1
      local first; first=$(tar -tf "$A-vmware.ova" | head -n1)
      [ "$first" = "lbos-$VERSION.ovf" ] || { echo "OVA: first member is $first, not the OVF" >&2; return 1; }
      tar -xf "$A-vmware.ova" -C "$dir" || return 1
      python3 "$ROOTFS_DIR/lib/ovf.py" check --ovf "$dir/lbos-$VERSION.ovf" --mf "$dir/lbos-$VERSION.mf" || return 1
      echo "$dir/lbos-$VERSION-disk1.vmdk vmdk bios $c" ;;
    hyperv-gen2)
      check_sum "$A-hyperv-gen2.vhdx" && echo "$A-hyperv-gen2.vhdx vhdx uefi virtio" ;;
    hyperv-gen1)
      check_sum "$A-hyperv-gen1.vhd" || return 1
      qemu-img info --output=json -f vpc "$A-hyperv-gen1.vhd" | grep -q '"virtual-size"' || return 1
      echo "$A-hyperv-gen1.vhd vpc bios virtio" ;;
    xen)
      check_sum "$A-xen.xva" || return 1
      python3 "$ROOTFS_DIR/lib/xva.py" extract --xva "$A-xen.xva" --out "$dir/xva-disk.raw" >&2 || return 1
      echo "$dir/xva-disk.raw raw bios virtio" ;;
    raw)
      check_sum "$A-raw.img.zst" || return 1
      zstd -q -d "$A-raw.img.zst" -o "$dir/flash.raw" || return 1
      echo "$dir/flash.raw raw uefi virtio" ;;
    *) echo "unknown case $c" >&2; return 1 ;;
  esac
}

# boot_case NAME DIR DISK FMT FW PROFILE [qemu args...]: start_vm, then wait
# for the console banner. On a KVM the probe chose (not forced), a boot that
# shows no banner within LBOS_KVM_BANNER_S (~10 s is normal there) is taken
# as KVM hanging the guest: that QEMU is killed, the rest of the run is on
# TCG (kvm_fallback), and the case starts again (its KVM console is kept as
# console-kvm.log).
BANNER_RE="LBOS load balancer $VERSION \\(lbos-1\\)"
boot_case() {
  local dir=$2 limit=$READY_DEADLINE_S
  kvm_may_fall_back && limit=$LBOS_KVM_BANNER_S
  start_vm "$@" || { CASE_MSG="qemu did not start"; return 1; }
  wait_console "$dir/console.log" "$BANNER_RE" "$limit" && return 0
  if kvm_may_fall_back; then
    local pid=${QEMU_PIDS[-1]} last
    kill "$pid" 2>/dev/null; wait_exit "$pid" 10 || kill -9 "$pid" 2>/dev/null
    last=$(grep -a . "$dir/console.log" | tail -n 1 | tr -d '\r' | cut -c1-100)
    mv "$dir/console.log" "$dir/console-kvm.log"
    kvm_fallback "no console banner within $LBOS_KVM_BANNER_S s under KVM (last console line: ${last:-none})"
    start_vm "$@" || { CASE_MSG="qemu did not start (TCG, after KVM)"; return 1; }
    wait_console "$dir/console.log" "$BANNER_RE" "$READY_DEADLINE_S" && return 0
  fi
  CASE_MSG="no console banner"; return 1
}

check_sum() {
  [ -f "$1" ] || { echo "$1 missing (make image first)" >&2; return 1; }
  (cd "$(dirname "$1")" && sha256sum --quiet -c "$(basename "$1").sha256") || { echo "$1: sha256 mismatch" >&2; return 1; }
}

run_case() {
  local c=$1 dir; dir=$(mktemp -d /tmp/lbos-imgtest.XXXXXX); TEST_DIRS+=("$dir"); CASE_DIR=$dir
  local spec; spec=$(prepare "$c" "$dir") || { CASE_MSG="unpacking/checking the artifact failed"; return 1; }
  local disk fmt fw profile; read -r disk fmt fw profile <<< "$spec"
  ssh-keygen -q -t ed25519 -N '' -C image-test -f "$dir/key"
  seed_files "$dir/seed" 1 lbos-1 "$dir/key.pub"
  # VMware and VirtualBox: the seed as the README says to attach it there, an
  # ISO in a CD drive on the IDE controller; elsewhere a disk.
  case $c in
    vmware|vbox) make_seed_iso "$dir" "$dir/seed" || { CASE_MSG="genisoimage failed"; return 1; } ;;
    *) make_seed "$dir" "$dir/seed" ;;
  esac
  local extra=()
  [ "$c" = raw ] && metal_rig_args "$dir" extra
  accel_decide "$disk" "$fmt" || { CASE_MSG="bad LBOS_ACCEL"; return 1; }
  boot_case "lbos-1" "$dir" "$disk" "$fmt" "$fw" "$profile" "${extra[@]}" || return 1
  local pid=${QEMU_PIDS[-1]}
  local t_banner=$(( $(date +%s%3N) - VM_T0 ))
  wait_ready_console "$dir/console.log" "$VM_SSH_PORT" "$dir/key" "$READY_DEADLINE_S" || { CASE_MSG="services not ready"; return 1; }
  local t_ready=$VM_READY_MS
  # The guest's own view: kernel start -> the last of the units became active.
  local k_ready; k_ready=$(vm_ssh "$VM_SSH_PORT" "$dir/key" systemctl show -p ActiveEnterTimestampMonotonic --value $APPLIANCE_UNITS \
    | sort -n | tail -n 1)
  if [[ $k_ready =~ ^[0-9]+$ ]]; then k_ready=$(( k_ready / 1000 )); else k_ready=null; fi
  feed_check "$VM_WEB_PORT" "$VM_SSH_PORT" "$dir/key" "$dir" || { CASE_MSG="statusd feed check failed"; return 1; }
  vm_ssh "$VM_SSH_PORT" "$dir/key" "systemd-analyze; systemd-analyze blame | head -n 15; systemd-analyze critical-chain ${APPLIANCE_UNITS// /.service }.service" > "$OUT/image-test-$c-analyze.txt" 2>&1 || true
  local slot; slot=$(vm_ssh "$VM_SSH_PORT" "$dir/key" cat /run/lbos/slot)
  [ "$slot" = A ] || { CASE_MSG="booted slot '$slot', expected A"; return 1; }
  if [ "$c" = update ]; then ab_update "$dir" || return 1; fi
  if [ "$c" = raw ]; then
    vlan_bond_check "$dir" || return 1
    panel_check "$dir" || return 1
    hw_test_check "$dir" || return 1
  fi
  if [ "$c" = vmware ] || [ "$c" = vbox ]; then hw_drivers_check "$dir" "$c" || return 1; fi
  vm_ssh "$VM_SSH_PORT" "$dir/key" systemctl poweroff >/dev/null 2>&1 || true
  wait_exit "$pid" 180 || echo "(poweroff took over 180 s: killed)" >&2
  results+=("{\"case\":\"$c\",\"firmware\":\"$fw\",\"format\":\"$fmt\",\"accel\":\"$(accel)\",\"banner_ms\":$t_banner,\"ready_ms\":$t_ready,\"kernel_to_ready_ms\":$k_ready}")
  CASE_MSG="banner ${t_banner} ms, all services ready ${t_ready} ms after QEMU started (${k_ready} ms after the kernel did; $(accel), $fw, $fmt)"
}

# vlan_bond_check DIR: nicd makes an 802.1Q VLAN and an active-backup bond on
# the booted appliance. Neither module is loaded at boot, and nicd's unit may
# not load modules (ProtectKernelModules=yes): the kernel loads them when nicd
# asks for the link (services/nicd/adapters/kernel.ts).
vlan_bond_check() {
  local dir=$1 out
  out=$(vm_ssh "$VM_SSH_PORT" "$dir/key" 'set -e
    [ "$(lsmod | grep -cE "^(8021q|bonding) ")" = 0 ] || { echo "8021q or bonding loaded at boot"; exit 1; }
    cp /etc/lbos/network.conf /run/network.conf.orig
    cat /run/network.conf.orig - > /etc/lbos/network.conf <<NET
vlan eth1.100 eth1 100
    address 198.18.100.1/24
bond bond0 active-backup eth2
    address 198.18.200.1/24
NET
    systemctl reload nicd
    for i in $(seq 120); do
      ip -br addr show bond0 2>/dev/null | grep -q 198.18.200.1/24 && ip -br addr show eth1.100 2>/dev/null | grep -q 198.18.100.1/24 && break
      sleep 0.5
    done
    ip -d link show eth1.100 | grep -q "vlan protocol 802.1Q id 100" || { echo "no VLAN eth1.100: $(journalctl -u nicd -o cat -n 5)"; exit 1; }
    [ "$(cat /sys/class/net/bond0/bonding/mode)" = "active-backup 1" ] || { echo "no active-backup bond0: $(journalctl -u nicd -o cat -n 5)"; exit 1; }
    if ip link show lbosprobe0 >/dev/null 2>&1; then echo "the probe link lbosprobe0 was left behind"; exit 1; fi
    echo "VLAN eth1.100 and bond bond0 made by nicd"' 2>&1) || { CASE_MSG="VLAN/bond: $out"; return 1; }
  echo "$out" >&2
}

# hw_drivers_check DIR CASE: the guest runs on the emulated hardware of that
# hypervisor (not on a virtio path by accident): the drivers are loaded, the
# root file system's disk hangs off the expected controller (its SCSI host's
# proc_name), the seed came from the CD.
hw_drivers_check() {
  local dir=$1 c=$2 want host out
  case $c in
    vmware) want="vmw_pvscsi vmxnet3" host=vmw_pvscsi ;;
    vbox) case ${LSI_CONTROLLER:-mptsas1068} in
            ahci) want="ahci e1000" host=ahci ;;
            *) want="mptsas e1000" host=mptsas ;;
          esac ;;
  esac
  out=$(vm_ssh "$VM_SSH_PORT" "$dir/key" "for m in $want sr_mod isofs; do [ -d /sys/module/\$m ] || echo \"driver \$m not loaded\"; done
    src=\$(findmnt -no SOURCE /); h=\$(readlink -f /sys/class/block/\${src#/dev/} | sed -n 's|.*/host\\([0-9]*\\)/.*|\\1|p')
    got=\$(cat /sys/class/scsi_host/host\$h/proc_name 2>/dev/null)
    [ \"\$got\" = $host ] || echo \"root \$src on host\$h (\${got:-no SCSI host}), not on $host\"
    [ \"\$(ip -br link show eth0 | awk '{print \$2}')\" = UP ] || echo 'eth0 not up'
    grep -q 'installed /etc/lbos/network.conf\|already applied' <(journalctl -b -u lbos-seed -o cat) || echo 'no seed applied'
    blkid -t LABEL=LBOSSEED -o value -s TYPE" 2>&1)
  case $out in
    iso9660) echo "$c: $want, the root disk on $host, the seed ISO on IDE (sr_mod, isofs), eth0 up" >&2 ;;
    *) CASE_MSG="hardware check: $out"; return 1 ;;
  esac
}

# metal_rig_args DIR ARRAY: the raw case's extra hardware, a factory fixture
# made of QEMU (hw-test/profiles/qemu-metal-rig.profile):
#   eth2       a third NIC (the VLAN + bond check)
#   eth3-eth4  two NICs joined by a QEMU socket netdev on 127.0.0.1 (the patch cable)
#   ttyS1      a file on the host: LCDd's text driver draws the panel on it
#   ttyS2/3    each a QEMU pipe chardev on one FIFO, in = out (the loopback plug)
metal_rig_args() {
  local dir=$1 port; local -n a=$2
  port=$(free_port)
  mkfifo "$dir/loop2" "$dir/loop3"
  a=(-netdev hubport,id=x2,hubid=8 -device virtio-net-pci,netdev=x2,mac=52:54:00:00:01:03
     -netdev "socket,id=c3,listen=127.0.0.1:$port" -device virtio-net-pci,netdev=c3,mac=52:54:00:00:01:04
     -netdev "socket,id=c4,connect=127.0.0.1:$port" -device virtio-net-pci,netdev=c4,mac=52:54:00:00:01:05
     -serial "file:$dir/lcd.log"
     -chardev "pipe,id=loop2,path=$dir/loop2" -serial chardev:loop2
     -chardev "pipe,id=loop3,path=$dir/loop3" -serial chardev:loop3)
}

# panel_check DIR: the metal image runs LCDd (lcdproc.service) and paneld's
# screen reaches it. The image's LCDd.conf drives the LB-2000's CrystalFontz;
# a VM has none, so the test points LCDd at its text driver on ttyS1 (a file
# on the host) and reads the panel's text there.
panel_check() {
  local dir=$1 out
  out=$(vm_ssh "$VM_SSH_PORT" "$dir/key" 'set -e
    systemctl is-enabled lcdproc.service >/dev/null || { echo "lcdproc.service (LCDd) not enabled"; exit 1; }
    grep -q "^Driver=CFontzPacket" /etc/LCDd.conf || { echo "the image LCDd.conf does not drive the LB-2000 panel"; exit 1; }
    sed -i -e "s/^Driver=.*/Driver=text/" /etc/LCDd.conf
    printf "
[text]
Size=20x2
" >> /etc/LCDd.conf
    mkdir -p /run/systemd/system/lcdproc.service.d
    printf "[Service]
StandardOutput=file:/dev/ttyS1
" > /run/systemd/system/lcdproc.service.d/test.conf
    systemctl daemon-reload; systemctl restart lcdproc.service' 2>&1) || { CASE_MSG="panel: $out"; return 1; }
  # paneld's screen: its node name, or (a unit alone, its peer never heard)
  # its numbered alerts, "!1/2 Peer lost", which replace the pages.
  local re='lbos-1|![0-9]+/[0-9]+ Peer lost'
  wait_console "$dir/lcd.log" "$re" 90 || { CASE_MSG="panel: paneld's screen never reached LCDd's display on ttyS1: $(tail -c 300 "$dir/lcd.log" | tr -d '\0')"; return 1; }
  echo "panel: paneld's screen on LCDd (text driver on ttyS1): $(grep -aE "$re" "$dir/lcd.log" | tail -n 1 | tr -d '\r')" >&2
}

# hw_test_check DIR: hw-test as installed in the image, --hw real, against the
# VM's kernel interfaces (qemu-metal-rig.profile); its JUnit report copied
# out over SSH and checked here: every check of the profile there, none failed.
hw_test_check() {
  local dir=$1 rc=0
  vm_ssh "$VM_SSH_PORT" "$dir/key" 'rm -rf /var/tmp/hwt; hw-test --hw real --profile /opt/lbos/hw-test/profiles/qemu-metal-rig.profile --serial QEMU-RAW --report-dir /var/tmp/hwt' > "$dir/hw-test.out" 2>&1 || rc=$?
  cat "$dir/hw-test.out" >&2
  vm_ssh "$VM_SSH_PORT" "$dir/key" 'cat /var/tmp/hwt/*.xml' > "$OUT/image-test-raw-hw-test.xml" || { CASE_MSG="hw-test (exit $rc): no JUnit report"; return 1; }
  local verdict
  verdict=$(python3 - "$OUT/image-test-raw-hw-test.xml" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
cases = {c.get('name'): c for c in root.iter('testcase')}
want = ['nic.eth3.link', 'nic.eth4.link', 'nic.eth3-eth4.traffic', 'serial.ttyS2.9600', 'serial.ttyS2.115200',
        'serial.ttyS3.115200', 'disk.vda.present', 'disk.vda.read', 'memory.size', 'cpu.count', 'panel.lcd.connect']
missing = [w for w in want if w not in cases]
failed = [f"{n}: {c.find('failure').get('message')}" for n, c in cases.items() if c.find('failure') is not None]
if missing or failed:
    print('; '.join(([f"missing: {', '.join(missing)} (have {', '.join(cases)})"] if missing else []) + failed)); sys.exit(1)
skipped = [n for n, c in cases.items() if c.find('skipped') is not None]
print(f"{len(cases)} checks, 0 failed, skipped: {', '.join(skipped) or 'none'}")
PY
) || { CASE_MSG="hw-test (exit $rc): $verdict"; return 1; }
  [ "$rc" = 0 ] || { CASE_MSG="hw-test exit $rc though its report shows no failure: $verdict"; return 1; }
  echo "hw-test --hw real: $verdict (JUnit: out/image-test-raw-hw-test.xml)" >&2
}

# reboot_into DIR SLOT: reboot the guest and wait until SLOT runs every service.
reboot_into() {
  local dir=$1 want=$2 got=""
  vm_ssh "$VM_SSH_PORT" "$dir/key" systemctl reboot >/dev/null 2>&1 || true
  sleep 15
  local deadline=$(( $(date +%s) + READY_DEADLINE_S ))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    got=$(vm_ssh "$VM_SSH_PORT" "$dir/key" cat /run/lbos/slot 2>/dev/null || true)
    [ -n "$got" ] && break
    sleep 2
  done
  [ "$got" = "$want" ] || { CASE_MSG="after reboot: slot '${got:-no answer}', expected $want"; return 1; }
  wait_ready "$VM_SSH_PORT" "$dir/key" "$READY_DEADLINE_S" || { CASE_MSG="slot $want: services not ready"; return 1; }
}

# The A/B update on a running appliance: install the update image into slot B,
# reboot into it, check it confirmed itself, then roll back to A.
ab_update() {
  local dir=$1 st
  scp -q -P "$VM_SSH_PORT" -i "$dir/key" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
    "$A-update-cloud.img.zst" root@127.0.0.1:/var/tmp/update.img.zst || { CASE_MSG="scp of the update image failed"; return 1; }
  vm_ssh "$VM_SSH_PORT" "$dir/key" lbos-update install /var/tmp/update.img.zst >&2 || { CASE_MSG="lbos-update install failed"; return 1; }
  st=$(vm_ssh "$VM_SSH_PORT" "$dir/key" lbos-update status)
  grep -q 'pending try: *B' <<< "$st" || { CASE_MSG="no pending try of slot B: $st"; return 1; }
  reboot_into "$dir" B || return 1
  local deadline=$(( $(date +%s) + 120 ))
  until vm_ssh "$VM_SSH_PORT" "$dir/key" lbos-update status 2>/dev/null | grep -q 'confirmed slot: *B'; do
    [ "$(date +%s)" -lt "$deadline" ] || { CASE_MSG="slot B never confirmed itself"; return 1; }
    sleep 2
  done
  local out rc=255 try
  for try in 1 2 3; do   # 255: ssh itself failed (a slow guest), not lbos-update
    out=$(vm_ssh "$VM_SSH_PORT" "$dir/key" lbos-update rollback 2>&1); rc=$?
    [ "$rc" -eq 255 ] || break
    sleep 5
  done
  [ "$rc" -eq 0 ] || { CASE_MSG="lbos-update rollback failed (exit $rc): $out"; return 1; }
  echo "$out" >&2
  reboot_into "$dir" A || return 1
  echo "A/B: installed into slot B, booted and confirmed it, rolled back to A" >&2
}

for c in "${cases[@]}"; do
  stage "$c" "boot test"
  CASE_MSG="" t_case=$(date +%s)
  if run_case "$c"; then
    echo "ok   $c ($(( $(date +%s) - t_case )) s): $CASE_MSG"; passed=$((passed + 1))
  else
    echo "FAIL $c ($(( $(date +%s) - t_case )) s): $CASE_MSG"; failed=$((failed + 1))
    [ -f "$CASE_DIR/console-kvm.log" ] && cp "$CASE_DIR/console-kvm.log" "$OUT/image-test-$c-console-kvm.log"
    [ -f "$CASE_DIR/console.log" ] && cp "$CASE_DIR/console.log" "$OUT/image-test-$c-console.log" \
      && echo "     console: out/image-test-$c-console.log"
  fi
  cleanup_vms
done
printf '[%s]\n' "$(IFS=,; echo "${results[*]}")" > "$OUT/image-test.json.tmp" && mv "$OUT/image-test.json.tmp" "$OUT/image-test.json"
echo "accel: $(accel) ($LBOS_ACCEL_WHY)"
echo "$passed passed, $failed failed in $(( $(date +%s) - T_RUN )) s"
[ "$failed" -eq 0 ]
