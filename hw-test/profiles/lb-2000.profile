# LB-2000: 1U appliance, 4 x 1GbE, front panel 20x2 LCD with 4 keys, 3 LEDs,
# one SATA SSD, 8 GB RAM, 4 cores. Factory fixture: eth0-eth1 and eth2-eth3
# joined by short patch cables, a loopback plug on ttyS0 (pins 2-3, 7-8).
model        LB-2000
kind         physical
match        LB-2000

nic          eth0 speed 1000
nic          eth1 speed 1000
nic          eth2 speed 1000
nic          eth3 speed 1000
cable        eth0 eth1 packets 1000 bytes 256M max-loss 0 min-mbps 800
cable        eth2 eth3 packets 1000 bytes 256M max-loss 0 min-mbps 800

serial       ttyS0 bauds 9600,19200,38400,57600,115200 frames 50

panel        size 20x2 keys Up,Down,Enter,Escape server 127.0.0.1:13666 driver CFontzPacket
led          lbos:green:status
led          lbos:amber:fault
led          lbos:green:ha

disk         sda min-size 60G smart required read 256M
memory       7.5G..8G
cpus         4
temperature  5..85 required
