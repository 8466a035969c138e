/**
 * Text of the Linux LED class attribute files (Documentation/leds/leds-class.rst,
 * ledtrig-timer.rst), pure. `trigger` lists the triggers the kernel offers
 * with the current one in brackets ("none [timer] heartbeat"); a tree that
 * only stands in for sysfs may hold just the name written last ("timer").
 */

export interface TriggerFile {
  current: string | null;
  /** Empty when the file does not list them. */
  available: string[];
}

export function parseTriggerFile(text: string): TriggerFile {
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return { current: null, available: [] };
  const bracketed = words.find((w) => /^\[.+\]$/.test(w));
  if (bracketed !== undefined) return { current: bracketed.slice(1, -1), available: words.map((w) => w.replace(/^\[(.+)\]$/, '$1')) };
  return words.length === 1 ? { current: words[0] ?? null, available: [] } : { current: null, available: words };
}

/** A non-negative integer attribute (brightness, max_brightness, delay_on); null if it is not one. */
export function parseUintFile(text: string): number | null {
  const t = text.trim();
  return /^\d{1,10}$/.test(t) ? Number(t) : null;
}

/** What an LED does, as the LED class can express it. */
export type LedState =
  | { mode: 'off' }
  | { mode: 'on'; brightness: number }
  | { mode: 'blink'; brightness: number; onMs: number; offMs: number };

/** The state the attribute values amount to. */
export function stateOf(trigger: string | null, brightness: number, delayOn: number | null, delayOff: number | null): LedState {
  if (trigger === 'timer') return { mode: 'blink', brightness, onMs: delayOn ?? 500, offMs: delayOff ?? 500 };
  return brightness > 0 ? { mode: 'on', brightness } : { mode: 'off' };
}

/** LED names are single path components. */
export function isLedName(name: string): boolean {
  return /^[^/\0]{1,128}$/.test(name) && name !== '.' && name !== '..';
}
