/**
 * LedClass: the Linux LED class (/sys/class/leds/<name>/brightness,
 * max_brightness, trigger, and the timer trigger's delay_on/delay_off) under
 * a configurable root, so tests and hw-test can point it at a directory
 * shaped like sysfs. Nothing in here knows about paneld.
 *
 * API
 *   const leds = new LedClass('/sys/class/leds');      // default root
 *   await leds.list()                                  // ['apu2:green:led1', ...] (sorted)
 *   await leds.read('apu2:green:led1')                 // { name, brightness, maxBrightness, trigger, triggers, state }
 *   await leds.setBrightness(name, 255)                // 0..max_brightness, else LED_INVALID
 *   await leds.setTrigger(name, 'timer')               // must be offered by the kernel (when it lists them)
 *   await leds.setTimer(name, 100, 900)                // trigger timer + delay_on/delay_off (ms)
 *   await leds.apply(name, { mode: 'blink', brightness: 255, onMs: 500, offMs: 500 })  // or on / off
 *   await leds.state(name)                             // the LedState the files amount to
 *
 * Errors (AppError codes): LED_MISSING (no such LED under the root: log it
 * once and skip the LED), LED_INVALID (a value out of range, an unknown
 * trigger, a bad name), LED_IO (a read or write failed, e.g. permission).
 * Order matters on real sysfs: setting trigger "none" turns the LED off,
 * and writing brightness 0 removes a trigger, so apply() sets the trigger
 * first and the brightness after.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { AppError, errorMessage } from '../../runtime/errors';
import { isLedName, parseTriggerFile, parseUintFile, stateOf, type LedState } from '../core/led-sysfs';

export type { LedState } from '../core/led-sysfs';

export const DEFAULT_LED_ROOT = '/sys/class/leds';

export interface LedInfo {
  name: string;
  brightness: number;
  maxBrightness: number;
  trigger: string | null;
  /** Triggers the kernel offers (empty when the trigger file does not list them). */
  triggers: string[];
  state: LedState;
}

export class LedClass {
  constructor(readonly root: string = DEFAULT_LED_ROOT) {}

  async list(): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.root);
    } catch (err) {
      throw new AppError('LED_MISSING', `no LED class directory at ${this.root}: ${errorMessage(err)}`, { root: this.root }, { cause: err });
    }
    const out: string[] = [];
    for (const n of names) {
      if (await exists(path.join(this.root, n, 'brightness'))) out.push(n);
    }
    return out.sort();
  }

  async has(name: string): Promise<boolean> {
    return isLedName(name) && exists(path.join(this.root, name, 'brightness'));
  }

  async read(name: string): Promise<LedInfo> {
    await this.check(name);
    const brightness = await this.readUint(name, 'brightness');
    const maxBrightness = await this.readUint(name, 'max_brightness');
    const trig = parseTriggerFile((await this.readOptional(name, 'trigger')) ?? '');
    const timer = trig.current === 'timer';
    const delayOn = timer ? parseUintFile((await this.readOptional(name, 'delay_on')) ?? '') : null;
    const delayOff = timer ? parseUintFile((await this.readOptional(name, 'delay_off')) ?? '') : null;
    return { name, brightness, maxBrightness, trigger: trig.current, triggers: trig.available, state: stateOf(trig.current, brightness, delayOn, delayOff) };
  }

  async state(name: string): Promise<LedState> {
    return (await this.read(name)).state;
  }

  async setBrightness(name: string, value: number): Promise<void> {
    await this.check(name);
    const max = await this.readUint(name, 'max_brightness');
    if (!Number.isInteger(value) || value < 0 || value > max) throw new AppError('LED_INVALID', `brightness ${value} of LED ${name} is out of range (0..${max})`, { led: name });
    await this.write(name, 'brightness', String(value));
  }

  async setTrigger(name: string, trigger: string): Promise<void> {
    await this.check(name);
    if (!/^[A-Za-z0-9_:.-]{1,64}$/.test(trigger)) throw new AppError('LED_INVALID', `"${trigger}" is not a trigger name`, { led: name });
    const offered = parseTriggerFile((await this.readOptional(name, 'trigger')) ?? '').available;
    if (offered.length > 0 && !offered.includes(trigger)) {
      throw new AppError('LED_INVALID', `LED ${name} has no trigger "${trigger}" (the kernel offers: ${offered.join(' ')}; modprobe ledtrig-${trigger}?)`, { led: name });
    }
    await this.write(name, 'trigger', trigger);
  }

  /** Blink through the timer trigger. */
  async setTimer(name: string, onMs: number, offMs: number): Promise<void> {
    for (const v of [onMs, offMs]) {
      if (!Number.isInteger(v) || v < 1 || v > 3_600_000) throw new AppError('LED_INVALID', `blink time ${v} ms of LED ${name} is out of range (1..3600000)`, { led: name });
    }
    await this.setTrigger(name, 'timer');
    await this.write(name, 'delay_on', String(onMs));
    await this.write(name, 'delay_off', String(offMs));
  }

  async apply(name: string, s: LedState): Promise<void> {
    switch (s.mode) {
      case 'off':
        await this.setTrigger(name, 'none');
        await this.setBrightness(name, 0);
        return;
      case 'on':
        await this.setTrigger(name, 'none');
        await this.setBrightness(name, s.brightness);
        return;
      case 'blink':
        // The timer blinks at the brightness set before it (or max when that is 0).
        await this.setTrigger(name, 'none');
        await this.setBrightness(name, s.brightness);
        await this.setTimer(name, s.onMs, s.offMs);
        return;
    }
  }

  private async check(name: string): Promise<void> {
    if (!isLedName(name)) throw new AppError('LED_INVALID', `"${name}" is not an LED name`, { led: name });
    if (!(await exists(path.join(this.root, name, 'brightness')))) {
      throw new AppError('LED_MISSING', `no LED "${name}" under ${this.root}`, { led: name, root: this.root });
    }
  }

  private async readUint(name: string, attr: string): Promise<number> {
    const text = await this.readOptional(name, attr);
    const v = parseUintFile(text ?? '');
    if (v === null) throw new AppError('LED_IO', `${path.join(this.root, name, attr)}: ${text === null ? 'missing' : `"${text.trim().slice(0, 40)}" is not a number`}`, { led: name });
    return v;
  }

  private async readOptional(name: string, attr: string): Promise<string | null> {
    try {
      return await fs.readFile(path.join(this.root, name, attr), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new AppError('LED_IO', `cannot read ${path.join(this.root, name, attr)}: ${errorMessage(err)}`, { led: name }, { cause: err });
    }
  }

  private async write(name: string, attr: string, value: string): Promise<void> {
    const file = path.join(this.root, name, attr);
    try {
      // sysfs attributes: one write(2) of the whole value, no truncating rename.
      await fs.writeFile(file, value, { flag: 'w' });
    } catch (err) {
      throw new AppError('LED_IO', `cannot write "${value}" to ${file}: ${errorMessage(err)}`, { led: name }, { cause: err });
    }
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}
