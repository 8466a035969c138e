/**
 * What the ha.cf directives said, each value with its line, before defaults
 * and cross-directive checks. Also the sink that collects problems.
 */
import type { DirectiveLine } from '../../runtime/config/lines';
import type { ConfigProblem, ProblemList } from '../../runtime/config/problems';
import type { TrackScript, UcastLink } from './ha-cf-types';

/** A value and the line it came from. */
export interface Located<T> {
  value: T;
  line: number;
}

/** Directives that may appear at most once. */
export type ScalarKey =
  | 'udpport'
  | 'baud'
  | 'keepalive'
  | 'warntime'
  | 'deadtime'
  | 'initdead'
  | 'deadping'
  | 'auto_failback'
  | 'priority'
  | 'preempt_delay'
  | 'garp_repeat'
  | 'garp_delay';

/** The file as written. `auto_failback` is stored as 1 (on, legacy) or 0 (off). */
export interface HaCfDraft {
  nodes: Located<string>[];
  ucast: Located<UcastLink>[];
  serial: Located<string>[];
  ping: Located<string>[];
  trackInterfaces: Located<string>[];
  trackScripts: Located<TrackScript>[];
  scalars: Map<ScalarKey, Located<number>>;
}

/** Where a loader puts what it finds wrong: errors stop the load, warnings do not. */
export interface Sink {
  file: string;
  problems: ProblemList;
  warnings: ConfigProblem[];
}

export function newDraft(): HaCfDraft {
  return { nodes: [], ucast: [], serial: [], ping: [], trackInterfaces: [], trackScripts: [], scalars: new Map() };
}

/** An error at a directive. */
export function report(sink: Sink, d: Pick<DirectiveLine, 'line' | 'key'>, message: string): void {
  sink.problems.add({ file: sink.file, line: d.line, key: d.key, message });
}

/** A warning at a directive. */
export function warn(sink: Sink, d: Pick<DirectiveLine, 'line' | 'key'>, message: string): void {
  sink.warnings.push({ file: sink.file, line: d.line, key: d.key, message });
}
