model LB-X
kind  physcal
nic   eth0 speed fast
nic   eth0
cable eth0 eth9 packtes 10
serial ttyS0 bauds 9600,12345
panel size 20by4 keys Up,,Down
led   bad/name
disk  ../etc/passwd read 64Q
memory 8G..4G
cpus  zero
temperature 5..85 required extra
hypervisor kvm
moddel LB-Y
model LB-Z
