#!/usr/bin/env bash
# make image-quickstart-test (issue 20): the Quick Start on the shipped qcow2,
# end to end, as a person walks it: two unseeded units, the console's setup
# login for the addresses, the initial password from the console banner, the
# first web login in Chromium, pairing from the HA page, a push from the sync
# page, the active unit powered off and on again. scripts/quickstart/journey.ts
# does the walking; this wrapper checks the tools, decides KVM or TCG as the
# other boot tests do, and removes the lab's namespace and QEMUs whatever happens.
REPO=$(cd "$(dirname "$0")/../.." && pwd)
ROOTFS_DIR=$REPO/rootfs
. "$ROOTFS_DIR/lib/common.sh"
. "$ROOTFS_DIR/test/lib.sh"
set -uo pipefail
OUT=${OUT:-$REPO/out}
VERSION=$(node -p "require('$REPO/package.json').version")
QCOW=$OUT/lbos-$VERSION-kvm.qcow2
need_tools qemu-system-x86_64 qemu-img ip chromium
[ -f "$QCOW" ] || die "$QCOW missing: make image-kvm first"
[ -f "$REPO/dist/scripts/quickstart/journey.js" ] || die "dist/ missing: make build first"
# Leftovers of a run that was killed: its namespace (lbqs-PID) and QEMUs.
for ns in $(ip netns list | awk '/^lbqs-/ {print $1}'); do
  pid=${ns#lbqs-}
  kill -0 "$pid" 2>/dev/null && continue
  for q in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$q" 2>/dev/null || true; done
  ip netns del "$ns" 2>/dev/null || true
done
accel_decide "$QCOW" qcow2 || die "bad LBOS_ACCEL"
stage quickstart "two unseeded units from $(basename "$QCOW") ($(accel))"
QS_ACCEL=$(accel) node "$REPO/dist/scripts/quickstart/journey.js" "$QCOW" "$OUT"
rc=$?
if [ "$rc" = 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; fi
exit "$rc"
