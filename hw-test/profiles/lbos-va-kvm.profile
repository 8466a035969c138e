# Virtual appliance on KVM/QEMU (Proxmox, libvirt, OpenStack): one virtio
# NIC, one virtio disk (no SMART), the QEMU guest agent must run.
model        LBOS-VA-KVM
kind         virtual
match        Standard PC (Q35 + ICH9, 2009)
match        Standard PC (i440FX + PIIX, 1996)
match        KVM

nic          eth0
disk         vda min-size 8G smart off read 64M
memory       1.8G..
cpus         1..
hypervisor   kvm agent qemu-ga
