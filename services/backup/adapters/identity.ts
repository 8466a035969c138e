/** Who made an archive: the product version (the image's release file, else package.json) and the host name. */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import { firmwareVersion } from '../../runtime/cli';
import { underRoot } from '../core/path-safety';

export const RELEASE_FILE = '/usr/lib/lbos/release';

export async function productVersion(root: string): Promise<string> {
  try {
    const text = await fs.readFile(underRoot(root, RELEASE_FILE), 'utf8');
    const m = /^LBOS_VERSION=(.+)$/m.exec(text);
    if (m?.[1] !== undefined) return m[1].trim();
  } catch {
    // no release file: a development checkout
  }
  return firmwareVersion();
}

/** The unit's host name (hbd's node name): /etc/hostname under a --root other than /, else uname -n. */
export async function unitHostname(root: string): Promise<string> {
  if (root !== '/') {
    try {
      const name = (await fs.readFile(underRoot(root, '/etc/hostname'), 'utf8')).trim();
      if (name !== '') return name.split('.')[0]?.toLowerCase() ?? name;
    } catch {
      // none: fall back to this machine's
    }
  }
  return (os.hostname().split('.')[0] ?? '').toLowerCase();
}
