/**
 * The console banner on disk (/etc/issue.d/lbos.issue by default, which agetty
 * prints after /etc/issue; or /etc/issue itself): written atomically,
 * only when the text changed, with agetty's backslash escapes neutralised.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../runtime/atomic-file';
import { issueEscape } from '../core/banner';

export class BannerFile {
  private written: string | null = null;
  private chain: Promise<void> = Promise.resolve();

  constructor(readonly file: string, private readonly onError: (err: unknown) => void) {}

  show(text: string): Promise<void> {
    this.chain = this.chain.then(async () => {
      const data = issueEscape(text);
      if (data === this.written) return;
      try {
        if (this.written === null && (await fs.readFile(this.file, 'utf8').catch(() => null)) === data) {
          this.written = data;
          return;
        }
        await fs.mkdir(path.dirname(this.file), { recursive: true });
        await writeFileAtomic(this.file, data, { mode: 0o644 });
        this.written = data;
      } catch (err) {
        this.onError(err);
      }
    });
    return this.chain;
  }
}
