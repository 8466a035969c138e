/** `led.NAME`: the LED contract (contracts/led.ts) through paneld's LedClass; confirmed by eye with --interactive. */
import { errorMessage } from '../../services/runtime/errors';
import { runLedContract, type LedPort } from '../contracts/led';
import type { LedSpec } from '../profile/types';
import { fail, pass, type Check, type Technician } from './types';

export function ledCheck(spec: LedSpec, leds: LedPort, root: string, tech: Technician): Check {
  return {
    id: `led.${spec.name}`,
    group: 'led',
    timeoutMs: tech.present ? 600_000 : 15_000,
    run: async () => {
      let r;
      try {
        r = await runLedContract(leds, spec.name, tech.present ? (q) => tech.confirm(q) : undefined);
      } catch (err) {
        return fail(`LED ${spec.name}: ${errorMessage(err)}`, { root });
      }
      if (!r.present) return fail(`LED ${spec.name} missing under ${root}: LED driver not loaded or wrong name in the device tree/ACPI`, { root, present: false });
      const m = { root, present: true, ...Object.fromEntries(r.steps.flatMap((s) => [[`${s.step}_read_back_ok`, s.ok], [`${s.step}_seen`, s.seen]])) };
      const bad = r.steps.filter((s) => !s.ok);
      if (bad.length > 0) return fail(`LED ${spec.name}: ${bad.map((s) => `${s.step}: ${s.problem}`).join('; ')}`, m);
      return pass(`on, off and blink read back${tech.present ? ' and seen' : ''}`, m);
    },
  };
}
