/**
 * hw-test: the hardware test harness (factory, RMA, field), and the same
 * harness against a simulated rig on a development machine.
 *
 *   detect (systeminformation) -> pick mode + profile -> [sim: build the rig]
 *   -> checks, one progress line each -> summary table -> JSON + JUnit
 *   -> exit 0 (nothing failed) / 1 (a check failed) / 64 usage / 78 bad profile
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { firmwareVersion, repoRoot, stringOpt } from '../services/runtime/cli';
import { AppError } from '../services/runtime/errors';
import { EXIT } from '../services/runtime/exit-codes';
import { ConfigError } from '../services/runtime/config/problems';
import { runTool } from '../services/runtime/tool';
import { LedClass } from '../services/paneld/adapters/led-class';
import { netHost, type NetHost } from './adapters/net-host';
import { processNames } from './adapters/processes';
import { terminalTechnician } from './adapters/technician';
import { diskChecks } from './checks/disk';
import { ledCheck } from './checks/leds';
import { linkCheck, trafficCheck } from './checks/nic';
import { panelChecks, type PanelObserver } from './checks/panel';
import { serialChecks } from './checks/serial';
import { systemChecks } from './checks/system';
import { NOBODY, type Check, type Technician } from './checks/types';
import { detectHardware } from './detect/detect';
import { selectProfile, type HwMode } from './detect/select';
import { parseProfile } from './profile/parse';
import type { Profile } from './profile/types';
import { parseSize } from './profile/values';
import { summarise, type RunReport } from './report/model';
import { resultLine, startLine, summaryTable } from './report/terminal';
import { writeReports } from './report/write';
import { runChecks, selectChecks } from './runner';
import { cleanLeftovers } from '../scripts/sim/registry';
import { cleanExtrasLeftovers } from './rig/extras';
import { parseFaults } from './rig/faults';
import { UnitRig } from './rig/unit-rig';

const USAGE = `Usage: hw-test [options]
Tests this unit's hardware against its model profile and writes a report.

  --hw auto|real|sim   real: this appliance; sim: a simulated rig on this machine;
                       auto (default, or $HW): real when running from the firmware image
                       (/opt/lbos) on a system model that matches a profile
  --profile FILE       use this profile instead of matching the system model
  --interactive        ask the technician to look at the LCD/LEDs and press the keys
  --report-dir DIR     where the JSON and JUnit reports go
                       (default /var/lib/lbos/hw-test on a unit, out/hw-test in sim)
  --serial SN          the unit's serial number for the report (default: from the firmware)
  --only ID[,ID...]    run only checks whose id starts with one of these (e.g. nic,serial.ttyS0)
  --memtest SIZE       also run a bounded memory test over SIZE (e.g. 512M)
  --clean              remove what crashed runs left (namespaces, processes, loop devices) and exit
  --sim-fault LIST     sim only, to test the harness: nic-down:PORT, nic-deaf:PORT, serial-mute,
                       no-lcdd, led-missing:NAME
  --help, --version

Exit status: 0 every check passed or was skipped, 1 a check failed, 64 usage, 78 bad profile.`;

const UNIT_REPORT_DIR = '/var/lib/lbos/hw-test';
/** Where the firmware image installs the application (rootfs/README.md). */
const IMAGE_ROOT = '/opt/lbos';
const PROFILES_DIR = path.join(repoRoot(), 'hw-test', 'profiles');

function loadProfiles(dir: string): Profile[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.profile')).sort();
  const problems: ConfigError['problems'][number][] = [];
  const out: Profile[] = [];
  for (const f of files) {
    const file = path.join(dir, f);
    try {
      out.push(parseProfile(readFileSync(file, 'utf8'), file));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}

function loadOne(file: string): Profile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([{ file, message: `cannot read: ${(err as Error).message}` }]);
  }
  return parseProfile(text, path.resolve(file));
}

interface Bindings {
  devRoot: string;
  ledsRoot: string;
  lcdPort: number | null;
  net: NetHost;
  observer?: PanelObserver;
  rigId: string;
  teardown(): void;
}

async function bind(mode: HwMode, profile: Profile, faultText: string | undefined): Promise<Bindings> {
  if (mode === 'real') {
    if (faultText !== undefined) throw new AppError('USAGE', '--sim-fault only goes with the simulated rig (--hw sim)');
    const unit = new UnitRig();
    return {
      devRoot: '/dev',
      ledsRoot: '/sys/class/leds',
      lcdPort: null,
      net: netHost({ portNs: () => null, mayBringUp: true, makeNamespace: (p) => unit.makeNamespace(p), dropNamespace: (ns) => unit.dropNamespace(ns) }),
      rigId: '',
      teardown: () => unit.teardown(),
    };
  }
  // Loaded only here: the rig uses paneld's test helpers (LcddRig, makeLedTree), which the
  // firmware image leaves out with every testing/ directory.
  const { SimRig } = await import('./rig/sim-rig');
  const rig = await SimRig.create(profile, parseFaults(faultText ?? '', profile));
  const observer = rig.observer();
  return {
    devRoot: rig.devRoot,
    ledsRoot: rig.ledsRoot,
    lcdPort: rig.lcdPort,
    net: netHost({ portNs: (p) => rig.portNs(p), mayBringUp: false }),
    ...(observer === undefined ? {} : { observer }),
    rigId: rig.id,
    teardown: () => rig.teardown(),
  };
}

/** Profile order, hardware first; the panel and LEDs last (they may need the technician). */
function buildChecks(p: Profile, b: Bindings, facts: Parameters<typeof systemChecks>[1]['facts'], tech: Technician, memtestBytes: number): { checks: Check[]; close(): Promise<void> } {
  const checks: Check[] = [
    ...p.nics.map((n) => linkCheck(n, b.net)),
    ...p.cables.map((c, i) => trafficCheck(c, i, b.net)),
    ...p.serials.flatMap((s) => serialChecks(s, b.devRoot)),
    ...p.disks.flatMap((d) => diskChecks(d, b.devRoot)),
    ...systemChecks(p, { facts, processNames, memtestBytes }),
  ];
  let close = (): Promise<void> => Promise.resolve();
  if (p.panel !== undefined) {
    const spec = b.lcdPort === null ? p.panel : { ...p.panel, host: '127.0.0.1', port: b.lcdPort };
    const panel = panelChecks({ spec, tech, ...(b.observer === undefined ? {} : { observer: b.observer }) });
    checks.push(...panel.checks);
    close = panel.close;
  }
  const leds = new LedClass(b.ledsRoot);
  checks.push(...p.leds.map((l) => ledCheck(l, leds, b.ledsRoot, tech)));
  return { checks, close };
}

async function main(cli: Parameters<Parameters<typeof runTool>[0]['run']>[0], out: NodeJS.WritableStream): Promise<number> {
  const hw = stringOpt(cli, 'hw') ?? (process.env.HW || 'auto');
  if (hw !== 'auto' && hw !== 'real' && hw !== 'sim') throw new AppError('USAGE', `--hw ${hw}: expected auto, real or sim`);
  const memtestText = stringOpt(cli, 'memtest');
  const memtest = memtestText === undefined ? { ok: true as const, value: 0 } : parseSize(memtestText);
  if (!memtest.ok) throw new AppError('USAGE', `--memtest: ${memtest.message}`);
  if (memtest.value > os.freemem() / 2) throw new AppError('USAGE', `--memtest ${memtestText}: more than half the free memory (${Math.floor(os.freemem() / 2 ** 20)} MiB free)`);
  if (process.getuid?.() !== 0) throw new AppError('NOT_ROOT', 'needs root: it moves NICs into namespaces, opens serial ports and raw disks (the simulated rig too)');
  if (cli.values.clean === true) {
    const loops = cleanExtrasLeftovers();
    out.write(`hw-test: removed ${cleanLeftovers()} leftover rig(s) and ${loops} loop-device record(s)\n`);
    return EXIT.OK;
  }
  const profileFile = stringOpt(cli, 'profile');
  const profiles = loadProfiles(PROFILES_DIR);
  const explicit = profileFile === undefined ? undefined : loadOne(profileFile);

  const startedAt = new Date().toISOString();
  const { facts, failed } = await detectHardware();
  const sel = selectProfile(hw, facts.model, profiles, explicit, repoRoot() === IMAGE_ROOT);
  if (!sel.ok) throw new AppError('USAGE', sel.message);
  const { mode, profile } = sel;
  out.write(`hw-test: ${profile.model} (${mode}: ${sel.why})\n`);

  const interactive = cli.values.interactive === true;
  const terminal = interactive ? terminalTechnician(process.stdin, out) : null;
  const tech: Technician = terminal ?? NOBODY;
  const b = await bind(mode, profile, stringOpt(cli, 'sim-fault'));
  const stop = (sig: NodeJS.Signals): void => {
    b.teardown();
    process.stderr.write(`hw-test: stopped by ${sig}; the rig was removed\n`);
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    if (mode === 'sim') out.write(`hw-test: simulated rig lbsim-${b.rigId} in /tmp/lbsim-${b.rigId}\n`);
    const built = buildChecks(profile, b, facts, tech, memtest.value);
    const only = (stringOpt(cli, 'only') ?? '').split(',').filter((x) => x !== '');
    const checks = selectChecks(built.checks, only);
    if (checks.length === 0) throw new AppError('USAGE', `--only ${only.join(',')} selects no check`);
    const tty = (out as NodeJS.WriteStream).isTTY === true;
    let results;
    try {
      results = await runChecks(checks, {
        started: (c, i, n) => {
          if (tty) out.write(`${startLine(c, i, n)}`);
        },
        finished: (r, i, n) => out.write(`${tty ? '\r\x1b[K' : ''}${resultLine(r, i, n)}\n`),
      });
    } finally {
      await built.close();
    }
    const serial = stringOpt(cli, 'serial') ?? (facts.serial || (mode === 'sim' ? `SIM-${b.rigId}` : ''));
    const report: RunReport = {
      format: 1,
      tool: 'hw-test',
      firmwareVersion: firmwareVersion(),
      mode,
      interactive,
      unit: { serial, model: profile.model, manufacturer: facts.manufacturer, systemModel: facts.model, hostname: os.hostname() },
      profile: { file: profile.file, model: profile.model, kind: profile.kind },
      startedAt,
      finishedAt: new Date().toISOString(),
      summary: summarise(results),
      checks: results,
      detected: facts,
      detectionFailed: failed,
    };
    const dir = stringOpt(cli, 'report-dir') ?? (mode === 'real' ? UNIT_REPORT_DIR : path.join(repoRoot(), 'out', 'hw-test'));
    const files = await writeReports(dir, report);
    out.write(`\n${summaryTable(report)}\n\nReport: ${files.json}\nJUnit:  ${files.junit}\n`);
    return report.summary.fail === 0 ? EXIT.OK : EXIT.FAILURE;
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    terminal?.close();
    b.teardown();
  }
}

void runTool({
  name: 'hw-test',
  usage: USAGE,
  options: {
    hw: { type: 'string' },
    profile: { type: 'string' },
    interactive: { type: 'boolean' },
    'report-dir': { type: 'string' },
    serial: { type: 'string' },
    only: { type: 'string' },
    memtest: { type: 'string' },
    'sim-fault': { type: 'string' },
    clean: { type: 'boolean' },
  },
  run: main,
});
