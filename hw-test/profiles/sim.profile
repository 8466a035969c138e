# The simulated rig (HW=sim): what `hw-test --hw sim` builds on a development
# machine. Device and NIC names are resolved inside the rig: ttyS0 is a socat
# pty with an echo peer, disk0 a loop device, p0..p3 veth ports each in its
# own network namespace, the panel a real LCDd (curses driver under tmux),
# the LEDs a directory shaped like /sys/class/leds.
model        LBOS-SIM
kind         sim

nic          p0 speed 10000
nic          p1 speed 10000
nic          p2 speed 10000
nic          p3 speed 10000
cable        p0 p1 packets 100 bytes 8M
cable        p2 p3 packets 100 bytes 8M

serial       ttyS0 bauds 9600,19200,38400,57600,115200 frames 20

panel        size 20x4 keys Up,Down,Enter,Escape
led          lbos:green:status
led          lbos:amber:fault
led          lbos:green:ha

disk         disk0 min-size 32M smart auto read 8M
# Whatever the development machine has: the checks run against it as they
# would on a unit, with ranges any machine meets.
memory       256M..
cpus         1..
temperature  -20..110
