# Stage "disk": filesystems made from directories (mke2fs -d, mkfs.vfat +
# mtools), assembled into one GPT disk image without mounting anything.
GRUB_MODULES_COMMON="part_gpt part_msdos fat ext2 search search_label search_fs_uuid normal linux configfile echo test regexp loadenv serial terminal terminfo"

build_esp() {
  local esp=$1 work=$2
  sed -e "s/@SLOT_A_GUID@/$SLOT_A_GUID/g" -e "s/@SLOT_B_GUID@/$SLOT_B_GUID/g" -e "s|@CMDLINE@|$KERNEL_CMDLINE|g" \
    "$ROOTFS_DIR/lib/grub.cfg.in" > "$work/grub.cfg"
  grub-editenv "$work/grubenv" create
  grub-editenv "$work/grubenv" set lbos_slot=A
  # shellcheck disable=SC2086
  grub-mkimage -O x86_64-efi -o "$work/BOOTX64.EFI" -p /grub -c "$ROOTFS_DIR/lib/grub-early.cfg" \
    $GRUB_MODULES_COMMON efi_gop efi_uga all_video
  # shellcheck disable=SC2086
  grub-mkimage -O i386-pc -o "$work/core.img" -p /grub -c "$ROOTFS_DIR/lib/grub-early.cfg" \
    biosdisk $GRUB_MODULES_COMMON linux16
  touch -d "@$SOURCE_DATE_EPOCH" "$work/grub.cfg" "$work/grubenv" "$work/BOOTX64.EFI"
  rm -f "$esp"
  mkfs.vfat -F 32 -s 1 -n "$ESP_LABEL" -i "$ESP_VOLID" -C "$esp" $(( ESP_MIB * 1024 )) >/dev/null
  export MTOOLS_SKIP_CHECK=1
  mmd -i "$esp" ::/EFI ::/EFI/BOOT ::/grub
  mcopy -m -i "$esp" "$work/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI
  mcopy -m -i "$esp" "$work/grub.cfg" "$work/grubenv" ::/grub/
}

mkext4() { # IMAGE SIZE_MIB LABEL UUID [DIR]
  local img=$1 mib=$2 label=$3 uuid=$4 dir=${5:-}
  rm -f "$img"
  E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH mke2fs -q -F -t ext4 -b 4096 -L "$label" -U "$uuid" \
    -E "hash_seed=$uuid,lazy_itable_init=0,root_owner=0:0" -O ^has_journal \
    ${dir:+-d "$dir"} "$img" "${mib}M"
}

build_disk() {
  stage disk "GPT: BIOS boot, ESP, root A (this build), root B (empty), data"
  need_tools mke2fs mkfs.vfat mmd mcopy sgdisk grub-mkimage grub-editenv python3
  local work="$CACHE/disk-$FLAVOR.work"; rm -rf "$work"; mkdir -p "$work"
  build_esp "$work/esp.img" "$work"
  note "ESP: GRUB $(grub-mkimage --version | awk '{print $NF}') for BIOS and UEFI"
  # Root slot: no journal needed on a read-only filesystem; the data partition has one.
  mkext4 "$work/root-a.img" "$SLOT_MIB" lbos-root-a "$SLOT_A_GUID" "$TREE"
  note "root slot A: $(du -m "$TREE" -s | cut -f1) MiB in a $SLOT_MIB MiB slot"
  rm -f "$work/data.img"
  E2FSPROGS_FAKE_TIME=$SOURCE_DATE_EPOCH mke2fs -q -F -t ext4 -b 4096 -L lbos-data -U "$DATA_GUID" \
    -E "hash_seed=$DATA_GUID,root_owner=0:0" "$work/data.img" "${DATA_MIB}M"

  local disk="$CACHE/disk-$FLAVOR.raw" tmp="$CACHE/disk-$FLAVOR.raw.tmp"
  rm -f "$tmp"; truncate -s "${DISK_MIB}M" "$tmp"
  sgdisk -U "$DISK_GUID" \
    -n "1:$(part_start_mib 1)M:+${BIOS_MIB}M" -t 1:EF02 -c 1:bios-boot -u "1:$BIOS_GUID" \
    -n "2:$(part_start_mib 2)M:+${ESP_MIB}M" -t 2:EF00 -c 2:lbos-esp -u "2:$ESP_GUID" \
    -n "3:$(part_start_mib 3)M:+${SLOT_MIB}M" -t 3:8304 -c 3:lbos-root-a -u "3:$SLOT_A_GUID" \
    -n "4:$(part_start_mib 4)M:+${SLOT_MIB}M" -t 4:8304 -c 4:lbos-root-b -u "4:$SLOT_B_GUID" \
    -n "5:$(part_start_mib 5)M:+${DATA_MIB}M" -t 5:8300 -c 5:lbos-data -u "5:$DATA_GUID" \
    "$tmp" >/dev/null 2>&1 || die "sgdisk could not write the partition table"
  local p img
  for p in 2:esp 3:root-a 5:data; do
    img="$work/${p#*:}.img"
    dd if="$img" of="$tmp" bs=1M seek="$(part_start_mib "${p%%:*}")" conv=notrunc,sparse status=none
  done
  python3 "$ROOTFS_DIR/lib/bios-boot.py" "$tmp" /usr/lib/grub/i386-pc/boot.img "$work/core.img" \
    $(( $(part_start_mib 1) * 2048 )) $(( BIOS_MIB * 2048 ))
  sgdisk -v "$tmp" | grep -q 'No problems found' || die "sgdisk -v: the GPT of the new disk has problems"
  publish "$tmp" "$disk"
  DISK_RAW=$disk
  # The root slot alone: the A/B update image (lbos-update install).
  mv -f "$work/root-a.img" "$CACHE/root-$FLAVOR.img"
  ROOT_IMG="$CACHE/root-$FLAVOR.img"
  rm -rf "$work"
  note "disk: $DISK_MIB MiB virtual, $(du -m "$disk" | cut -f1) MiB allocated"
}
