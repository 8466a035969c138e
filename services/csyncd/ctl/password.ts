/**
 * Where csyncctl gets a password: --password-file FILE ("-" = stdin, first
 * line), $CSYNCD_PASSWORD, or a prompt without echo on a terminal.
 */
import { readFile } from 'node:fs/promises';
import { AppError } from '../../runtime/errors';

export async function readPassword(opts: { file?: string; prompt: string }): Promise<string> {
  if (opts.file !== undefined) {
    const text = opts.file === '-' ? await readStdin() : await readFile(opts.file, 'utf8').catch((err: unknown) => {
      throw new AppError('USAGE', `cannot read the password file ${opts.file ?? ''}: ${err instanceof Error ? err.message : String(err)}`);
    });
    return firstLine(text);
  }
  const env = process.env.CSYNCD_PASSWORD;
  if (env !== undefined && env !== '') return env;
  if (process.stdin.isTTY !== true) throw new AppError('USAGE', 'no password: give --password-file FILE (or - for stdin), set CSYNCD_PASSWORD, or run on a terminal');
  return promptHidden(opts.prompt);
}

function firstLine(text: string): string {
  const line = text.split('\n')[0]?.replace(/\r$/, '') ?? '';
  if (line === '') throw new AppError('USAGE', 'the password is empty');
  return line;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Read a line from the terminal without echoing it. */
function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const onData = (d: Buffer): void => {
      for (const ch of d.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003') return done(new AppError('USAGE', 'interrupted'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    const done = (err: AppError | null): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (err !== null) reject(err);
      else if (value === '') reject(new AppError('USAGE', 'the password is empty'));
      else resolve(value);
    };
    stdin.on('data', onData);
  });
}
