/**
 * Shell-like words of one configuration line (csyncd's services.conf, and
 * lbos-backup reading it): blanks separate words, 'single' and "double"
 * quotes group them ("double" ones take \" and \\), a backslash escapes
 * the next character, # at the start of a word ends the line.
 */

/** Split one line; never throws. */
export function splitWords(line: string): { words: string[]; error?: string } {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? '';
    if (quote === "'") {
      if (c === "'") quote = null;
      else cur += c;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) cur += line[++i] ?? '';
      else cur += c;
      continue;
    }
    if (c === ' ' || c === '\t') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    if (c === '#' && !inWord) break;
    inWord = true;
    if (c === "'" || c === '"') quote = c;
    else if (c === '\\' && i + 1 < line.length) cur += line[++i] ?? '';
    else cur += c;
  }
  if (quote !== null) return { words: [], error: `unclosed ${quote === '"' ? 'double' : 'single'} quote` };
  if (inWord) words.push(cur);
  return { words };
}
