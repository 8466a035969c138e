/**
 * Tokeniser for line-oriented config files in the style of ha.cf(5),
 * csyncd.cfg and keepalived: `#` starts a comment, words are separated by
 * white space, a trailing backslash joins the next line.
 *
 * Lines that no editor would write on purpose are refused, not guessed at:
 * a control character (a lone carriage return, a vertical tab, a NUL...)
 * would otherwise split as white space and silently merge what looks like
 * two lines into one directive; and a line longer than MAX_LINE_CHARS is
 * junk (a binary pasted in), reported with a short quote.
 */
import { ConfigError, MAX_QUOTE_CHARS, type ConfigProblem } from './problems';

/** One directive with its location. */
export interface DirectiveLine {
  file: string;
  /** Line where the directive starts (1-based). */
  line: number;
  key: string;
  args: string[];
}

/** Longer physical lines are refused: no config file of ours needs more. */
export const MAX_LINE_CHARS = 4096;

/**
 * C0 controls except tab, DEL, C1 controls, the Unicode line/paragraph
 * separators and the byte-order mark: JavaScript's \s matches several of
 * them, so they would split words where the eye sees none.
 */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\ufeff]/;

const NAMES: Record<string, string> = { '\r': 'a carriage return', '\x0b': 'a vertical tab', '\x0c': 'a form feed', '\x00': 'a NUL byte', '\ufeff': 'a byte-order mark' };

/**
 * Why one physical line (without its line break) cannot be read, or
 * undefined. Shared by every line-oriented parser, also those with their
 * own word splitting (authkeys, services.conf).
 */
export function lineProblem(line: string, maxChars = MAX_LINE_CHARS): string | undefined {
  if (line.length > maxChars) {
    return `line is ${line.length} characters long (at most ${maxChars}); it starts "${line.slice(0, MAX_QUOTE_CHARS)}"...`;
  }
  const m = CONTROL.exec(line);
  if (m === null) return undefined;
  const c = m[0];
  const code = `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
  return `${NAMES[c] ?? 'a control character'} (${code}) at column ${m.index + 1}: remove it (it would split or merge words unseen); the line is ignored`;
}

/**
 * Splits a file into directives. Lines that cannot be read (lineProblem)
 * go to `report` and are left out; without `report` they are thrown
 * together as a ConfigError after the pass.
 */
export function splitDirectiveLines(text: string, file: string, report?: (p: ConfigProblem) => void): DirectiveLine[] {
  const out: DirectiveLine[] = [];
  const bad: ConfigProblem[] = [];
  const lines = text.split('\n');
  let pending = '';
  let pendingStart = 0;
  lines.forEach((crlfLine, index) => {
    const rawLine = crlfLine.endsWith('\r') ? crlfLine.slice(0, -1) : crlfLine;
    if (pending === '') pendingStart = index + 1;
    const why = lineProblem(rawLine);
    if (why !== undefined) {
      bad.push({ file, line: index + 1, message: why });
      pending = '';
      return;
    }
    const withoutComment = stripComment(rawLine);
    if (withoutComment.endsWith('\\')) {
      pending += withoutComment.slice(0, -1) + ' ';
      return;
    }
    const whole = (pending + withoutComment).trim();
    pending = '';
    if (whole === '') return;
    const [key, ...args] = whole.split(/[ \t]+/);
    if (key !== undefined) out.push({ file, line: pendingStart, key, args });
  });
  if (pending.trim() !== '') {
    const [key, ...args] = pending.trim().split(/[ \t]+/);
    if (key !== undefined) out.push({ file, line: pendingStart, key, args });
  }
  if (report !== undefined) bad.forEach(report);
  else if (bad.length > 0) throw new ConfigError(bad);
  return out;
}

function stripComment(line: string): string {
  const hash = line.indexOf('#');
  return (hash === -1 ? line : line.slice(0, hash)).trimEnd();
}
