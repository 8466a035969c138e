import { AppError } from '../errors';

/** One thing wrong with a config file, located as precisely as we can. */
export interface ConfigProblem {
  file: string;
  /** 1-based line number, when the format has lines. */
  line?: number;
  /** The directive or key at fault. */
  key?: string;
  message: string;
}

/** `file:line: key: message`, the shape editors and grep understand. */
export function formatProblem(p: ConfigProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}`;
  return p.key === undefined ? `${where}: ${p.message}` : `${where}: ${p.key}: ${p.message}`;
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
