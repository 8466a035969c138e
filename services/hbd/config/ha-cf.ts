/**
 * Loader for /etc/ha.d/ha.cf (Heartbeat 3, ha.cf(5)) as hbd understands it:
 * a two-node pair over `ucast` and/or `serial`, Heartbeat's timers and
 * `auto_failback`, `ping` nodes, plus keepalived-style extras (`priority`,
 * `preempt_delay`, `garp_repeat`, `garp_delay`, `track_interface`,
 * `track_script`).
 *
 * Unlike Heartbeat, directive order does not matter, and every problem of
 * the file is reported at once (ConfigError), each with file, line and
 * directive. Directives hbd does not need are warned about; directives that
 * would change the cluster's meaning (bcast/mcast, crm, stonith) are errors.
 */
import { splitDirectiveLines, type DirectiveLine } from '../../runtime/config/lines';
import { ProblemList } from '../../runtime/config/problems';
import { DIRECTIVES } from './ha-cf-directives';
import { newDraft, report, warn, type HaCfDraft, type Sink } from './ha-cf-draft';
import { LEGACY_KEYS, legacyVerdict } from './ha-cf-legacy';
import { resolveHaCf } from './ha-cf-resolve';
import type { HaCfResult } from './ha-cf-types';
import { closestWord } from '../../runtime/config/suggest';

export type { HaCf, HaCfResult, TrackScript, UcastLink, BaudRate } from './ha-cf-types';

/**
 * Parses ha.cf text for the node called `thisNode` (normally `uname -n`).
 * Throws ConfigError listing every problem; returns warnings that did not
 * stop the load.
 */
export function parseHaCf(text: string, file: string, thisNode: string): HaCfResult {
  const sink: Sink = { file, problems: new ProblemList(), warnings: [] };
  const draft = newDraft();
  for (const d of splitDirectiveLines(text, file, (p) => sink.problems.add(p))) applyDirective(d, draft, sink);
  const config = resolveHaCf(draft, thisNode, sink);
  sink.problems.throwIfAny();
  return { config, warnings: sink.warnings };
}

function applyDirective(d: DirectiveLine, draft: HaCfDraft, sink: Sink): void {
  const spec = DIRECTIVES[d.key];
  if (spec === undefined) return applyUnknown(d, sink);
  if (d.args.length < spec.minArgs) return report(sink, d, `missing argument (usage: ${spec.usage})`);
  if (d.args.length > spec.maxArgs) {
    return report(sink, d, `too many arguments: ${d.args.slice(spec.maxArgs).join(' ')} (usage: ${spec.usage})`);
  }
  spec.apply(d, draft, sink);
}

function applyUnknown(d: DirectiveLine, sink: Sink): void {
  const verdict = legacyVerdict(d);
  if (verdict?.severity === 'warning') return warn(sink, d, verdict.message);
  if (verdict?.severity === 'error') return report(sink, d, verdict.message);
  const guess = closestWord(d.key, [...Object.keys(DIRECTIVES), ...LEGACY_KEYS]);
  report(sink, d, guess === undefined ? 'unknown directive' : `unknown directive (did you mean ${guess}?)`);
}
