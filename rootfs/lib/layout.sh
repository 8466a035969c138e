# The appliance disk layout (GPT), shared by the build, the boot tests and the
# A/B update tooling. Sizes in MiB. GUIDs are fixed so that two builds of the
# same commit give the same disk; each slot is found by its partition GUID.
DISK_ALIGN_MIB=1
BIOS_MIB=1            # p1 BIOS boot partition (GRUB core image, legacy BIOS)
ESP_MIB=128           # p2 EFI system partition: GRUB for BIOS and UEFI, grub.cfg, grubenv (slot choice)
SLOT_MIB=1536         # p3 root slot A, p4 root slot B (ext4, mounted read-only)
DATA_MIB=512          # p5 data: overlays of /etc /var /home /root (grown by nothing; resize2fs if the disk grows)
DISK_GUID=6c626f73-0000-4000-8000-000000000000
BIOS_GUID=6c626f73-0001-4000-8000-000000000001
ESP_GUID=6c626f73-0002-4000-8000-000000000002
SLOT_A_GUID=6c626f73-0003-4000-8000-00000000000a
SLOT_B_GUID=6c626f73-0004-4000-8000-00000000000b
DATA_GUID=6c626f73-0005-4000-8000-000000000005
ESP_LABEL=LBOS-ESP
ESP_VOLID=4c424f53
DISK_MIB=$(( DISK_ALIGN_MIB + BIOS_MIB + ESP_MIB + 2 * SLOT_MIB + DATA_MIB + 1 ))
# start (MiB) of partition N
part_start_mib() {
  case $1 in
    1) echo $DISK_ALIGN_MIB ;;
    2) echo $(( DISK_ALIGN_MIB + BIOS_MIB )) ;;
    3) echo $(( DISK_ALIGN_MIB + BIOS_MIB + ESP_MIB )) ;;
    4) echo $(( DISK_ALIGN_MIB + BIOS_MIB + ESP_MIB + SLOT_MIB )) ;;
    5) echo $(( DISK_ALIGN_MIB + BIOS_MIB + ESP_MIB + 2 * SLOT_MIB )) ;;
  esac
}
KERNEL_CMDLINE="ro console=tty0 console=ttyS0,115200n8 net.ifnames=0 quiet"
