/**
 * pino loggers for every service: JSON lines on stdout (journald stores them),
 * human-readable when stdout is a terminal. One child logger per module.
 */
import pino, { type Logger, type LevelWithSilent } from 'pino';
import type PinoPretty from 'pino-pretty';

export type { Logger };

export const LOG_LEVELS: readonly LevelWithSilent[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface LogOptions {
  service: string;
  level: LevelWithSilent;
  /** Force pretty (true) or JSON (false); default: pretty on a TTY. */
  pretty?: boolean;
  /** Where lines go; default stdout. Tests pass a stream to capture objects. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(opts: LogOptions): Logger {
  const base = { level: opts.level, base: { svc: opts.service }, timestamp: pino.stdTimeFunctions.isoTime };
  const wantPretty = opts.pretty ?? (opts.destination === undefined && process.stdout.isTTY === true);
  if (wantPretty) {
    // Loaded only for a terminal: under systemd it would cost start-up time for nothing.
    const pretty = require('pino-pretty') as typeof PinoPretty;
    return pino(base, pretty({ colorize: true, sync: true, destination: 1, ignore: 'pid,hostname' }));
  }
  // Synchronous writes: a crash must not eat the lines that explain it.
  return pino(base, opts.destination ?? pino.destination({ fd: 1, sync: true }));
}
