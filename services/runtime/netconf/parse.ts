/**
 * network.conf: line-oriented like ha.cf(5), with blocks. A block starts with
 * `interface NAME`, `vlan NAME PARENT ID` or `bond NAME MODE SLAVE...`; the
 * directives after it (indented by convention) belong to it until the next
 * block or top-level directive:
 *
 *   hostname lbmaster
 *   dns 192.168.2.53 2001:db8::53
 *   search example.com
 *   interface eth0
 *       address 192.168.2.21/24
 *       address 2001:db8:2::21/64
 *       mtu 1500
 *       gateway 192.168.2.1
 *       route 10.50.0.0/16 via 192.168.2.254
 *
 * Shared by nicd (the file's owner) and paneld (which edits the management
 * address through nicd's Apply), so both read the file with the same rules.
 *
 * parseNetworkConfig reports every problem of the file at once (ConfigError,
 * `file:line: directive: message`), syntax and cross-checks alike.
 */
import { splitDirectiveLines } from '../config/lines';
import { ConfigError, type ConfigProblem } from '../config/problems';
import { closestWord } from '../config/suggest';
import { DIRECTIVES, type ParseSink } from './directives';
import { validateNetworkConfig } from './validate';
import type { LinkDecl, NetConfig } from './types';

export interface ParsedNetworkConfig {
  config: NetConfig;
  warnings: ConfigProblem[];
}

/** Syntax only: every directive checked on its own, blocks assembled. */
export function readDirectives(text: string, file: string): { config: NetConfig; problems: ConfigProblem[] } {
  const config: NetConfig = { file, generation: null, hostname: null, dns: [], search: [], links: [] };
  const sink: ParseSink = { config, block: null, problems: [] };
  for (const d of splitDirectiveLines(text, file, (p) => sink.problems.push(p))) {
    const spec = DIRECTIVES[d.key];
    if (spec === undefined) {
      const hint = closestWord(d.key, Object.keys(DIRECTIVES));
      sink.problems.push({ file, line: d.line, key: d.key, message: `unknown directive${hint === undefined ? '' : `; did you mean "${hint}"?`}` });
      continue;
    }
    if (d.args.length < spec.minArgs || d.args.length > spec.maxArgs) {
      sink.problems.push({ file, line: d.line, key: d.key, message: `wrong number of arguments; usage: ${spec.usage}` });
      if (spec.scope === 'opens-block') sink.block = null;
      continue;
    }
    switch (spec.scope) {
      case 'opens-block': {
        const link = spec.apply(d, sink, null) as LinkDecl;
        config.links.push(link);
        sink.block = link;
        break;
      }
      case 'in-block':
        if (sink.block === null) {
          sink.problems.push({ file, line: d.line, key: d.key, message: 'outside a block: put it under an `interface NAME` (or vlan/bond) line' });
        } else {
          spec.apply(d, sink, sink.block);
        }
        break;
      case 'top':
        sink.block = null;
        spec.apply(d, sink, null);
        break;
    }
  }
  return { config, problems: sink.problems };
}

/** Parse and validate; throws ConfigError with every problem. */
export function parseNetworkConfig(text: string, file: string): ParsedNetworkConfig {
  const { config, problems } = readDirectives(text, file);
  const checked = validateNetworkConfig(config);
  const all = [...problems, ...checked.problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (all.length > 0) throw new ConfigError(all);
  const warnings = [...checked.warnings];
  // An empty file is a valid one, and unlike no file at all it brings no factory default: say so.
  if (config.links.length === 0) {
    warnings.unshift({ file, code: 'NO_INTERFACES', message: 'no interface, vlan or bond block: no address is configured on any NIC (without the file, the factory default 192.168.2.21/24 on the first NIC would apply)' });
  }
  return { config, warnings };
}
