# Stage "base": the Debian 12 tree from mmdebstrap, cached as a tarball keyed by
# the package list, the mirrors, the files under rootfs/base/ and this file.
# A warm build (only services changed) reuses it.

# Two bases, by kernel. cloud: KVM, Hyper-V and XEN (linux-image-cloud-amd64:
# virtio, Hyper-V, Xen, PVSCSI, VMXNET3). metal: Debian's generic kernel
# (linux-image-amd64: AHCI, NVMe, LSI Logic, E1000, physical NICs) and the
# packages.list lines marked "metal:" (LCDd); both the bare-metal tree and
# the VMware tree are made from it (the VMware tree with LCDd disabled:
# rootfs/README.md, "VMware, VirtualBox: the generic kernel").
# base_flavor FLAVOR -> the base that flavor's tree starts from.
base_flavor() { case $1 in vmware|metal) echo metal ;; *) echo "$1" ;; esac; }
base_packages() {
  sed 's/#.*//' "$ROOTFS_DIR/packages.list" \
    | if [ "$FLAVOR" = metal ]; then sed -e 's/^metal://' -e 's/\blinux-image-cloud-amd64\b/linux-image-amd64/'; else sed '/^metal:/d'; fi \
    | tr -s ' \t' '\n' | sed '/^$/d' | sort -u | paste -sd, -
}

base_key() {
  {
    echo "$FLAVOR"; base_packages
    echo "$MIRROR $SECURITY_MIRROR $SUITE"
    (cd "$ROOTFS_DIR" && find base -type f -print0 | sort -z | xargs -0 sha256sum)
    (cd "$ROOTFS_DIR" && find base -printf '%p %m\n' | sort)
    cat "$ROOTFS_DIR/lib/base.sh" "$ROOTFS_DIR/lib/initramfs-hook.sh" | sha256sum
  } | sha256sum | cut -c1-16
}

# base_tar: the cached base of $FLAVOR (whether it exists or not).
base_tar() { echo "$CACHE/base-$FLAVOR-$(base_key).tar"; }

# build_base -> sets BASE_TAR
build_base() {
  stage base "Debian $SUITE base, $FLAVOR kernel (mmdebstrap, cached)"
  BASE_TAR=$(base_tar)
  if [ -s "$BASE_TAR" ]; then
    note "cache hit: ${BASE_TAR#"$REPO"/} ($(du -m "$BASE_TAR" | cut -f1) MiB)"
    return
  fi
  need_tools mmdebstrap
  note "cache miss: building ${BASE_TAR#"$REPO"/} from $MIRROR"
  local tmp="${BASE_TAR%.tar}.tmp$$.tar" log="${BASE_TAR%.tar}.log"
  # The base's own timestamp: the last commit that touched the package list.
  local epoch; epoch=$(git -C "$REPO" log -1 --format=%ct -- rootfs/packages.list rootfs/base 2>/dev/null || true)
  [ -n "$epoch" ] || epoch=$(git -C "$REPO" log -1 --format=%ct)
  SOURCE_DATE_EPOCH=$epoch mmdebstrap --mode=root --variant=essential --components=main \
    --include="$(base_packages)" \
    --aptopt='Acquire::Retries "3"' \
    --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    --dpkgopt='path-exclude=/usr/share/doc/*' \
    --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --essential-hook="'$ROOTFS_DIR/lib/initramfs-hook.sh' defer \"\$1\"" \
    --customize-hook="sync-in '$ROOTFS_DIR/base' /" \
    --customize-hook='mkdir -p "$1/data"' \
    --customize-hook="'$ROOTFS_DIR/lib/initramfs-hook.sh' restore \"\$1\"" \
    --customize-hook='chroot "$1" update-initramfs -c -k all' \
    --customize-hook='rm -f "$1"/etc/ssh/ssh_host_* "$1"/var/cache/apt/*.bin; rm -rf "$1"/var/lib/apt/lists/*' \
    "$SUITE" "$tmp" \
    "deb $MIRROR $SUITE main" "deb $MIRROR $SUITE-updates main" "deb $SECURITY_MIRROR $SUITE-security main" \
    > "$log" 2>&1 || { tail -n 30 "$log" >&2; rm -rf "$tmp"; die "mmdebstrap failed (log: ${log#"$REPO"/})"; }
  publish "$tmp" "$BASE_TAR"
  # Keep the two newest bases.
  { ls -1td "$CACHE"/base-"$FLAVOR"-*.tar 2>/dev/null | grep -v "\.tmp" || true; } | tail -n +3 | xargs -r rm -rf
  note "built in $(( $(date +%s) - LBOS_T0 ))s: $(du -m "$BASE_TAR" | cut -f1) MiB"
}
