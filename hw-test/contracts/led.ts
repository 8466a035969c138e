/**
 * Contract of an LED (Linux LED class semantics, services/paneld/adapters/
 * led-class.ts): what is set reads back. One suite, two implementations:
 * the unit tests run it against an in-memory LED, the harness against
 * paneld's LedClass on /sys/class/leds (or the simulated tree). With a
 * technician at the unit each step is also confirmed by eye.
 *
 *   on (max brightness) -> reads on at max      -> "Is it lit?"
 *   off                 -> reads off             -> "Is it dark?"
 *   blink 250/250 ms    -> reads blink 250/250   -> "Is it blinking?"
 *   the state found at the start is put back at the end
 */
import type { LedInfo, LedState } from '../../services/paneld/adapters/led-class';

/** The part of LedClass the contract uses. */
export interface LedPort {
  has(name: string): Promise<boolean>;
  read(name: string): Promise<LedInfo>;
  apply(name: string, s: LedState): Promise<void>;
}

export interface LedStepResult {
  step: 'on' | 'off' | 'blink';
  readBack: LedState | null;
  ok: boolean;
  /** The technician's answer, or null without one. */
  seen: boolean | null;
  problem: string;
}

export const BLINK_MS = 250;

/**
 * While the timer trigger blinks, the kernel's brightness attribute follows
 * the blink (0 or max at the moment of reading): a blinking LED is judged
 * by its mode and timings only.
 */
function same(got: LedState, want: LedState): boolean {
  if (want.mode === 'blink') return got.mode === 'blink' && got.onMs === want.onMs && got.offMs === want.offMs;
  return JSON.stringify(got) === JSON.stringify(want);
}

const describe = (s: LedState): string => (s.mode === 'blink' ? `blink ${s.onMs}/${s.offMs} ms at ${s.brightness}` : s.mode === 'on' ? `on at ${s.brightness}` : 'off');

export async function runLedContract(leds: LedPort, name: string, confirm?: (question: string) => Promise<boolean>): Promise<{ present: boolean; steps: LedStepResult[] }> {
  if (!(await leds.has(name))) return { present: false, steps: [] };
  const before = await leds.read(name);
  const max = before.maxBrightness;
  const plan: { step: LedStepResult['step']; want: LedState; question: string }[] = [
    { step: 'on', want: { mode: 'on', brightness: max }, question: `Is LED ${name} lit?` },
    { step: 'off', want: { mode: 'off' }, question: `Is LED ${name} dark?` },
    { step: 'blink', want: { mode: 'blink', brightness: max, onMs: BLINK_MS, offMs: BLINK_MS }, question: `Is LED ${name} blinking (about twice a second)?` },
  ];
  const steps: LedStepResult[] = [];
  try {
    for (const p of plan) {
      await leds.apply(name, p.want);
      const got = (await leds.read(name)).state;
      const ok = same(got, p.want);
      const seen = confirm === undefined ? null : await confirm(p.question);
      const problems = [ok ? '' : `set ${describe(p.want)}, read back ${describe(got)}`, seen === false ? `technician: not ${p.step === 'on' ? 'lit' : p.step === 'off' ? 'dark' : 'blinking'}` : ''].filter((x) => x !== '');
      steps.push({ step: p.step, readBack: got, ok: ok && seen !== false, seen, problem: problems.join('; ') });
    }
  } finally {
    await leds.apply(name, before.state);
  }
  return { present: true, steps };
}
