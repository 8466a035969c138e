/**
 * The two facts a restore reads from other services' files without their
 * parsers: the host name network.conf gives the unit (hbd's node name, for
 * its check), and csyncd.cfg's config_dir (keys are restored to /etc/csyncd).
 */

/** `hostname NAME` of network.conf (nicd README), or null. */
export function networkHostname(text: string): string | null {
  for (const line of text.split('\n')) {
    const m = /^\s*hostname\s+([^\s#]+)/.exec(line);
    if (m?.[1] !== undefined) return m[1].split('.')[0]?.toLowerCase() ?? null;
  }
  return null;
}

/** `config_dir DIR` of csyncd.cfg, or null when csyncd uses the file's own directory. */
export function csyncdConfigDir(text: string): string | null {
  for (const line of text.split('\n')) {
    const m = /^\s*config_dir\s+([^\s#]+)/.exec(line);
    if (m?.[1] !== undefined) return m[1];
  }
  return null;
}
