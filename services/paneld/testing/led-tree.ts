/**
 * A directory shaped like /sys/class/leds for tests and hw-test dry runs:
 * <root>/<name>/{brightness,max_brightness,trigger}. The trigger file starts
 * as the kernel shows it ("[none] timer heartbeat"); what LedClass writes
 * replaces it with the bare name, which LedClass reads back too. delay_on and
 * delay_off appear when written, as they do once the timer trigger is set.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

export interface TreeLed {
  name: string;
  maxBrightness?: number;
  triggers?: string[];
}

export async function makeLedTree(root: string, leds: readonly TreeLed[]): Promise<void> {
  for (const l of leds) {
    const dir = path.join(root, l.name);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, 'brightness'), '0\n');
    await fs.writeFile(path.join(dir, 'max_brightness'), `${l.maxBrightness ?? 255}\n`);
    const triggers = l.triggers ?? ['none', 'timer', 'heartbeat', 'default-on'];
    await fs.writeFile(path.join(dir, 'trigger'), `${triggers.map((t, i) => (i === 0 ? `[${t}]` : t)).join(' ')}\n`);
  }
}

/** The raw attribute values of one LED, for assertions. */
export async function ledFiles(root: string, name: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await fs.readdir(path.join(root, name))) out[f] = (await fs.readFile(path.join(root, name, f), 'utf8')).trim();
  return out;
}
