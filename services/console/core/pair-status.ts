/**
 * "Pair status" of the console menu, from hbd's D-Bus properties
 * (services/hbd/README.md, "D-Bus API"): this unit's name, role and state,
 * the peer and what it last said, each heartbeat link, health. Pure; a value
 * of an unexpected type (another hbd version) reads as empty, never throws.
 */

type Props = Readonly<Record<string, unknown>>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const tuples = (v: unknown): unknown[][] => (Array.isArray(v) ? v.filter((x): x is unknown[] => Array.isArray(x)) : []);
const label = (l: string): string => `  ${l.padEnd(14)}`;

/** The lines to print; `props` null: hbd is not on the bus (no ha.cf: never paired, or stopped). */
export function pairStatusLines(props: Props | null): string[] {
  if (props === null) return ['Pair status: not paired (the HA service hbd is not running; pairing is done in the web UI)'];
  const node = str(props.Node) || '?';
  const role = str(props.Role) || '?';
  const state = str(props.State) || '?';
  const lines = ['Pair status', `${label('This unit:')}${node}, ${role}, ${state}`];
  const peer = str(props.Peer);
  if (peer === '') {
    lines.push(`${label('Peer:')}none configured`);
  } else {
    const said = str(props.PeerState);
    lines.push(`${label('Peer:')}${peer}, ${str(props.PeerStatus) || 'unknown'}${said === '' || said === 'unknown' ? '' : ` (${said})`}`);
  }
  const links = tuples(props.Links).map((l) => `${str(l[0]) || '?'} ${str(l[2]) || '?'}`);
  lines.push(`${label('Links:')}${links.length === 0 ? 'none' : links.join(', ')}`);
  if (props.Healthy !== undefined) lines.push(`${label('Health:')}${props.Healthy === true ? 'healthy' : 'unhealthy (ping node or tracked interface)'}`);
  return lines;
}
