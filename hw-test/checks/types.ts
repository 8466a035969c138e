/**
 * A check is one small test of one part (a NIC's link, a cable's traffic,
 * the serial port at one baud rate ...). It returns an outcome; it never
 * decides how it is shown or stored (runner.ts and report/ do).
 */
export type CheckStatus = 'pass' | 'fail' | 'skip';

/** Figures a check measured, by name with the unit in the name (loss_pct, mbps, size_bytes). */
export type Measurements = Record<string, number | string | boolean | null>;

export interface Outcome {
  status: CheckStatus;
  /** Why it failed or was skipped; for a pass, the headline figure. */
  reason: string;
  measurements: Measurements;
}

export interface Check {
  /** Stable id for reports and --only, e.g. `nic.eth0.link`, `serial.ttyS0.115200`. */
  id: string;
  /** Group name for the JUnit testsuite and the summary (nic, traffic, serial, disk ...). */
  group: string;
  /** Upper bound; the runner fails the check when it is exceeded. */
  timeoutMs: number;
  run(signal: AbortSignal): Promise<Outcome>;
}

export interface CheckResult extends Outcome {
  id: string;
  group: string;
  startedAt: string;
  durationMs: number;
}

export const pass = (reason: string, measurements: Measurements = {}): Outcome => ({ status: 'pass', reason, measurements });
export const fail = (reason: string, measurements: Measurements = {}): Outcome => ({ status: 'fail', reason, measurements });
export const skip = (reason: string, measurements: Measurements = {}): Outcome => ({ status: 'skip', reason, measurements });

/** The person at the unit (--interactive), or nobody. */
export interface Technician {
  readonly present: boolean;
  /** Shows an instruction and waits for Enter. */
  instruct(text: string): Promise<void>;
  /** Shows an instruction without waiting (the answer comes from the hardware, e.g. a key press). */
  say(text: string): void;
  /** Asks a yes/no question. */
  confirm(question: string): Promise<boolean>;
}

export const NOBODY: Technician = {
  present: false,
  instruct: () => Promise.resolve(),
  say: () => undefined,
  confirm: () => Promise.resolve(false),
};
