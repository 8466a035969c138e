# Boot tests: KVM or TCG (sourced by lib.sh).
#
# KVM is used only when the image's own kernel runs on it. A host can pass a
# firmware-only probe and still hang a Linux guest: SeaBIOS under KVM ran to
# "No bootable device" on one, and the kvm-bios case then sat 4m39s after
# GRUB's "Booting `LBOS (slot A)'". So the probe boots the kernel of the
# image under test (taken out of root slot A), with no initramfs and no root,
# under KVM, and wants it to get through its whole init (SMP bring-up, timer
# calibration, every built-in driver) to the point where it looks for its
# root and panics; with panic=-1 and -no-reboot QEMU then exits by itself.
# Under a working KVM that takes ~1-2 s; the bound is LBOS_KVM_PROBE_S.
#
#   LBOS_ACCEL unset   -> decided here once per run; the reason is printed
#   LBOS_ACCEL=tcg|kvm -> forced: no probe, and no fallback (a hang fails)
#
# A case booting on a probed KVM must show its console banner within
# LBOS_KVM_BANNER_S; if not, it is restarted on TCG and the rest of the run
# stays on TCG (kvm_fallback; image-test.sh's boot_vm).

LBOS_KVM_PROBE_S=${LBOS_KVM_PROBE_S:-20}
LBOS_KVM_BANNER_S=${LBOS_KVM_BANNER_S:-120}
LBOS_KVM_DEV=${LBOS_KVM_DEV:-/dev/kvm}

# disk_kernel DISK FORMAT OUT: the kernel root slot A boots (/boot/vmlinuz of
# the image's slot, read with debugfs from a sparse copy of the partition).
disk_kernel() {
  local disk=$1 fmt=$2 out=$3 part="$3.slot-a" off size link
  off=$(( $(part_start_mib 3) * 1048576 )); size=$(( SLOT_MIB * 1048576 ))
  qemu-img convert -O raw --image-opts \
    "driver=raw,offset=$off,size=$size,file.driver=$fmt,file.file.driver=file,file.file.filename=$disk" "$part" || return 1
  link=$(debugfs -R 'stat /boot/vmlinuz' "$part" 2>/dev/null | sed -n 's/^Fast link dest: "\(.*\)"$/\1/p')
  [ -n "$link" ] || link=vmlinuz
  debugfs -R "dump /boot/$link $out" "$part" >/dev/null 2>&1
  rm -f "$part"
  [ -s "$out" ]
}

# kvm_probe KERNEL LOG -> 0 when KERNEL, started under LBOS_PROBE_ACCEL (kvm;
# the tests use tcg), printed "Linux version" and reached its root-mount panic
# within LBOS_KVM_PROBE_S. Sets PROBE_WHY (what it saw, how long it took).
kvm_probe() {
  local kernel=$1 log=$2 t0 ms rc=0
  : > "$log"
  t0=$(date +%s%3N)
  timeout "$LBOS_KVM_PROBE_S" qemu-system-x86_64 -accel "${LBOS_PROBE_ACCEL:-kvm}" -M q35 -smp 2 -m 256 \
    -nodefaults -display none -no-reboot -serial "file:$log" \
    -kernel "$kernel" -append "console=ttyS0,115200n8 panic=-1 loglevel=7" >/dev/null 2>"$log.err" || rc=$?
  ms=$(( $(date +%s%3N) - t0 ))
  if grep -aq 'Kernel panic - not syncing: VFS' "$log" && [ "$rc" = 0 ]; then
    PROBE_WHY="its kernel ran through its init under ${LBOS_PROBE_ACCEL:-kvm} in $ms ms"
    return 0
  fi
  if [ "$rc" = 124 ]; then
    if grep -aq 'Linux version' "$log"; then
      PROBE_WHY="its kernel started under ${LBOS_PROBE_ACCEL:-kvm} but did not finish its init within ${LBOS_KVM_PROBE_S} s (last line: $(grep -a . "$log" | tail -n 1 | tr -d '\r' | cut -c1-100))"
    else
      PROBE_WHY="its kernel printed nothing under ${LBOS_PROBE_ACCEL:-kvm} within ${LBOS_KVM_PROBE_S} s"
    fi
  else
    PROBE_WHY="qemu -accel ${LBOS_PROBE_ACCEL:-kvm} ended (exit $rc) after $ms ms without the kernel's root-mount panic: $(grep -a . "$log.err" "$log" 2>/dev/null | tail -n 1 | tr -d '\r' | cut -c1-160)"
  fi
  return 1
}

# accel_decide DISK FORMAT: sets and exports LBOS_ACCEL (kvm|tcg) and
# LBOS_ACCEL_WHY, once per run (a decision already made is kept); prints the
# decision and its reason.
accel_decide() {
  local disk=$1 fmt=$2
  if [ -n "${LBOS_ACCEL_WHY:-}" ]; then return 0; fi
  case ${LBOS_ACCEL:-} in
    tcg|kvm) LBOS_ACCEL_WHY="forced by LBOS_ACCEL=$LBOS_ACCEL" ;;
    "")
      if [ ! -w "$LBOS_KVM_DEV" ]; then
        LBOS_ACCEL=tcg LBOS_ACCEL_WHY="no usable $LBOS_KVM_DEV"
      else
        local d; d=$(mktemp -d /tmp/lbos-kvm-probe.XXXXXX)
        if ! disk_kernel "$disk" "$fmt" "$d/vmlinuz"; then
          LBOS_ACCEL=tcg LBOS_ACCEL_WHY="KVM probe: no kernel found in slot A of $disk"
        elif kvm_probe "$d/vmlinuz" "$d/console.log"; then
          LBOS_ACCEL=kvm LBOS_ACCEL_WHY="KVM probe: $PROBE_WHY"
        else
          LBOS_ACCEL=tcg LBOS_ACCEL_WHY="KVM probe: $PROBE_WHY"
        fi
        rm -rf "$d"
      fi ;;
    *) echo "LBOS_ACCEL=$LBOS_ACCEL: expected tcg or kvm (or unset: probed)" >&2; return 1 ;;
  esac
  export LBOS_ACCEL LBOS_ACCEL_WHY
  echo "accel: $LBOS_ACCEL ($LBOS_ACCEL_WHY)" >&2
}

# accel: the decided accelerator (tcg when nothing decided it).
accel() { echo "${LBOS_ACCEL:-tcg}"; }

# kvm_may_fall_back: 0 when a stalled KVM boot may be retried on TCG (KVM
# was chosen by the probe, not forced).
kvm_may_fall_back() { [ "$(accel)" = kvm ] && [[ ${LBOS_ACCEL_WHY:-} != forced* ]]; }

# kvm_fallback WHY: the rest of the run on TCG.
kvm_fallback() {
  LBOS_ACCEL=tcg LBOS_ACCEL_WHY="fell back from KVM: $1"
  export LBOS_ACCEL LBOS_ACCEL_WHY
  echo "accel: tcg from now on ($LBOS_ACCEL_WHY)" >&2
}
