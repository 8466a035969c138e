/**
 * The console banner on disk (/etc/issue.d/lbos.issue by default, which agetty
 * prints after /etc/issue; or /etc/issue itself): written atomically,
 * only when the text or its mode changed, with agetty's backslash escapes
 * neutralised. While it holds the web UI's initial password it is 0600:
 * agetty runs as root and prints it on the console; no other user reads it.
 * After each change agetty is told to print its prompt again with the new
 * banner (`reloadFile`, /run/agetty.reload: what `agetty --reload` touches,
 * made at boot by tmpfiles.d/lbos.conf), so a console shows the initial
 * password, a new address or the HA state as soon as paneld knows them,
 * not only at the next login prompt.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../runtime/atomic-file';
import { issueEscape } from '../core/banner';

/** Readable by all (the banner as it always was) or by root only (it holds a password). */
export const BANNER_MODE = 0o644;
export const SECRET_BANNER_MODE = 0o600;

export interface BannerOptions {
  /** The text holds a secret: the file is made 0600. */
  secret: boolean;
}

export class BannerFile {
  private written: { data: string; mode: number } | null = null;
  private chain: Promise<void> = Promise.resolve();

  constructor(readonly file: string, private readonly onError: (err: unknown) => void, private readonly reloadFile: string | null = null) {}

  show(text: string, opts: BannerOptions = { secret: false }): Promise<void> {
    this.chain = this.chain.then(async () => {
      const data = issueEscape(text);
      const mode = opts.secret ? SECRET_BANNER_MODE : BANNER_MODE;
      if (this.written !== null && this.written.data === data && this.written.mode === mode) return;
      try {
        if (this.written === null && (await sameFile(this.file, data, mode))) {
          this.written = { data, mode };
          return;
        }
        await fs.mkdir(path.dirname(this.file), { recursive: true });
        // A new file with the new mode renamed over the old: the password never sits in a readable file.
        await writeFileAtomic(this.file, data, { mode });
        this.written = { data, mode };
        if (this.reloadFile !== null) await reloadAgettys(this.reloadFile);
      } catch (err) {
        this.onError(err);
      }
    });
    return this.chain;
  }
}

/** The file already says `data` with `mode` (paneld restarted): nothing to write. */
async function sameFile(file: string, data: string, mode: number): Promise<boolean> {
  try {
    const [text, st] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
    return text === data && (st.mode & 0o777) === mode;
  } catch {
    return false;
  }
}

/** agetty --reload without the program: touch the file every agetty watches (if it exists: agetty made the watch at start). */
async function reloadAgettys(file: string): Promise<void> {
  const now = new Date();
  await fs.utimes(file, now, now).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  });
}
