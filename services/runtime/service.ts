/**
 * The lifecycle every service shares (see README "Adding a service"):
 *
 *   parse CLI -> load config (exit 78 on problems) -> connect bus (exit 69)
 *   -> start -> own bus name -> READY=1 -> run
 *   SIGHUP: reload config, keep the old one if the new one is bad
 *   SIGUSR1: log a state dump
 *   SIGTERM/SIGINT: STOPPING=1, stop() within the deadline, exit 0
 */
import type { Logger } from './log';
import { createLogger, LOG_LEVELS } from './log';
import { createNotifier, type Notifier } from './sd-notify';
import { connectSystemBus, ownName, busNamesOf, type MessageBus } from './dbus';
import { parseCli, stringOpt, versionLine, type OptionsConfig, type ParsedCli } from './cli';
import { ConfigError, formatProblem, type ConfigProblem } from './config/problems';
import { AppError, errorMessage, isAppError } from './errors';
import { EXIT, exitCodeFor } from './exit-codes';
import type { LevelWithSilent } from 'pino';

export interface LoadedConfig<C> {
  config: C;
  warnings: readonly ConfigProblem[];
}

/** What a started service gets. */
export interface ServiceContext<C> {
  config: C;
  /** What loadConfig warned about (already logged), for a service that publishes it. */
  warnings: readonly ConfigProblem[];
  cli: ParsedCli;
  log: Logger;
  bus: MessageBus;
  notify: Notifier;
}

/** What a started service gives back to the runner. */
export interface RunningService<C> {
  /** Apply a new, already validated config (SIGHUP). Throw to keep the old one. */
  reload(config: C): Promise<void>;
  /** Release what the service holds (VIPs, sockets); called once. */
  stop(): Promise<void>;
  /** State for SIGUSR1 and --dump. */
  dump(): unknown;
  /** Optional liveness check before each WATCHDOG=1; false skips the ping. */
  healthy?(): boolean;
}

export interface ServiceDefinition<C> {
  /** Short name: binary, bus name (com.lbos.<Name>), log field. */
  name: string;
  summary: string;
  /** Service-specific options, merged with the common ones. */
  options: OptionsConfig;
  /** Help text for those options, one per line. */
  optionsHelp: string[];
  loadConfig(cli: ParsedCli): Promise<LoadedConfig<C>>;
  start(ctx: ServiceContext<C>): Promise<RunningService<C>>;
  /** How long stop() may take before we exit anyway (default 5 s). */
  stopDeadlineMs?: number;
}

const COMMON_OPTIONS: OptionsConfig = {
  'check-config': { type: 'boolean' },
  'log-level': { type: 'string' },
};

const COMMON_HELP = [
  '  --check-config      validate the configuration, print problems, exit (0 ok, 78 invalid)',
  '  --log-level LEVEL   fatal|error|warn|info|debug|trace|silent (default info, or $LOG_LEVEL)',
  '  -h, --help          this text',
  '      --version       print the version',
];

export function helpText<C>(def: ServiceDefinition<C>): string {
  return [`Usage: ${def.name} [options]`, def.summary, '', 'Options:', ...def.optionsHelp, ...COMMON_HELP, '',
    'Exit codes: 0 ok, 1 failure, 64 usage, 69 bus unavailable or already running, 70 internal, 78 invalid config.'].join('\n');
}

/** Run a service until it is told to stop; never returns normally. */
export async function runService<C>(def: ServiceDefinition<C>, argv = process.argv.slice(2)): Promise<void> {
  let cli: ParsedCli;
  try {
    cli = parseCli(argv, { ...def.options, ...COMMON_OPTIONS });
  } catch (err) {
    process.stderr.write(`${def.name}: ${errorMessage(err)}\nTry '${def.name} --help'.\n`);
    process.exit(EXIT.USAGE);
  }
  if (cli.values.help === true) return exitWith(EXIT.OK, helpText(def));
  if (cli.values.version === true) return exitWith(EXIT.OK, versionLine(def.name));
  const level = stringOpt(cli, 'log-level', process.env.LOG_LEVEL ?? 'info');
  if (!LOG_LEVELS.includes(level as LevelWithSilent)) return exitWith(EXIT.USAGE, `${def.name}: unknown log level "${level}"`, true);
  const log = createLogger({ service: def.name, level: level as LevelWithSilent });

  const loaded = await loadOrExit(def, cli, log);
  if (cli.values['check-config'] === true) {
    for (const w of loaded.warnings) process.stdout.write(`warning: ${formatProblem(w)}\n`);
    return exitWith(EXIT.OK, `${def.name}: configuration OK`);
  }
  for (const w of loaded.warnings) log.warn({ file: w.file, line: w.line, key: w.key }, w.message);
  await startAndRun(def, cli, log, loaded);
}

async function loadOrExit<C>(def: ServiceDefinition<C>, cli: ParsedCli, log: Logger): Promise<LoadedConfig<C>> {
  try {
    return await def.loadConfig(cli);
  } catch (err) {
    // --check-config reports once, in words on stderr; a service start also logs the event for the journal.
    const checkOnly = cli.values['check-config'] === true;
    if (err instanceof ConfigError) {
      for (const p of err.problems) process.stderr.write(`${def.name}: ${formatProblem(p)}\n`);
      if (!checkOnly) log.error({ problems: err.problems }, 'invalid configuration; nothing was changed');
      process.exit(EXIT.CONFIG);
    }
    if (!checkOnly) log.fatal({ err }, 'cannot load configuration');
    process.stderr.write(`${def.name}: ${errorMessage(err)}\n`);
    process.exit(isAppError(err) ? exitCodeFor(err.code) : EXIT.FAILURE);
  }
}

async function startAndRun<C>(def: ServiceDefinition<C>, cli: ParsedCli, log: Logger, loaded: LoadedConfig<C>): Promise<void> {
  const { config, warnings } = loaded;
  const notify = createNotifier(process.env, log);
  let bus: MessageBus;
  let running: RunningService<C>;
  try {
    bus = await connectSystemBus();
    running = await def.start({ config, warnings, cli, log, bus, notify });
    await ownName(bus, busNamesOf(def.name).name);
  } catch (err) {
    log.fatal({ err }, 'start failed');
    process.stderr.write(`${def.name}: ${errorMessage(err)}\n`);
    process.exit(isAppError(err) ? exitCodeFor(err.code) : EXIT.FAILURE);
  }
  const stopWatchdog = startWatchdog(notify, running);
  notify.ready('running');
  log.info({ bus: busNamesOf(def.name).name }, 'ready');
  installSignals({ def, cli, log, notify, running, bus, stopWatchdog });
}

function startWatchdog<C>(notify: Notifier, running: RunningService<C>): () => void {
  const every = notify.watchdogIntervalMs;
  if (every === null) return () => undefined;
  const t = setInterval(() => {
    if (running.healthy?.() ?? true) notify.watchdog();
  }, every);
  return () => clearInterval(t);
}

interface SignalContext<C> {
  def: ServiceDefinition<C>;
  cli: ParsedCli;
  log: Logger;
  notify: Notifier;
  running: RunningService<C>;
  bus: MessageBus;
  stopWatchdog: () => void;
}

function installSignals<C>(s: SignalContext<C>): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    void gracefulStop(s, signal);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => void reload(s));
  process.on('SIGUSR1', () => s.log.info({ state: s.running.dump() }, 'state dump'));
  process.on('uncaughtException', (err) => crash(s, err));
  process.on('unhandledRejection', (err) => crash(s, err));
}

async function gracefulStop<C>(s: SignalContext<C>, signal: string): Promise<void> {
  const deadlineMs = s.def.stopDeadlineMs ?? 5000;
  s.log.info({ signal, deadlineMs }, 'stopping');
  s.notify.stopping('stopping');
  s.stopWatchdog();
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), deadlineMs).unref());
  let code: number = EXIT.OK;
  try {
    const r = await Promise.race([s.running.stop().then(() => 'done' as const), timer]);
    if (r === 'timeout') {
      s.log.error({ deadlineMs }, 'stop did not finish in time; exiting anyway');
      code = EXIT.FAILURE;
    }
  } catch (err) {
    s.log.error({ err }, 'stop failed');
    code = EXIT.FAILURE;
  }
  s.bus.disconnect();
  s.notify.close();
  process.exit(code);
}

async function reload<C>(s: SignalContext<C>): Promise<void> {
  s.notify.reloading();
  try {
    const loaded = await s.def.loadConfig(s.cli);
    for (const w of loaded.warnings) s.log.warn({ file: w.file, line: w.line, key: w.key }, w.message);
    await s.running.reload(loaded.config);
    s.log.info('configuration reloaded');
    s.notify.ready('running (reloaded)');
  } catch (err) {
    const problems = err instanceof ConfigError ? err.problems : undefined;
    s.log.error({ err: problems === undefined ? err : undefined, problems }, 'reload refused; keeping the running configuration');
    s.notify.ready('running (reload refused, see log)');
  }
}

function crash<C>(s: SignalContext<C>, err: unknown): void {
  s.log.fatal({ err }, 'internal error; exiting so the supervisor restarts us');
  process.exit(EXIT.SOFTWARE);
}

function exitWith(code: number, text: string, toStderr = false): void {
  (toStderr ? process.stderr : process.stdout).write(`${text}\n`);
  process.exit(code);
}

/** Throw a usage error from inside loadConfig (e.g. a bad --node). */
export function usageError(message: string): AppError {
  return new AppError('USAGE', message);
}
