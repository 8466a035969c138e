/**
 * The technician at the unit's console (--interactive): instructions and
 * y/n questions on the terminal. Answers are read as lines into a queue, so
 * answers typed (or piped) ahead are kept; at end of input every further
 * question counts as "no".
 */
import * as readline from 'node:readline';
import type { Technician } from '../checks/types';

export function terminalTechnician(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Technician & { close(): void } {
  const rl = readline.createInterface({ input, terminal: false });
  const lines: string[] = [];
  const waiting: ((line: string | null) => void)[] = [];
  let ended = false;
  rl.on('line', (l) => {
    const w = waiting.shift();
    if (w !== undefined) w(l);
    else lines.push(l);
  });
  rl.on('close', () => {
    ended = true;
    for (const w of waiting.splice(0)) w(null);
  });
  // A terminal echoes what is typed; piped answers are shown after their question.
  const echo = (input as { isTTY?: boolean }).isTTY !== true;
  const next = async (prompt: string): Promise<string | null> => {
    output.write(prompt);
    const queued = lines.shift();
    const line = queued !== undefined ? queued : ended ? null : await new Promise<string | null>((resolve) => waiting.push(resolve));
    if (echo) output.write(`${line ?? '(end of input)'}\n`);
    return line;
  };
  return {
    present: true,
    say: (text) => {
      output.write(`  >> ${text}\n`);
    },
    instruct: async (text) => {
      await next(`  >> ${text}, then press Enter `);
    },
    confirm: async (question) => {
      // Bounded: three unclear answers (or the end of input) count as "no".
      for (let i = 0; i < 3; i++) {
        const a = await next(`  ?? ${question} [y/n] `);
        if (a === null) break;
        const w = a.trim().toLowerCase();
        if (w === 'y' || w === 'yes') return true;
        if (w === 'n' || w === 'no') return false;
      }
      return false;
    },
    close: () => rl.close(),
  };
}
