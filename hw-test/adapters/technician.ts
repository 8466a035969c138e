/** The technician at the unit's console (--interactive): questions on the terminal, answers y/n. */
import * as readline from 'node:readline/promises';
import type { Technician } from '../checks/types';

export function terminalTechnician(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Technician & { close(): void } {
  const rl = readline.createInterface({ input, output, terminal: false });
  const ask = async (q: string): Promise<string> => (await rl.question(q)).trim().toLowerCase();
  return {
    present: true,
    say: (text) => {
      output.write(`  >> ${text}\n`);
    },
    instruct: async (text) => {
      await ask(`  >> ${text}, then press Enter `);
    },
    confirm: async (question) => {
      // Bounded: three unclear answers count as "no".
      for (let i = 0; i < 3; i++) {
        const a = await ask(`  ?? ${question} [y/n] `);
        if (a === 'y' || a === 'yes') return true;
        if (a === 'n' || a === 'no') return false;
      }
      return false;
    },
    close: () => rl.close(),
  };
}
