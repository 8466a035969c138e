#!/usr/bin/env bash
# LBOS appliance image build: Debian 12 rootfs -> GPT disk (BIOS boot, ESP,
# root slots A/B, data) -> per-hypervisor artifacts under out/.
#   rootfs/build.sh [all|kvm|vmware|hyperv|xen|raw]...   (default: all)
# Environment: MIRROR, SECURITY_MIRROR (apt mirrors; a snapshot.debian.org URL
# pins package versions), OUT (default out/), CACHE (default .cache/images),
# SOURCE_DATE_EPOCH (default: the commit's date).
ROOTFS_DIR=$(cd "$(dirname "$0")" && pwd)
REPO=$(dirname "$ROOTFS_DIR")
. "$ROOTFS_DIR/lib/common.sh"
enable_err_trap
for f in layout base app tree repro disk targets; do . "$ROOTFS_DIR/lib/$f.sh"; done

SUITE=bookworm
MIRROR=${MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${SECURITY_MIRROR:-http://deb.debian.org/debian-security}
OUT=${OUT:-$REPO/out}
CACHE=${CACHE:-$REPO/.cache/images}
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$REPO" log -1 --format=%ct)}
mkdir -p "$OUT" "$CACHE"
[ "$(id -u)" -eq 0 ] || die "the image build runs as root (mmdebstrap --mode=root, chroot, file ownership)"

# Internal: build.sh --base FLAVOR builds (or finds cached) that flavor's base
# only; the build below runs it in the background for the metal base.
if [ "${1:-}" = --base ]; then FLAVOR=${2:?--base FLAVOR}; build_base; exit 0; fi

targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(all)
[ "${targets[0]}" = all ] && targets=(kvm vmware hyperv xen raw)
for t in "${targets[@]}"; do
  case $t in kvm|vmware|hyperv|xen|raw) ;; *) die "unknown target '$t' (all kvm vmware hyperv xen raw)" ;; esac
done

# flavor_disk FLAVOR: base -> rootfs -> checks -> disk (DISK_RAW) for that
# flavor: cloud (KVM, Hyper-V, XEN: the cloud kernel), vmware (the generic
# kernel: VMware's and VirtualBox's LSI Logic, AHCI and E1000 are not in the
# cloud kernel), metal (the generic kernel, LCDd). vmware and metal share the
# generic-kernel base (base_flavor).
flavor_disk() {
  FLAVOR=$(base_flavor "$1") build_base
  FLAVOR=$1
  build_tree
  clamp_mtimes
  check_reproducible
  build_disk
}

# The metal base is the slowest stage of a cold build (mmdebstrap with the
# generic kernel, ~3-4 min). When it and the cloud flavor are built and it is not cached,
# it builds in its own process group while the cloud disk and its conversions
# are made; its output is shown when the metal flavor's turn comes.
BG_BASE_PID= BG_BASE_LOG=$CACHE/base-metal.background.log
trap '[ -z "$BG_BASE_PID" ] || kill -TERM -- "-$BG_BASE_PID" 2>/dev/null || true' EXIT
start_background_base() {
  [ ! -s "$(FLAVOR=metal base_tar)" ] || return 0
  export LBOS_T0
  setsid "$ROOTFS_DIR/build.sh" --base metal > "$BG_BASE_LOG" 2>&1 < /dev/null &
  BG_BASE_PID=$!
  LBOS_STAGE=base note "metal kernel: building in the background meanwhile (log: ${BG_BASE_LOG#"$REPO"/})"
}
wait_background_base() {
  [ -n "$BG_BASE_PID" ] || return 0
  local rc=0
  wait "$BG_BASE_PID" || rc=$?
  BG_BASE_PID=
  cat "$BG_BASE_LOG" >&2
  [ "$rc" = 0 ] || die "the metal base, built in the background, failed (exit $rc; above)"
}

virtual=() vmware=() metal=()
for t in "${targets[@]}"; do
  case $t in raw) metal+=("$t") ;; vmware) vmware+=("$t") ;; *) virtual+=("$t") ;; esac
done
FLAVOR=cloud build_app
[ ${#virtual[@]} -eq 0 ] || [ $(( ${#metal[@]} + ${#vmware[@]} )) -eq 0 ] || start_background_base
if [ ${#virtual[@]} -gt 0 ]; then
  flavor_disk cloud
  # Conversions run two at a time (each is mostly one compressing thread).
  run_targets_parallel "${virtual[@]}" update
fi
if [ ${#vmware[@]} -gt 0 ]; then
  wait_background_base
  flavor_disk vmware
  run_targets_parallel vmware update
fi
if [ ${#metal[@]} -gt 0 ]; then
  wait_background_base
  flavor_disk metal
  run_targets_parallel raw update
fi
write_manifest "${targets[@]}"
stage done "$(printf '%s ' "${targets[@]}")-> ${OUT#"$REPO"/}/ in $(( $(date +%s) - LBOS_T0 ))s"
