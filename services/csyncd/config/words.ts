/**
 * Shell-like word splitting for services.conf, where commands need quotes
 * (`apply sh -c 'kill -USR2 $(cat /run/haproxy.pid)'`): single quotes are
 * literal, double quotes allow \" and \\, a backslash outside quotes escapes
 * the next character, `#` at the start of a word starts a comment, and a
 * trailing backslash joins the next line. Nothing is expanded: commands run
 * without a shell. Control characters and overlong lines are refused
 * (runtime/config/lines.ts lineProblem).
 */
import { splitWords } from '../../runtime/config/split-words';
import { lineProblem } from '../../runtime/config/lines';

/** One logical line split into words. */
export interface WordLine {
  /** 1-based line where it starts. */
  line: number;
  words: string[];
  /** Set when the line could not be split (e.g. an unclosed quote). */
  error?: string;
}

export function splitWordLines(text: string): WordLine[] {
  const out: WordLine[] = [];
  const raw = text.split('\n');
  let pending = '';
  let start = 0;
  raw.forEach((crlf, i) => {
    const l = crlf.endsWith('\r') ? crlf.slice(0, -1) : crlf;
    if (pending === '') start = i + 1;
    const why = lineProblem(l);
    if (why !== undefined) {
      out.push({ line: i + 1, words: [], error: why });
      pending = '';
      return;
    }
    if (/(^|[^\\])(\\\\)*\\$/.test(l)) {
      pending += l.slice(0, -1) + ' ';
      return;
    }
    const r = splitWords(pending + l);
    pending = '';
    if (r.words.length > 0 || r.error !== undefined) out.push({ line: start, ...r });
  });
  if (pending !== '') {
    const r = splitWords(pending);
    if (r.words.length > 0 || r.error !== undefined) out.push({ line: start, ...r });
  }
  return out;
}

export { splitWords };
