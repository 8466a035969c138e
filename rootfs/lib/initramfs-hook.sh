#!/bin/sh
# mmdebstrap hook of the base build (base.sh): initramfs-hook.sh defer|restore ROOT
# The initramfs is made once, after rootfs/base (its hooks and configuration)
# is in the tree. Left alone, the kernel's postinst and initramfs-tools'
# trigger would each make one first, with Debian's defaults, only to be
# replaced: ~80 s of a cold build for the generic kernel (all its modules).
# "defer" (essential hook) diverts update-initramfs to a no-op while the
# packages install; "restore" (customize hook) puts the real one back.
set -eu
UIRFS=/usr/sbin/update-initramfs
root=$2
case "$1" in
  defer)
    chroot "$root" dpkg-divert --quiet --local --rename --divert "$UIRFS.lbos-deferred" --add "$UIRFS"
    printf '#!/bin/sh\n# LBOS base build: the initramfs is made after the packages (rootfs/lib/initramfs-hook.sh)\nexit 0\n' > "$root$UIRFS"
    chmod 0755 "$root$UIRFS"
    ;;
  restore)
    rm -f "$root$UIRFS"
    chroot "$root" dpkg-divert --quiet --local --rename --remove "$UIRFS"
    [ -x "$root$UIRFS" ] || { echo "initramfs-hook: $UIRFS missing after removing the diversion" >&2; exit 1; }
    if ls "$root"/boot/initrd.img-* >/dev/null 2>&1; then
      echo "initramfs-hook: an initramfs was made while the packages installed (deferral did not hold)" >&2; exit 1
    fi
    ;;
  *) echo "usage: initramfs-hook.sh defer|restore ROOT" >&2; exit 2 ;;
esac
