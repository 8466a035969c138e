# The bare-metal image booted under QEMU by `make image-test` (case raw,
# rootfs/test/image-test.sh): hw-test --hw real against the VM's real kernel
# interfaces. Chosen only with --profile (no match line: a QEMU system model
# selects LBOS-VA-KVM). What a VM cannot have is left out on purpose, not
# skipped silently:
#   - SMART: a virtio disk has none           -> disk ... smart off
#   - LEDs: no /sys/class/leds in QEMU        -> no led lines
#   - CPU temperature: no sensor in a VM      -> no temperature line
#   - link speed: virtio reports none         -> nic lines without speed
# The fixture: eth3-eth4 two virtio NICs joined by a QEMU socket netdev on
# 127.0.0.1 (the patch cable); ttyS2 and ttyS3 each a QEMU pipe chardev whose
# in and out are one FIFO (the loopback plug); LCDd's text driver drawing
# on ttyS1 (a file on the host) for the panel.
model        QEMU-METAL-RIG
kind         physical

nic          eth3
nic          eth4
cable        eth3 eth4 packets 200 bytes 4M max-loss 0

serial       ttyS2 bauds 9600,115200 frames 10
serial       ttyS3 bauds 115200 frames 10

panel        size 20x2 driver text

disk         vda min-size 3G smart off read 16M
memory       1.5G..
cpus         2
