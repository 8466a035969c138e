/**
 * LED roles -> the LEDs of the hardware model (config LedMap) through the
 * LED class. Writes only what changed; a missing LED is logged once and
 * skipped (and looked for again after a reload).
 */
import type { Logger } from '../../runtime/log';
import { errorMessage, isAppError } from '../../runtime/errors';
import type { LedMap } from '../config';
import { LED_ROLES, type LedRole, type RoleState } from '../core/leds';
import type { LedState } from '../core/led-sysfs';
import { LedClass } from './led-class';
import type { LedTuple } from './dbus-api';

export class LedDriver {
  private readonly leds: LedClass;
  private readonly last = new Map<LedRole, string>();
  private readonly status = new Map<LedRole, { state: string; detail: string }>();
  private readonly reported = new Set<string>();
  private chain: Promise<void> = Promise.resolve();

  constructor(root: string, private readonly map: LedMap | null, private readonly log: Logger) {
    this.leds = new LedClass(root);
  }

  /** Queue the new role states (writes are serialised). */
  show(states: Record<LedRole, RoleState>): Promise<void> {
    this.chain = this.chain.then(() => this.apply(states));
    return this.chain;
  }

  tuples(): LedTuple[] {
    if (this.map === null) return [];
    return LED_ROLES.flatMap((r) => {
      const b = this.map?.roles[r];
      if (b === undefined) return [];
      const s = this.status.get(r) ?? { state: 'unknown', detail: '' };
      return [[r, b.led, s.state, s.detail] as LedTuple];
    });
  }

  private async apply(states: Record<LedRole, RoleState>): Promise<void> {
    if (this.map === null) return;
    for (const role of LED_ROLES) {
      const b = this.map.roles[role];
      if (b === undefined) continue;
      const want = states[role];
      if (this.last.get(role) === want) continue;
      try {
        const brightness = b.brightness ?? (await this.leds.read(b.led)).maxBrightness;
        const s: LedState = want === 'off' ? { mode: 'off' } : want === 'on' ? { mode: 'on', brightness } : { mode: 'blink', brightness, onMs: this.map.blinkOnMs, offMs: this.map.blinkOffMs };
        await this.leds.apply(b.led, s);
        this.last.set(role, want);
        this.status.set(role, { state: want, detail: '' });
      } catch (err) {
        const missing = isAppError(err, 'LED_MISSING');
        this.status.set(role, { state: missing ? 'missing' : 'error', detail: errorMessage(err) });
        const key = `${role}:${missing ? 'missing' : errorMessage(err)}`;
        if (!this.reported.has(key)) {
          this.reported.add(key);
          this.log.warn({ role, led: b.led, err }, missing ? 'LED missing; skipped' : 'cannot set LED');
        }
        if (missing) this.last.set(role, want);
      }
    }
  }
}
