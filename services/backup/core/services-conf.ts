/**
 * Just enough of csyncd's services.conf (services/csyncd/README.md "The
 * registry") to know which files each synced service owns and how the unit
 * validates them: `service NAME`, `file PATH` (repeatable), `validate CMD...`.
 * Word splitting follows csyncd's (config/words.ts, not importable here):
 * single quotes literal, double quotes with \" and \\, a backslash escapes
 * outside quotes, `#` at the start of a word begins a comment, a trailing
 * backslash joins the next line. csyncd's own --check-config judges the file
 * before any restore; this reader only needs the file names.
 */
import { splitWords as splitLine } from '../../runtime/config/split-words';

export interface SyncedService {
  name: string;
  files: string[];
  /** The validator's words with `{file}` etc. unexpanded, or null. */
  validate: string[] | null;
}

/** csyncd's own splitting (services/runtime/config/split-words.ts); null for a line it refuses (an unclosed quote). */
export function splitWords(line: string): string[] | null {
  const r = splitLine(line);
  return r.error === undefined ? r.words : null;
}

/** The services and their files; lines it cannot split or does not know are left to csyncd's check. */
export function parseServicesConf(text: string): SyncedService[] {
  const out: SyncedService[] = [];
  let pending = '';
  for (const crlf of text.split('\n')) {
    const l = crlf.endsWith('\r') ? crlf.slice(0, -1) : crlf;
    if (/(^|[^\\])(\\\\)*\\$/.test(l)) {
      pending += `${l.slice(0, -1)} `;
      continue;
    }
    const words = splitWords(pending + l);
    pending = '';
    if (words === null || words.length === 0) continue;
    const [key, ...rest] = words;
    const current = out[out.length - 1];
    if (key === 'service' && rest[0] !== undefined) out.push({ name: rest[0], files: [], validate: null });
    else if (key === 'file' && current !== undefined && rest[0] !== undefined) current.files.push(rest[0]);
    else if (key === 'validate' && current !== undefined && rest.length > 0) current.validate = rest;
  }
  return out;
}

/** Every file path named, with its service (the first service naming it). */
export function syncedFiles(services: readonly SyncedService[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of services) for (const f of s.files) if (!out.has(f)) out.set(f, s.name);
  return out;
}

/** A validator's words for a staged copy: `{file}`, `{dir}` and `{service}` as csyncd expands them. */
export function expandValidate(words: readonly string[], vars: { file: string; dir: string; service: string }): string[] {
  return words.map((w) => w.replace(/\{(file|dir|service)\}/g, (_m, k: 'file' | 'dir' | 'service') => vars[k]));
}
