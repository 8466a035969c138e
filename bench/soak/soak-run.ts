/**
 * One soak: an hbd pair (ucast + serial) at one timing and scheduling
 * variant, settled, then both CPUs loaded with stress-ng for N minutes while
 * we watch for false failovers:
 *
 *   - hbd's own log on both units (every peer status and state change is
 *     logged by the core as it happens): "peer is dead", "state change ... to
 *     active", late heartbeats (peer status warn), links declared dead;
 *   - hbd's D-Bus PropertiesChanged on both units (State, PeerStatus), what
 *     statusd and hactl would show;
 *   - the VIP on eth0 of both units, sampled, and every gratuitous ARP for
 *     it on the LAN: a takeover undone within milliseconds leaves no trace
 *     in the samples, but its GARPs have already pointed the LAN at the
 *     standby;
 *   - the UDP adverts on the heartbeat link as the wire saw them (tcpdump on
 *     u1's eth1): the gaps a loaded sender left.
 *
 * A false failover is an incident in which a unit declared its running peer
 * dead or became active; events less than deadtime + 2 s apart are one
 * incident (the standby's "peer is dead" and its takeover are one failover).
 */
import { sleep } from '../../scripts/sim/exec';
import { SimPair, VIP } from '../../scripts/sim/pair';
import { writeHbdConfigs, type HbdPairSettings } from '../../scripts/sim/hbd-config';
import { AppError, errorMessage } from '../../services/runtime/errors';
import { AdvertGaps, type SenderGaps } from './advert-gaps';
import { GarpWatch } from '../lib/garp-watch';
import { HbdBus, type BusChange } from './hbd-bus';
import { isRunning, startHbd, stopHbd, type HbdProc, type SchedVariant } from './hbd-launch';
import { countKind, readHbdLog, type HbdLogKind } from './hbd-log';
import { groupIncidents, type Incident, type UnitEvent } from './incidents';
import { keepLogs } from './keep-logs';
import { cpuSample, otherPairs, stealPercent } from './machine-load';
import { StressLoad } from './stress';
import { lanMac, vipHolders } from '../lib/unit-net';

const UDP_PORT = 694;
const SETTLE_TIMEOUT_MS = 30_000;
const CHECK_EVERY_MS = 1_000;
/** After settling, the new active's GARP repeats (hbd: 3, 1 s apart) must be over before the soak counts GARPs. */
const AFTER_SETTLE_MS = 3_000;
const PROGRESS_EVERY_MS = 60_000;
/** Events closer than deadtime + this belong to one incident. */
const INCIDENT_JOIN_MS = 2_000;

/** One soak to run. */
export interface SoakSpec {
  keepaliveMs: number;
  warntimeMs: number;
  deadtimeMs: number;
  variant: SchedVariant;
  minutes: number;
}

export const timingLabel = (s: { keepaliveMs: number; deadtimeMs: number }): string => `${s.keepaliveMs}ms/${s.deadtimeMs}ms`;

export interface SoakOutcome {
  spec: SoakSpec;
  /** Minutes actually soaked (less when hbd or stress-ng died). */
  minutesRun: number;
  startError?: string;
  incidents: Incident[];
  /** Per unit (u1, u2). */
  peerWarn: [number, number];
  peerDead: [number, number];
  becameActive: [number, number];
  linkDead: [number, number];
  errors: string[];
  busChanges: BusChange[];
  vipSamples: number;
  vipOnBoth: number;
  vipOnNone: number;
  /** GARPs for the VIP seen on the LAN during the soak, per unit (u1, u2). */
  garps: [number, number];
  gaps: SenderGaps[];
  allGapsMs: number[];
  tcpdumpStats: string;
  /** CPU time stolen by the hypervisor during the soak, %. */
  stealPct: number;
  /** Most other simulated pairs seen running at once (other tests and benches). */
  otherPairsMax: number;
  /** hbd or stress-ng exits during the soak, with the log tail. */
  problems: string[];
}

export function soakSettings(s: SoakSpec): HbdPairSettings {
  return {
    keepalive: `${s.keepaliveMs}ms`,
    warntime: `${s.warntimeMs}ms`,
    deadtime: `${s.deadtimeMs}ms`,
    initdead: '2s',
    autoFailback: false,
    ucast: true,
    serial: true,
    baud: 19200,
  };
}

async function waitSettled(bus: HbdBus, procs: readonly HbdProc[]): Promise<void> {
  const end = Date.now() + SETTLE_TIMEOUT_MS;
  let last = '';
  for (;;) {
    procs.forEach((p, i) => {
      if (!isRunning(p)) throw new AppError('DAEMON_EXITED', `hbd on u${i + 1} exited (see ${p.logFile})`);
    });
    const [a, b] = [await bus.state(0), await bus.state(1)];
    last = `u1 ${a.state}/peer ${a.peer}, u2 ${b.state}/peer ${b.peer}`;
    const states = [a.state, b.state].sort().join(',');
    if (states === 'active,passive' && a.peer === 'up' && b.peer === 'up') return;
    if (Date.now() > end) throw new AppError('NOT_SETTLED', `no active/passive pair within ${SETTLE_TIMEOUT_MS} ms: ${last}`);
    await sleep(100);
  }
}

function emptyOutcome(spec: SoakSpec): SoakOutcome {
  return {
    spec,
    minutesRun: 0,
    incidents: [],
    peerWarn: [0, 0],
    peerDead: [0, 0],
    becameActive: [0, 0],
    linkDead: [0, 0],
    errors: [],
    busChanges: [],
    vipSamples: 0,
    vipOnBoth: 0,
    vipOnNone: 0,
    garps: [0, 0],
    gaps: [],
    allGapsMs: [],
    tcpdumpStats: '',
    stealPct: 0,
    otherPairsMax: 0,
    problems: [],
  };
}

/** Runs one soak; failures of hbd are recorded in the outcome, only broken plumbing throws. */
export async function runSoak(spec: SoakSpec, log: (msg: string) => void): Promise<SoakOutcome> {
  const out = emptyOutcome(spec);
  const tag = `${timingLabel(spec)}, ${spec.variant.label}`;
  const pair = await SimPair.create();
  let bus: HbdBus | undefined;
  let gaps: AdvertGaps | undefined;
  let garp: GarpWatch | undefined;
  let stress: StressLoad | undefined;
  const procs: HbdProc[] = [];
  try {
    const dirs = writeHbdConfigs(pair, soakSettings(spec));
    pair.units.forEach((u, i) => procs.push(startHbd(pair, u, dirs[i] ?? '', spec.variant, `${u.name}-hbd`)));
    bus = await HbdBus.open(pair.units);
    try {
      await waitSettled(bus, procs);
    } catch (err) {
      out.startError = errorMessage(err);
      return out;
    }
    await sleep(AFTER_SETTLE_MS);
    garp = await GarpWatch.start(pair.lanNs, VIP);
    gaps = await AdvertGaps.start(pair.units[0].ns, 'eth1', UDP_PORT, spec.warntimeMs, spec.deadtimeMs);
    await bus.watch();
    stress = await StressLoad.start();
    const t0 = Date.now();
    const cpu0 = cpuSample();
    out.otherPairsMax = otherPairs(pair.id);
    gaps.counter.reset();
    const end = t0 + spec.minutes * 60_000;
    let nextProgress = t0 + PROGRESS_EVERY_MS;
    while (Date.now() < end) {
      const dead = procs.findIndex((p) => !isRunning(p));
      if (dead >= 0) {
        out.problems.push(`hbd on u${dead + 1} exited during the soak (code ${procs[dead]?.child.exitCode}, signal ${procs[dead]?.child.signalCode})`);
        break;
      }
      if (!stress.running) {
        out.problems.push('stress-ng exited during the soak');
        break;
      }
      const holders = await vipHolders(pair);
      out.vipSamples += 1;
      if (holders.length === 2) out.vipOnBoth += 1;
      if (holders.length === 0) out.vipOnNone += 1;
      if (Date.now() >= nextProgress) {
        nextProgress += PROGRESS_EVERY_MS;
        out.otherPairsMax = Math.max(out.otherPairsMax, otherPairs(pair.id));
        const evs = procs.flatMap((p) => readHbdLog(p.logFile, t0));
        const n = (k: HbdLogKind): number => countKind(evs, k);
        const worst = Math.max(0, ...gaps.counter.snapshot().map((g) => g.maxGapMs));
        log(`${tag}: ${Math.round((Date.now() - t0) / 60_000)} min: warn ${n('peer-warn')}, dead ${n('peer-dead')}, took over ${n('became-active')}, worst ucast gap ${worst.toFixed(1)} ms`);
      }
      await sleep(CHECK_EVERY_MS);
    }
    const tEnd = Date.now();
    out.minutesRun = (tEnd - t0) / 60_000;
    out.stealPct = stealPercent(cpu0, cpuSample());
    const macs = pair.units.map((u) => lanMac(u));
    out.garps = [garp.countFrom(macs[0] ?? '', t0, tEnd), garp.countFrom(macs[1] ?? '', t0, tEnd)];
    await stress.stopGracefully();
    out.gaps = gaps.counter.snapshot();
    out.allGapsMs = gaps.counter.allGaps();
    out.tcpdumpStats = (await gaps.stop()).split('\n').filter((l) => /packets/.test(l)).join('; ');
    out.busChanges = bus.changes.filter((c) => c.tMs <= tEnd);
    const tagged: UnitEvent[] = [];
    pair.units.forEach((u, i) => {
      const evs = readHbdLog(procs[i]?.logFile ?? '', t0).filter((e) => e.tMs <= tEnd);
      const n = (k: HbdLogKind): number => countKind(evs, k);
      out.peerWarn[i] = n('peer-warn');
      out.peerDead[i] = n('peer-dead');
      out.becameActive[i] = n('became-active');
      out.linkDead[i] = n('link-dead');
      out.errors.push(...evs.filter((e) => e.kind === 'error').map((e) => `${u.name}: ${e.line}`));
      tagged.push(...evs.filter((e) => e.kind === 'peer-dead' || e.kind === 'became-active').map((e) => ({ ...e, unit: u.name })));
    });
    out.incidents = groupIncidents(tagged, spec.deadtimeMs + INCIDENT_JOIN_MS, t0);
    for (const inc of out.incidents) {
      log(`${tag}: FALSE FAILOVER at +${inc.atS.toFixed(1)} s:`);
      for (const e of inc.events.slice(0, 6)) log(`   ${e.unit}: ${e.line}`);
    }
    return out;
  } finally {
    stress?.stop();
    await gaps?.stop();
    garp?.stop();
    await Promise.all(procs.map((p) => stopHbd(p).catch(() => undefined)));
    bus?.close();
    keepLogs(pair.dir, `soak ${tag}`, log);
    pair.teardown();
  }
}
