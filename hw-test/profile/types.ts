/**
 * A hardware profile: what one appliance model (or the simulated rig) must
 * have, and how its test fixture is cabled. Parsed from a profile file
 * (hw-test/profiles/*.profile, format in hw-test/README.md).
 */

/** Physical box, virtual appliance, or the developer's simulated rig. */
export type ProfileKind = 'physical' | 'virtual' | 'sim';

/** An inclusive range; either end may be open. */
export interface Range {
  min?: number;
  max?: number;
}

/** A NIC that must exist, with the link speed it must negotiate. */
export interface NicSpec {
  name: string;
  /** Mb/s; absent: any speed with link is accepted. */
  speedMbps?: number;
  line: number;
}

/** Two ports joined by a cable in the test fixture: traffic must pass between them. */
export interface CableSpec {
  a: string;
  b: string;
  /** Ping packets sent each way (bounded). */
  packets: number;
  /** Bytes pushed a -> b over TCP for the throughput figure (bounded). */
  bytes: number;
  /** Highest accepted packet loss, percent. */
  maxLossPct: number;
  /** Lowest accepted throughput, Mb/s. */
  minMbps: number;
  line: number;
}

/** A serial port with a loopback plug (or an echoing peer) in the fixture. */
export interface SerialSpec {
  /** Device name relative to the device root (/dev on a unit), e.g. ttyS0. */
  device: string;
  bauds: number[];
  /** Frames sent per baud rate (bounded). */
  frames: number;
  line: number;
}

/** The LCDproc panel: display size and the keys the technician presses. */
export interface PanelSpec {
  width: number;
  height: number;
  keys: string[];
  /** LCDd address (loopback on a unit). */
  host: string;
  port: number;
  /** The LCDd driver of this model's display (Driver= in the image's LCDd.conf; checked at image build). */
  driver?: string;
  line: number;
}

/** A Linux LED class device (/sys/class/leds/NAME). */
export interface LedSpec {
  name: string;
  line: number;
}

export type SmartMode = 'auto' | 'required' | 'off';

/** A disk that must be present. */
export interface DiskSpec {
  /** Device name relative to the device root, e.g. sda or nvme0n1. */
  device: string;
  minBytes: number;
  smart: SmartMode;
  /** Bytes read from the start of the disk in the read test (bounded). */
  readBytes: number;
  line: number;
}

export interface HypervisorSpec {
  /** As systeminformation names it, lower case (kvm, vmware, hyper-v, xen, virtualbox ...). */
  name: string;
  /** Process name (comm) of the guest agent that must run, e.g. qemu-ga. */
  agent: string;
  line: number;
}

export interface Profile {
  file: string;
  model: string;
  kind: ProfileKind;
  /** systeminformation system().model values that identify this model. */
  match: string[];
  nics: NicSpec[];
  cables: CableSpec[];
  serials: SerialSpec[];
  panel?: PanelSpec;
  leds: LedSpec[];
  disks: DiskSpec[];
  /** Total memory the kernel sees, bytes. */
  memory?: Range;
  cpus?: Range;
  /** CPU temperature, degrees Celsius. */
  temperature?: Range & { required: boolean };
  hypervisor?: HypervisorSpec;
}
