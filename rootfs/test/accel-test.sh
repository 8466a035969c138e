#!/usr/bin/env bash
# The boot tests' KVM/TCG decision (accel.sh), tested on this host:
#   rootfs/test/accel-test.sh [DISK FORMAT]   (default: out/'s kvm qcow2)
# The probe's accelerator is TCG here (LBOS_PROBE_ACCEL=tcg) so that a
# healthy kernel passes on any host; a kernel whose compressed payload is
# broken must fail it; a bound too short must fail it; LBOS_ACCEL forces
# without a probe; no /dev/kvm means TCG. Last, the real probe under KVM on
# this host (its verdict is printed, not judged: it depends on the host).
REPO=$(cd "$(dirname "$0")/../.." && pwd)
ROOTFS_DIR=$REPO/rootfs
. "$ROOTFS_DIR/lib/common.sh"
. "$ROOTFS_DIR/test/lib.sh"
set -uo pipefail
VERSION=$(node -p "require('$REPO/package.json').version")
DISK=${1:-$REPO/out/lbos-$VERSION-kvm.qcow2} FMT=${2:-qcow2}
[ -f "$DISK" ] || die "$DISK missing (make image-kvm)"
W=$(mktemp -d /tmp/lbos-accel-test.XXXXXX)
trap 'rm -rf "$W"' EXIT
passed=0 failed=0
check() { # NAME EXPECTED GOT DETAIL
  if [ "$2" = "$3" ]; then echo "ok   $1: $4"; passed=$((passed + 1)); else echo "FAIL $1: expected $2, got $3: $4"; failed=$((failed + 1)); fi
}
# decide [VAR=VALUE...]: accel_decide in a clean subshell -> "ACCEL|WHY"
decide() {
  ( unset LBOS_ACCEL LBOS_ACCEL_WHY; for a in "$@"; do export "${a?}"; done
    accel_decide "$DISK" "$FMT" 2>/dev/null || { echo "error|"; exit 0; }
    echo "$LBOS_ACCEL|$LBOS_ACCEL_WHY" )
}

t=$(date +%s%3N)
disk_kernel "$DISK" "$FMT" "$W/vmlinuz"; rc=$?
check "kernel from slot A" 0 "$rc" "$(file -b "$W/vmlinuz" 2>/dev/null | cut -c1-60 || stat -c %s "$W/vmlinuz") in $(( $(date +%s%3N) - t )) ms"

LBOS_PROBE_ACCEL=tcg kvm_probe "$W/vmlinuz" "$W/good.log"; rc=$?
check "probe: the image's kernel (TCG)" 0 "$rc" "$PROBE_WHY"

# The same kernel with its compressed payload overwritten in the middle: the
# decompressor fails and halts, as a guest hung by a broken KVM would.
cp "$W/vmlinuz" "$W/broken"
size=$(stat -c %s "$W/broken")
dd if=/dev/urandom of="$W/broken" bs=1 seek=$(( size / 2 )) count=65536 conv=notrunc status=none
LBOS_PROBE_ACCEL=tcg LBOS_KVM_PROBE_S=15 kvm_probe "$W/broken" "$W/broken.log"; rc=$?
check "probe: a broken kernel (TCG, 15 s)" 1 "$rc" "$PROBE_WHY"

touch "$W/kvm-dev"
r=$(decide LBOS_KVM_DEV="$W/kvm-dev" LBOS_PROBE_ACCEL=tcg)
check "decide: probe passes -> kvm" kvm "${r%%|*}" "${r#*|}"
r=$(decide LBOS_KVM_DEV="$W/kvm-dev" LBOS_PROBE_ACCEL=tcg LBOS_KVM_PROBE_S=1)
check "decide: probe bound passes first -> tcg" tcg "${r%%|*}" "${r#*|}"
r=$(decide LBOS_KVM_DEV="$W/none")
check "decide: no /dev/kvm -> tcg" tcg "${r%%|*}" "${r#*|}"
r=$(decide LBOS_KVM_DEV="$W/none" LBOS_ACCEL=kvm)
check "decide: LBOS_ACCEL=kvm forces, no probe" "kvm|forced by LBOS_ACCEL=kvm" "$r" "${r#*|}"
r=$(decide LBOS_KVM_DEV="$W/kvm-dev" LBOS_PROBE_ACCEL=tcg LBOS_ACCEL=tcg)
check "decide: LBOS_ACCEL=tcg forces, no probe" "tcg|forced by LBOS_ACCEL=tcg" "$r" "${r#*|}"
r=$(decide LBOS_ACCEL=xen)
check "decide: LBOS_ACCEL=xen refused" error "${r%%|*}" "$r"
r=$( LBOS_ACCEL=kvm LBOS_ACCEL_WHY="KVM probe: (test)"; kvm_may_fall_back && echo yes || echo no )
check "fallback allowed after a probe" yes "$r" ""
r=$( LBOS_ACCEL=kvm LBOS_ACCEL_WHY="forced by LBOS_ACCEL=kvm"; kvm_may_fall_back && echo yes || echo no )
check "no fallback when forced" no "$r" ""

t=$(date +%s)
r=$(decide)
echo "info this host: ${r%%|*} (${r#*|}; $(( $(date +%s) - t )) s)"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
