import { AppError } from '../errors';

/** One thing wrong with a config file, located as precisely as we can. */
export interface ConfigProblem {
  file: string;
  /** 1-based line number, when the format has lines. */
  line?: number;
  /** The directive or key at fault. */
  key?: string;
  message: string;
  /** A stable code for warnings others act on (hbd publishes its warnings with it). */
  code?: string;
}

/** Quotes longer than this are cut: a message must stay readable whatever the file holds. */
export const MAX_QUOTE_CHARS = 80;

/**
 * `text` in double quotes, cut to at most MAX_QUOTE_CHARS characters of the
 * input (with "..." and the full length when cut), for messages that echo
 * what a file said.
 */
export function quoteText(text: string, max = MAX_QUOTE_CHARS): string {
  if (text.length <= max) return `"${text}"`;
  return `"${text.slice(0, max)}"... (${text.length} characters)`;
}

/** `file:line: key: message`, the shape editors and grep understand. */
export function formatProblem(p: ConfigProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}`;
  if (p.key === undefined) return `${where}: ${p.message}`;
  // The key is what the file said: a junk word is cut like any quote.
  const key = p.key.length <= MAX_QUOTE_CHARS ? p.key : `${p.key.slice(0, MAX_QUOTE_CHARS)}...`;
  return `${where}: ${key}: ${p.message}`;
}

/** Thrown by every config loader; carries every problem found, not just the first. */
export class ConfigError extends AppError {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super('CONFIG_INVALID', problems.map(formatProblem).join('\n'), { problems });
    this.name = 'ConfigError';
  }
}

/** Collects problems while a loader walks a file; `throwIfAny` ends the walk. */
export class ProblemList {
  readonly items: ConfigProblem[] = [];
  add(p: ConfigProblem): void {
    this.items.push(p);
  }
  get empty(): boolean {
    return this.items.length === 0;
  }
  throwIfAny(): void {
    if (this.items.length > 0) throw new ConfigError(this.items);
  }
}
