/**
 * What detection found on the machine (systeminformation), in the shape the
 * checks read. A fixture of this type is all the pure checks need.
 */
export interface DetectedNic {
  name: string;
  mac: string;
  operstate: string;
  /** Mb/s, null when the driver does not say. */
  speedMbps: number | null;
  virtual: boolean;
}

export interface DetectedDisk {
  device: string;
  name: string;
  type: string;
  sizeBytes: number;
  model: string;
  serial: string;
}

export interface HardwareFacts {
  manufacturer: string;
  /** systeminformation system().model: what profiles `match`. */
  model: string;
  /** Unit serial number ('' when the firmware does not give one). */
  serial: string;
  cpu: { brand: string; cores: number; physicalCores: number };
  memoryBytes: number;
  /** Degrees Celsius: main and per core; empty when there is no sensor (VMs, containers). */
  temperatures: number[];
  disks: DetectedDisk[];
  nics: DetectedNic[];
  virtual: boolean;
  /** Hypervisor as systeminformation names it, lower case ('' on bare metal or unknown). */
  hypervisor: string;
}
