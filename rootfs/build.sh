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

targets=("$@"); [ ${#targets[@]} -gt 0 ] || targets=(all)
[ "${targets[0]}" = all ] && targets=(kvm vmware hyperv xen raw)
for t in "${targets[@]}"; do
  case $t in kvm|vmware|hyperv|xen|raw) ;; *) die "unknown target '$t' (all kvm vmware hyperv xen raw)" ;; esac
done

# flavor_disk FLAVOR: base -> rootfs -> checks -> disk (DISK_RAW) for that kernel flavor.
flavor_disk() {
  FLAVOR=$1
  build_base
  build_tree
  clamp_mtimes
  check_reproducible
  build_disk
}

virtual=() metal=()
for t in "${targets[@]}"; do
  if [ "$t" = raw ]; then metal+=("$t"); else virtual+=("$t"); fi
done
FLAVOR=cloud build_app
if [ ${#virtual[@]} -gt 0 ]; then
  flavor_disk cloud
  # Conversions run two at a time (each is mostly one compressing thread).
  run_targets_parallel "${virtual[@]}" update
fi
if [ ${#metal[@]} -gt 0 ]; then
  flavor_disk metal
  run_targets_parallel raw update
fi
write_manifest "${targets[@]}"
stage done "$(printf '%s ' "${targets[@]}")-> ${OUT#"$REPO"/}/ in $(( $(date +%s) - LBOS_T0 ))s"
