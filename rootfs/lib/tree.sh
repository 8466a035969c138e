# Stage "rootfs": base + /opt/lbos + Node 24 + overlay, accounts, units,
# first-boot state removed, every default configuration checked by its
# service. Result: the directory TREE (the content of a root slot).

in_tree() { chroot "$TREE" "$@"; }

build_tree() {
  stage rootfs "base ($FLAVOR) + services + overlay"
  TREE="$CACHE/tree-$FLAVOR"
  rm -rf "$TREE" "$TREE.tmp"; mkdir -p "$TREE.tmp"
  tar -xpf "$BASE_TAR" -C "$TREE.tmp" --numeric-owner
  mv "$TREE.tmp" "$TREE"

  # Node.js 24 (the binary only) and the services.
  install -D -m 0755 "$NODE_PKG/bin/node" "$TREE/usr/local/lib/nodejs/bin/node"
  install -D -m 0644 "$NODE_PKG/LICENSE" "$TREE/usr/local/lib/nodejs/LICENSE"
  ln -sf /usr/local/lib/nodejs/bin/node "$TREE/usr/bin/node"
  mkdir -p "$TREE/opt/lbos"
  cp -a "$APP_DIR/." "$TREE/opt/lbos/"
  chown -R 0:0 "$TREE/opt/lbos"
  local b
  for b in "$TREE"/opt/lbos/bin/*; do ln -sf "/opt/lbos/bin/${b##*/}" "$TREE/usr/bin/${b##*/}"; done
  grep -qx /usr/bin/setup-menu "$TREE/etc/shells" || echo /usr/bin/setup-menu >> "$TREE/etc/shells"

  # The overlay (units, policy, sysctl, examples...), owned by root.
  rsync -rlpt --chown=0:0 "$ROOTFS_DIR/overlay/" "$TREE/"
  flavor_tree
  # Git keeps only 0644/0755: a key file gets its mode here (hbd, like
  # Heartbeat, refuses an authkeys others can read).
  chmod 0600 "$TREE/usr/share/lbos/examples/ha.d/authkeys"
  install -D -m 0644 "$ROOTFS_DIR/README.md" "$TREE/usr/share/doc/lbos/README.md"
  install -D -m 0755 "$REPO/firmware/lbos-update" "$TREE/usr/sbin/lbos-update"

  # nicd replaces these atomically inside /etc/lbos.
  mkdir -p "$TREE/etc/lbos"
  echo lbos > "$TREE/etc/lbos/hostname"
  : > "$TREE/etc/lbos/resolv.conf"
  ln -sfn lbos/hostname "$TREE/etc/hostname"
  ln -sfn lbos/resolv.conf "$TREE/etc/resolv.conf"
  printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' > "$TREE/etc/hosts"

  # Accounts: sysusers.d/lbos.conf; "setup" has an empty password (console only).
  systemd-sysusers --root="$TREE" >/dev/null
  in_tree passwd -q -d setup
  install -d -o "$(in_tree id -u setup)" -g "$(in_tree id -g setup)" -m 0700 "$TREE/home/setup"
  # The console menu comes straight after the login: no Debian message of the day before it.
  install -o "$(in_tree id -u setup)" -g "$(in_tree id -g setup)" -m 0644 /dev/null "$TREE/home/setup/.hushlogin"

  # State of the services: the parent of every StateDirectory= readable by all
  # (a tool run first, e.g. csyncctl genkey, would otherwise create it 0700).
  install -d -m 0755 "$TREE/var/lib/lbos"

  # Units: the services, provisioning, host key; no maintenance timers.
  local units=(nicd.service hbd.service csyncd.service statusd.service paneld.service paird.service lbos-seed.service lbos-ready.service lbos-ssh-hostkey.service lbos-update-confirm.service)
  systemctl --root="$TREE" enable "${units[@]}" >/dev/null 2>&1
  # Not on an appliance: e2scrub (no LVM), dpkg database backups (read-only
  # slots are replaced whole), cluster-glue's logd (pulled in by resource-agents; hbd logs to the journal),
  # smartd (hw-test reads SMART itself; a virtual disk has none).
  local u
  for u in e2scrub_all.timer e2scrub_reap.service dpkg-db-backup.timer logd.service smartmontools.service smartd.service; do
    systemctl --root="$TREE" disable "$u" >/dev/null 2>&1 || true
  done
  # systemd-repart has nothing to do here (no repart.d: its condition fails), but
  # its Wants= still start modprobe@dm_mod and modprobe@loop at every boot:
  # ~3 s of CPU under TCG, on the boot's critical path (rootfs/README.md).
  systemctl --root="$TREE" mask systemd-repart.service >/dev/null 2>&1
  # Kernel interfaces a headless load balancer never uses, each a unit (and
  # most a module load) at every boot, 0.4-2.7 s each under TCG: FUSE,
  # configfs (USB gadgets, LIO targets), DRM (graphics), debugfs/tracefs
  # (mountable by hand for debugging), huge pages, POSIX message queues,
  # binfmt_misc. Kept: efi_pstore (a crashed box's kernel log on real hardware).
  systemctl --root="$TREE" mask modprobe@fuse.service sys-fs-fuse-connections.mount \
    modprobe@configfs.service sys-kernel-config.mount modprobe@drm.service \
    sys-kernel-debug.mount sys-kernel-tracing.mount dev-hugepages.mount dev-mqueue.mount \
    systemd-binfmt.service proc-sys-fs-binfmt_misc.automount >/dev/null 2>&1
  # Generators systemd runs before it starts any unit (an exec each, in series
  # with the boot) for what an appliance does not have: encrypted, integrity
  # or verity volumes, hibernation, GPT auto-mounts (the fstab and the
  # initramfs mount everything), /etc/rc.local, offline updates (A/B slots
  # instead). Kept: fstab, getty, sysv (ipvsadm has only an init script),
  # debug and run (systemd.mask=, systemd.run= on the command line).
  mkdir -p "$TREE/etc/systemd/system-generators"
  for u in systemd-cryptsetup-generator systemd-integritysetup-generator systemd-veritysetup-generator \
           systemd-hibernate-resume-generator systemd-gpt-auto-generator systemd-rc-local-generator \
           systemd-system-update-generator; do
    [ -e "$TREE/usr/lib/systemd/system-generators/$u" ] || die "generator $u to mask is not in the image (renamed?)"
    ln -sfn /dev/null "$TREE/etc/systemd/system-generators/$u"
  done

  # Identity: each appliance makes its own machine-id and SSH host key at first boot.
  : > "$TREE/etc/machine-id"
  rm -f "$TREE/var/lib/dbus/machine-id" "$TREE"/etc/ssh/ssh_host_*
  ln -sf /etc/machine-id "$TREE/var/lib/dbus/machine-id"
  # Build leftovers that would differ between two builds.
  find "$TREE/var/log" -type f -delete
  rm -rf "$TREE"/var/cache/debconf/*-old "$TREE"/var/lib/dpkg/*-old "$TREE/var/cache/ldconfig/aux-cache"

  # Kernel and initramfs at fixed names for GRUB (the slot's own).
  local k; k=$(cd "$TREE/boot" && ls vmlinuz-* | sort -V | tail -n1)
  ln -sfn "$k" "$TREE/boot/vmlinuz"
  ln -sfn "initrd.img-${k#vmlinuz-}" "$TREE/boot/initrd.img"
  [ -s "$TREE/boot/initrd.img-${k#vmlinuz-}" ] || die "no initramfs for $k"

  write_release
  check_configs
  note "rootfs: $(du -sm "$TREE" | cut -f1) MiB, kernel ${k#vmlinuz-}"
}

write_release() {
  LBOS_VERSION=$(node -p "require('$REPO/package.json').version")
  GIT_COMMIT=$(git -C "$REPO" rev-parse HEAD)
  git -C "$REPO" diff --quiet HEAD -- services bin rootfs package.json package-lock.json || GIT_COMMIT="$GIT_COMMIT-dirty"
  BUILD_DATE=$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)
  cat > "$TREE/usr/lib/lbos/release" <<REL
LBOS_VERSION=$LBOS_VERSION
LBOS_COMMIT=$GIT_COMMIT
LBOS_BUILD_DATE=$BUILD_DATE
REL
  cat > "$TREE/etc/issue" <<ISSUE
LBOS load balancer $LBOS_VERSION (\\n) on \\l
Management interface eth0: \\4{eth0}   Web UI: https://\\4{eth0}:9443/
Console setup (network, web password, reboot, factory reset): log in as "setup"

ISSUE
}

# Every default configuration shipped in the image passes its service's own check.
check_configs() {
  stage check "default configurations (each service's --check-config, Node 24 in the image)"
  in_tree node --version >/dev/null || die "the image's node does not run"
  local ex=/usr/share/lbos/examples
  # hbd refuses the example authkeys' placeholder secret (as it must on a unit): check a copy with another one.
  local had=/tmp/lbos-hbd-check; rm -rf "$TREE$had"; cp -a "$TREE$ex/ha.d" "$TREE$had"
  printf 'auth 3\n3 sha256 image-build-check-only-%s\n' "$FLAVOR" > "$TREE$had/authkeys"
  in_tree /opt/lbos/bin/hbd --check-config -c $had --node lbmaster >/dev/null || die "hbd --check-config -c $ex/ha.d (with a real secret)"
  rm -rf "$TREE$had"
  in_tree /opt/lbos/bin/nicd --check-config -c $ex/network.conf >/dev/null || die "nicd --check-config -c $ex/network.conf"
  in_tree /opt/lbos/bin/statusd --check-config >/dev/null || die "statusd --check-config (defaults)"
  # csyncd checks its keys too: a scratch copy with keys made for the check.
  local scratch=/tmp/lbos-csyncd-check
  rm -rf "$TREE$scratch"; mkdir -p "$TREE$scratch"
  cp "$TREE$ex/csyncd/csyncd.cfg" "$TREE/etc/csyncd/services.conf" "$TREE$scratch/"
  # Its state (the audit log of that genkey) stays in the scratch dir, out of the image.
  echo "state_dir $scratch/state" >> "$TREE$scratch/csyncd.cfg"
  in_tree /opt/lbos/bin/csyncctl genkey -c $scratch/csyncd.cfg >/dev/null || die "csyncctl genkey -c $scratch/csyncd.cfg"
  in_tree /opt/lbos/bin/csyncd --check-config -c $scratch/csyncd.cfg >/dev/null || die "csyncd --check-config -c $scratch/csyncd.cfg"
  rm -rf "$TREE$scratch"
  in_tree haproxy -c -q -f /etc/haproxy/haproxy.cfg || die "haproxy -c -f /etc/haproxy/haproxy.cfg"
  warm_compile_cache
  if [ -x "$TREE/opt/lbos/bin/paneld" ] && [ -f "$TREE/etc/lbos/paneld.conf" ]; then
    in_tree /opt/lbos/bin/paneld --check-config -c /etc/lbos/paneld.conf >/dev/null || die "paneld --check-config -c /etc/lbos/paneld.conf"
  fi
  note "haproxy, hbd, nicd, statusd, csyncd$([ -x "$TREE/opt/lbos/bin/paneld" ] && echo ', paneld'): ok"
}

# Node's compile cache (NODE_COMPILE_CACHE, set for every unit in
# system.conf.d/lbos-node.conf), filled by loading every program once.
# V8's code cache embeds string hashes seeded at random per process, so two
# builds would differ in every file: --random-seed fixes the seed (the hash seed
# derives from it), and V8 leaves that flag out of the cache's flag check, so
# the services, started without it, accept these entries.
warm_compile_cache() {
  local cache=/var/cache/lbos/node-compile b
  rm -rf "$TREE$cache"; mkdir -p "$TREE$cache"
  for b in "$TREE"/opt/lbos/bin/*; do
    NODE_COMPILE_CACHE=$cache in_tree node --random-seed=1 "/opt/lbos/bin/${b##*/}" --help >/dev/null 2>&1 \
      || die "/opt/lbos/bin/${b##*/} --help fails in the image (a module missing from its bundle?)"
  done
  # A service starts without the flag: its entries must be accepted, not rewritten.
  local rewritten; rewritten=$(NODE_DEBUG_NATIVE=COMPILE_CACHE NODE_COMPILE_CACHE=$cache in_tree /opt/lbos/bin/hbd --help 2>&1 >/dev/null | grep -c '^\[compile cache\] writing' || true)
  [ "$rewritten" = 0 ] || die "node compile cache: $rewritten entries made with --random-seed were rejected by a plain start (has V8's flag check changed?)"
  note "node compile cache: $(find "$TREE$cache" -type f | wc -l) files"
}

# What differs between the trees of one base. The generic-kernel base carries
# lcdproc (packages.list "metal:"): bare metal runs LCDd for its front panel
# (overlay-metal/etc/LCDd.conf, the driver its hardware profile names); the
# VMware tree has no panel. The VMware tree must carry the drivers of the
# controllers VMware Workstation and VirtualBox give an imported OVA (LSI
# Logic SPI/SAS, AHCI) in its initramfs, and the E1000/E1000E NIC drivers in
# its root (NIC drivers load from the root: zz-lbos-prune).
flavor_tree() {
  case $FLAVOR in
    metal)
      rsync -rlpt --chown=0:0 "$ROOTFS_DIR/overlay-metal/" "$TREE/"
      systemctl --root="$TREE" enable lcdproc.service >/dev/null 2>&1 || die "no lcdproc.service (LCDd) in the metal base"
      check_lcdd_profile "$REPO/hw-test/profiles/lb-2000.profile" "$TREE/etc/LCDd.conf" ;;
    vmware)
      [ ! -e "$TREE/usr/lib/systemd/system/lcdproc.service" ] || systemctl --root="$TREE" disable lcdproc.service >/dev/null 2>&1
      prune_vm_modules
      check_vmware_drivers ;;
  esac
}

# check_lcdd_profile PROFILE CONF: LCDd.conf drives the display the profile names.
check_lcdd_profile() {
  local panel driver size got_driver got_size
  panel=$(grep -E '^panel[[:space:]]' "$1") || die "$1: no panel line"
  driver=$(sed -n 's/.* driver \([^ ]*\).*/\1/p' <<< "$panel")
  size=$(sed -n 's/.* size \([^ ]*\).*/\1/p' <<< "$panel")
  got_driver=$(sed -n 's/^Driver=//p' "$2" | head -n1)
  got_size=$(sed -n "/^\[$got_driver\]/,/^\[/s/^Size=//p" "$2" | head -n1)
  [ "$got_driver" = "$driver" ] && [ "$got_size" = "$size" ] \
    || die "${2#"$TREE"}: Driver=$got_driver Size=$got_size, but ${1#"$REPO"/} says driver $driver size $size"
  note "LCDd: $driver $size (${1#"$REPO"/})"
}

# The VMware tree carries the generic kernel for its LSI Logic, AHCI and
# E1000 drivers (the cloud kernel has none of them), but a virtual machine
# has no use for the module families that drive real hardware it never has:
# graphics (the console is text), media, sound, Wi-Fi and Bluetooth,
# InfiniBand, industrial I/O, staging, CAN, NFC, ISDN, MTD, joysticks and
# touchscreens, the kernel's self-tests. ~175 MB of the 400 MB of modules;
# every storage, NIC, USB/HID, file system and netfilter module stays.
# depmod keeps modules.dep consistent; the initramfs was made in the base
# and keeps its own copies.
VM_PRUNED_MODULES="drivers/gpu drivers/media sound drivers/net/wireless net/wireless net/mac80211
  drivers/bluetooth net/bluetooth drivers/infiniband drivers/iio drivers/staging drivers/comedi drivers/mtd
  drivers/isdn drivers/net/can net/can drivers/nfc net/nfc drivers/net/wwan drivers/input/joystick
  drivers/input/touchscreen lib/test_bpf.ko"
prune_vm_modules() {
  local k d dir before after
  k=$(cd "$TREE/boot" && ls vmlinuz-* | sort -V | tail -n1); k=${k#vmlinuz-}
  dir="$TREE/usr/lib/modules/$k/kernel"
  [ -d "$dir" ] || die "prune_vm_modules: no $dir"
  before=$(du -sm "$dir" | cut -f1)
  for d in $VM_PRUNED_MODULES; do rm -rf "${dir:?}/$d"; done
  in_tree depmod -a "$k" || die "depmod $k failed after pruning the VMware tree's modules"
  after=$(du -sm "$dir" | cut -f1)
  note "VMware tree: kernel modules ${before} MB -> ${after} MB (no graphics, media, sound, wireless...)"
}

check_vmware_drivers() {
  local k m initrd missing=()
  k=$(cd "$TREE/boot" && ls vmlinuz-* | sort -V | tail -n1); k=${k#vmlinuz-}
  initrd=$(in_tree lsinitramfs "/boot/initrd.img-$k")
  # mptspi/mptsas load only with mptbase, mptscsih and their SCSI transport class.
  for m in mptspi mptsas mptbase mptscsih scsi_transport_spi scsi_transport_sas vmw_pvscsi ahci ata_piix sd_mod sr_mod; do
    grep -qE "/$m\.ko" <<< "$initrd" || grep -qE "/$m\.ko" "$TREE/usr/lib/modules/$k/modules.builtin" || missing+=("$m (initramfs)")
  done
  for m in e1000 e1000e vmxnet3 isofs; do
    [ -n "$(find "$TREE/usr/lib/modules/$k" -name "$m.ko*" -print -quit)" ] || grep -qE "/$m\.ko" "$TREE/usr/lib/modules/$k/modules.builtin" || missing+=("$m")
  done
  [ ${#missing[@]} -eq 0 ] || die "the VMware tree's kernel $k lacks: ${missing[*]}"
  note "VMware/VirtualBox drivers: mptspi mptsas (mptbase mptscsih, SPI/SAS transports) vmw_pvscsi ahci ata_piix sd_mod in the initramfs; e1000 e1000e vmxnet3 in $k"
}
