/**
 * --sim-fault: break the simulated rig on purpose to see the harness catch
 * it (its own integration test does). Comma-separated:
 *   nic-down:PORT  nic-deaf:PORT  serial-mute  no-lcdd  led-missing:NAME
 */
import { AppError } from '../../services/runtime/errors';
import type { Profile } from '../profile/types';
import type { SimFaults } from './sim-rig';

export function parseFaults(text: string, p: Profile): SimFaults {
  const f: SimFaults = { nicDown: [], nicDeaf: [], serialMute: false, noLcdd: false, missingLeds: [] };
  for (const item of text.split(',').filter((x) => x !== '')) {
    const [kind, arg] = item.split(/:(.*)/s) as [string, string | undefined];
    if (kind === 'serial-mute' && arg === undefined) f.serialMute = true;
    else if (kind === 'no-lcdd' && arg === undefined) f.noLcdd = true;
    else if (kind === 'nic-down' && arg !== undefined && p.nics.some((n) => n.name === arg)) f.nicDown.push(arg);
    else if (kind === 'nic-deaf' && arg !== undefined && p.nics.some((n) => n.name === arg)) f.nicDeaf.push(arg);
    else if (kind === 'led-missing' && arg !== undefined && p.leds.some((l) => l.name === arg)) f.missingLeds.push(arg);
    else {
      const ports = p.nics.map((n) => n.name).join('|');
      const leds = p.leds.map((l) => l.name).join('|');
      throw new AppError('USAGE', `--sim-fault "${item}": expected nic-down:<${ports}>, nic-deaf:<${ports}>, serial-mute, no-lcdd or led-missing:<${leds}>`);
    }
  }
  return f;
}
