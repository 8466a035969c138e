/**
 * Command-line handling shared by services and tools: node's parseArgs,
 * uniform --help/--version, usage errors as AppError('USAGE').
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
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

let cachedRoot: string | undefined;

/**
 * The installed tree (the checkout, or /opt/lbos on the appliance): the nearest
 * directory above this code holding package.json. Found by walking up, so it
 * holds for dist/services/runtime/cli.js and for a program bundled elsewhere
 * under dist/ (the image build bundles each program into one file).
 */
export function repoRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  cachedRoot = existsSync(path.join(dir, 'package.json')) ? dir : path.resolve(__dirname, '..', '..', '..');
  return cachedRoot;
}

export function versionLine(program: string): string {
  return `${program} (LBOS) ${firmwareVersion()}`;
}
