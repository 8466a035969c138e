#!/usr/bin/env python3
"""Install GRUB for legacy BIOS into a GPT disk image without grub-install
(which needs a block device): boot.img into the protective MBR (partition
table kept) pointing at the core image in the BIOS boot partition, and the
core image's first-sector blocklist pointing at the rest of itself. Offsets
are those of GRUB 2's boot.S/diskboot.S (grub-bios-setup does the same)."""
import struct, sys

KERNEL_SECTOR = 0x5C      # boot.img: LBA of the core image (8 bytes LE)
DRIVE_CHECK = 0x66        # boot.img: jmp replaced by two NOPs for hard disks
MBR_CODE_END = 0x1B8      # code area; disk signature and partition table follow
BLOCKLIST = 0x200 - 12    # diskboot.img: start (8), len (2), segment (2)

def main(disk: str, boot_img: str, core_img: str, core_lba: int, max_sectors: int) -> None:
    boot = bytearray(open(boot_img, 'rb').read())
    core = bytearray(open(core_img, 'rb').read())
    if len(boot) != 512:
        sys.exit(f'{boot_img}: {len(boot)} bytes, expected 512')
    if len(core) % 512:
        core += bytes(512 - len(core) % 512)
    sectors = len(core) // 512
    if sectors > max_sectors:
        sys.exit(f'core image is {sectors} sectors, the BIOS boot partition holds {max_sectors}')
    struct.pack_into('<Q', boot, KERNEL_SECTOR, core_lba)
    boot[DRIVE_CHECK:DRIVE_CHECK + 2] = b'\x90\x90'
    struct.pack_into('<QH', core, BLOCKLIST, core_lba + 1, sectors - 1)
    if any(core[BLOCKLIST - 12:BLOCKLIST]):
        sys.exit('unexpected data before the core image blocklist (GRUB layout changed?)')
    with open(disk, 'r+b') as f:
        mbr = bytearray(f.read(512))
        if mbr[0x1FE:0x200] != b'\x55\xaa' or mbr[0x1C2] != 0xEE:
            sys.exit(f'{disk}: no protective MBR (run sgdisk first)')
        mbr[:MBR_CODE_END] = boot[:MBR_CODE_END]
        f.seek(0); f.write(mbr)
        f.seek(core_lba * 512); f.write(core)

if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
