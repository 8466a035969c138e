/**
 * The passphrase: from a file (its first line), or typed on the terminal
 * without echo. Never from argv: the command line is visible to every
 * user in ps and /proc.
 */
import { promises as fs } from 'node:fs';
import { backupError } from '../errors';

export const MIN_PASSPHRASE_CHARS = 8;

export async function readPassphraseFile(file: string): Promise<string> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    throw backupError('USAGE', `--passphrase-file ${file}: cannot read: ${(err as Error).message}`, err);
  }
  const line = (text.split('\n')[0] ?? '').replace(/\r$/, '');
  if (line === '') throw backupError('USAGE', `--passphrase-file ${file}: the first line is empty`);
  return line;
}

/** Reads one line from the terminal with echo off; null when stdin is not a terminal. */
export async function askPassphrase(prompt: string): Promise<string | null> {
  const input = process.stdin;
  if (!input.isTTY) return null;
  process.stderr.write(prompt);
  input.setRawMode(true);
  input.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let typed = '';
      const onData = (chunk: Buffer): void => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            input.off('data', onData);
            return resolve(typed);
          }
          if (ch === '\u0003') {
            input.off('data', onData);
            return reject(backupError('USAGE', 'interrupted'));
          }
          if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
          else typed += ch;
        }
      };
      input.on('data', onData);
    });
  } finally {
    input.setRawMode(false);
    input.pause();
    process.stderr.write('\n');
  }
}

/** For create: the file's, or typed twice; refused when there is neither or it is short. */
export async function newPassphrase(file: string | undefined): Promise<string> {
  let p: string;
  if (file !== undefined) p = await readPassphraseFile(file);
  else {
    const first = await askPassphrase('passphrase for the archive: ');
    if (first === null) throw backupError('PASSPHRASE_NEEDED', '--with-keys needs a passphrase: give --passphrase-file FILE, or run on a terminal to type it');
    const again = await askPassphrase('again: ');
    if (again !== first) throw backupError('USAGE', 'the two passphrases differ');
    p = first;
  }
  if ([...p].length < MIN_PASSPHRASE_CHARS) throw backupError('USAGE', `the passphrase must have at least ${MIN_PASSPHRASE_CHARS} characters`);
  return p;
}
