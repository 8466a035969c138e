/**
 * Second pass over ha.cf: apply Heartbeat's defaults and check the rules
 * that involve several directives (node list, timer ordering, transport,
 * serial speed). Problems are located at the directive that was written;
 * a defaulted value is labelled "(default)" in the message.
 */
import type { ConfigProblem } from '../../runtime/config/problems';
import { type HaCfDraft, type ScalarKey, type Sink } from './ha-cf-draft';
import {
  type BaudRate,
  type HaCf,
  DEFAULT_BAUD,
  DEFAULT_DEADTIME_MS,
  DEFAULT_GARP_DELAY_MS,
  DEFAULT_GARP_REPEAT,
  DEFAULT_KEEPALIVE_MS,
  DEFAULT_PREEMPT_DELAY_MS,
  DEFAULT_PRIORITY,
  DEFAULT_UDP_PORT,
  INITDEAD_WARN_BELOW_MS,
  SERIAL_BITS_PER_BYTE,
  SERIAL_FRAME_BYTES,
  SERIAL_MAX_UTILISATION,
  defaultInitdeadMs,
} from './ha-cf-types';

/** The five Heartbeat timers, resolved. */
interface Timers {
  keepaliveMs: number;
  warntimeMs: number;
  deadtimeMs: number;
  initdeadMs: number;
  deadpingMs: number;
}

/** Builds the final HaCf; problems go to the sink (the caller throws if any). */
export function resolveHaCf(draft: HaCfDraft, thisNode: string, sink: Sink): HaCf {
  const nodes = resolveNodes(draft, thisNode, sink);
  const timers = resolveTimers(draft, sink);
  checkTransport(draft, sink);
  checkSingleMedium(draft, sink);
  const baud = (draft.scalars.get('baud')?.value ?? DEFAULT_BAUD) as BaudRate;
  checkSerialSpeed(draft, baud, timers.keepaliveMs, sink);
  const num = (key: ScalarKey, dflt: number): number => draft.scalars.get(key)?.value ?? dflt;
  const autoFailback = draft.scalars.get('auto_failback');
  if (autoFailback === undefined) {
    sink.warnings.push({
      file: sink.file,
      key: 'auto_failback',
      code: 'AUTO_FAILBACK_UNSET',
      message: 'not set; read as on (Heartbeat\'s default "legacy"); write on or off',
    });
  }
  return {
    ...nodes,
    ucast: draft.ucast.map((u) => u.value),
    udpPort: num('udpport', DEFAULT_UDP_PORT),
    serial: draft.serial.map((s) => s.value),
    baud,
    ...timers,
    autoFailback: (autoFailback?.value ?? 1) === 1,
    ping: draft.ping.map((p) => p.value),
    priority: num('priority', DEFAULT_PRIORITY),
    preemptDelayMs: num('preempt_delay', DEFAULT_PREEMPT_DELAY_MS),
    garpRepeat: num('garp_repeat', DEFAULT_GARP_REPEAT),
    garpDelayMs: num('garp_delay', DEFAULT_GARP_DELAY_MS),
    trackInterfaces: draft.trackInterfaces.map((t) => t.value),
    trackScripts: draft.trackScripts.map((t) => t.value),
  };
}

function problemAt(sink: Sink, line: number | undefined, key: string, message: string): ConfigProblem {
  return line === undefined ? { file: sink.file, key, message } : { file: sink.file, line, key, message };
}

function resolveNodes(draft: HaCfDraft, thisNode: string, sink: Sink): Pick<HaCf, 'thisNode' | 'peerNode' | 'nodes'> {
  const names = draft.nodes.map((n) => n.value);
  const self = thisNode.toLowerCase();
  const third = draft.nodes[2];
  if (third !== undefined) {
    const msg = `hbd supports exactly two nodes; already have ${names[0]} and ${names[1]}`;
    sink.problems.add(problemAt(sink, third.line, 'node', msg));
  } else if (names.length < 2) {
    const found = names.length === 0 ? 'none' : `only ${names.join(', ')}`;
    sink.problems.add(problemAt(sink, draft.nodes[0]?.line, 'node', `exactly two nodes are needed; found ${found}`));
  }
  if (names.length > 0 && !names.includes(self)) {
    const msg = `this node "${self}" is not listed (${names.join(', ')}); node names must match \`uname -n\``;
    sink.problems.add(problemAt(sink, draft.nodes[0]?.line, 'node', msg));
  }
  const peerNode = names.find((n) => n !== self) ?? '';
  return { thisNode: self, peerNode, nodes: [names[0] ?? self, names[1] ?? peerNode] };
}

function resolveTimers(draft: HaCfDraft, sink: Sink): Timers {
  const given = (key: ScalarKey) => draft.scalars.get(key);
  const keepaliveMs = given('keepalive')?.value ?? DEFAULT_KEEPALIVE_MS;
  const deadtimeMs = given('deadtime')?.value ?? DEFAULT_DEADTIME_MS;
  const timers: Timers = {
    keepaliveMs,
    deadtimeMs,
    warntimeMs: given('warntime')?.value ?? Math.floor(deadtimeMs / 2),
    initdeadMs: given('initdead')?.value ?? defaultInitdeadMs(deadtimeMs),
    deadpingMs: given('deadping')?.value ?? deadtimeMs,
  };
  checkTimers(draft, timers, sink);
  return timers;
}

const TIMER_FIELD: Partial<Record<ScalarKey, keyof Timers>> = {
  keepalive: 'keepaliveMs',
  warntime: 'warntimeMs',
  deadtime: 'deadtimeMs',
  initdead: 'initdeadMs',
  deadping: 'deadpingMs',
};

/** Heartbeat's ordering rules: keepalive < warntime < deadtime <= initdead, deadtime > 2 x keepalive. */
function checkTimers(draft: HaCfDraft, t: Timers, sink: Sink): void {
  const show = (key: ScalarKey): string => {
    const field = TIMER_FIELD[key];
    const ms = field === undefined ? 0 : t[field];
    return `${key} (${ms}ms${draft.scalars.has(key) ? '' : ', default'})`;
  };
  const fail = (keys: ScalarKey[], message: string): void => {
    const key = keys.find((k) => draft.scalars.has(k)) ?? keys[0] ?? 'keepalive';
    sink.problems.add(problemAt(sink, draft.scalars.get(key)?.line, key, message));
  };
  if (t.warntimeMs <= t.keepaliveMs) fail(['warntime', 'keepalive'], `${show('warntime')} must be longer than ${show('keepalive')}`);
  if (t.deadtimeMs <= t.warntimeMs) fail(['deadtime', 'warntime'], `${show('deadtime')} must be longer than ${show('warntime')}`);
  if (t.deadtimeMs <= 2 * t.keepaliveMs) {
    fail(['deadtime', 'keepalive'], `${show('deadtime')} must be more than twice ${show('keepalive')}`);
  }
  if (t.initdeadMs < t.deadtimeMs) fail(['initdead', 'deadtime'], `${show('initdead')} must not be shorter than ${show('deadtime')}`);
  if (draft.scalars.has('deadping') && t.deadpingMs <= 2 * t.keepaliveMs) {
    fail(['deadping'], `${show('deadping')} must be more than twice ${show('keepalive')}`);
  }
  const initdead = draft.scalars.get('initdead');
  if (initdead !== undefined && t.initdeadMs >= t.deadtimeMs && t.initdeadMs < INITDEAD_WARN_BELOW_MS) {
    const msg = `${t.initdeadMs}ms may be too short for the network to come up after boot (Heartbeat advises >= 10s)`;
    sink.warnings.push(problemAt(sink, initdead.line, 'initdead', msg));
  }
}

function checkTransport(draft: HaCfDraft, sink: Sink): void {
  if (draft.ucast.length > 0 || draft.serial.length > 0) return;
  sink.problems.add({
    file: sink.file,
    message: 'no heartbeat link: add `ucast IFACE PEER_IP` and/or `serial DEVICE`',
  });
}

/**
 * One medium (one serial cable, or ucast over one interface) and no ping
 * node: when that one link fails, both units think the other dead and both
 * take the VIPs, with nothing to tell which should not (README "Decision
 * and split brain"). Legal, as in Heartbeat, but worth saying every time.
 */
function checkSingleMedium(draft: HaCfDraft, sink: Sink): void {
  if (draft.ping.length > 0) return;
  const media = [...new Set(draft.ucast.map((u) => `ucast ${u.value.iface}`)), ...draft.serial.map((s) => `serial ${s.value}`)];
  if (media.length !== 1) return;
  const first = draft.ucast[0] ?? draft.serial[0];
  sink.warnings.push({
    file: sink.file,
    line: first?.line,
    key: draft.ucast.length > 0 ? 'ucast' : 'serial',
    code: 'SINGLE_MEDIUM_NO_PING',
    message: `one heartbeat medium (${media[0] ?? ''}) and no ping node: if it fails, both units become active (split brain); add a second medium (serial, or ucast on another NIC) or a \`ping\` node`,
  });
}

/** A serial frame must fit comfortably in one keepalive interval. */
function checkSerialSpeed(draft: HaCfDraft, baud: number, keepaliveMs: number, sink: Sink): void {
  if (draft.serial.length === 0) return;
  const frameMs = (SERIAL_FRAME_BYTES * SERIAL_BITS_PER_BYTE * 1000) / baud;
  if (frameMs <= keepaliveMs * SERIAL_MAX_UTILISATION) return;
  const minMs = Math.ceil(frameMs / SERIAL_MAX_UTILISATION);
  const line = draft.scalars.get('keepalive')?.line ?? draft.scalars.get('baud')?.line ?? draft.serial[0]?.line;
  const msg =
    `${keepaliveMs}ms is too fast for serial at ${baud} baud: a ~${SERIAL_FRAME_BYTES}-byte frame takes ` +
    `${frameMs.toFixed(1)}ms; use keepalive >= ${minMs}ms or a higher baud`;
  sink.warnings.push(problemAt(sink, line, 'keepalive', msg));
}
