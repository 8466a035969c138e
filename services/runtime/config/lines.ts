/**
 * Tokeniser for line-oriented config files in the style of ha.cf(5),
 * csyncd.cfg and keepalived: `#` starts a comment, words are separated by
 * white space, a trailing backslash joins the next line.
 */

/** One directive with its location. */
export interface DirectiveLine {
  file: string;
  /** Line where the directive starts (1-based). */
  line: number;
  key: string;
  args: string[];
}

export function splitDirectiveLines(text: string, file: string): DirectiveLine[] {
  const out: DirectiveLine[] = [];
  const lines = text.split(/\r?\n/);
  let pending = '';
  let pendingStart = 0;
  lines.forEach((rawLine, index) => {
    const withoutComment = stripComment(rawLine);
    if (pending === '') pendingStart = index + 1;
    if (withoutComment.endsWith('\\')) {
      pending += withoutComment.slice(0, -1) + ' ';
      return;
    }
    const whole = (pending + withoutComment).trim();
    pending = '';
    if (whole === '') return;
    const [key, ...args] = whole.split(/\s+/);
    if (key !== undefined) out.push({ file, line: pendingStart, key, args });
  });
  if (pending.trim() !== '') {
    const [key, ...args] = pending.trim().split(/\s+/);
    if (key !== undefined) out.push({ file, line: pendingStart, key, args });
  }
  return out;
}

function stripComment(line: string): string {
  const hash = line.indexOf('#');
  return (hash === -1 ? line : line.slice(0, hash)).trimEnd();
}
