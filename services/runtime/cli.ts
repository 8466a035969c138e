/**
 * Command-line handling shared by services and tools: node's parseArgs,
 * uniform --help/--version, usage errors as AppError('USAGE').
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AppError, errorMessage } from './errors';

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export interface ParsedCli {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/** Parse argv; unknown options and missing values become USAGE errors. */
export function parseCli(argv: string[], options: OptionsConfig, allowPositionals = false): ParsedCli {
  try {
    const r = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } }, allowPositionals, strict: true });
    return { values: r.values, positionals: r.positionals };
  } catch (err) {
    throw new AppError('USAGE', errorMessage(err));
  }
}

/** String option value, with a typed default. */
export function stringOpt(cli: ParsedCli, name: string, fallback: string): string;
export function stringOpt(cli: ParsedCli, name: string): string | undefined;
export function stringOpt(cli: ParsedCli, name: string, fallback?: string): string | undefined {
  const v = cli.values[name];
  return typeof v === 'string' ? v : fallback;
}

let cachedVersion: string | null = null;

/** The firmware version (package.json), e.g. "0.1.0". */
export function firmwareVersion(): string {
  if (cachedVersion !== null) return cachedVersion;
  try {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { version?: string };
    cachedVersion = pkg.version ?? 'unknown';
  } catch {
    cachedVersion = 'unknown';
  }
  return cachedVersion;
}

/** The installed tree: dist/services/runtime -> three levels up. */
export function repoRoot(): string {
  return path.resolve(__dirname, '..', '..', '..');
}

export function versionLine(program: string): string {
  return `${program} (LBOS) ${firmwareVersion()}`;
}
