/**
 * The resource scripts haresources names must be there when hbd starts,
 * where Heartbeat looks for them (resource.d of the config dir,
 * /etc/ha.d/resource.d, /etc/init.d: see adapters/scripts.ts), and be
 * executable: otherwise a typo (`IPqddr2::192.0.2.10/24/eth0`) is only
 * found at the first takeover, when the VIP silently does not come up.
 * hbd itself handles the IP agents (IPaddr, IPaddr2, IPv6addr); a missing
 * script whose name is close to one of them gets a "did you mean".
 */
import type { ConfigProblem } from '../../runtime/config/problems';
import { closestWord } from '../../runtime/config/suggest';
import type { Haresources } from './haresources';
import { IP_AGENT_NAMES } from './haresources';

/** What a candidate path is. */
export type ScriptFacts = 'executable' | 'not-executable' | 'missing';

export interface ScriptLookup {
  /** Where NAME is looked for, in order. */
  candidates(name: string): string[];
  probe(file: string): Promise<ScriptFacts>;
}

/** The file each script resource runs, and the problems of those that cannot run. */
export async function checkResourceScripts(h: Haresources, file: string, lookup: ScriptLookup): Promise<{ found: string[]; problems: ConfigProblem[] }> {
  const found: string[] = [];
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const r of h.resources) {
    if (r.kind !== 'script' || seen.has(r.name)) continue;
    seen.add(r.name);
    const places = lookup.candidates(r.name);
    let notExecutable: string | undefined;
    let hit: string | undefined;
    for (const c of places) {
      const facts = await lookup.probe(c);
      if (facts === 'executable') {
        hit = c;
        break;
      }
      if (facts === 'not-executable') notExecutable ??= c;
    }
    if (hit !== undefined) {
      found.push(hit);
      continue;
    }
    if (notExecutable !== undefined) {
      problems.push({ file, key: r.name, message: `resource script ${notExecutable} is not executable; run: chmod 755 ${notExecutable}` });
      continue;
    }
    problems.push({ file, key: r.name, message: `no resource script "${r.name}" (looked in ${places.map((p) => p.slice(0, p.lastIndexOf('/'))).join(', ')})${agentHint(r.name)}` });
  }
  return { found, problems };
}

function agentHint(name: string): string {
  const lower = IP_AGENT_NAMES.map((n) => n.toLowerCase());
  const guess = closestWord(name.toLowerCase(), lower);
  const agent = guess === undefined ? undefined : IP_AGENT_NAMES[lower.indexOf(guess)];
  return agent === undefined ? '' : `; did you mean ${agent} (a floating IP, e.g. ${agent}::192.0.2.10/24/eth0)?`;
}
