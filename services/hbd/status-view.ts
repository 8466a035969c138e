/**
 * The status of one unit as hactl shows it, in the words of the reference
 * appliance's status bar: Master|Slave, Active|Passive, Link.
 */

export interface LinkView {
  id: string;
  kind: string;
  status: 'up' | 'down';
  lastSeenMsAgo: number | null;
  received: number;
  dropped: number;
}

export interface StatusView {
  node: string;
  peer: string;
  role: 'master' | 'slave';
  state: string;
  peerStatus: string;
  peerState: string;
  links: LinkView[];
  drops: Record<string, number>;
  resources: { name: string; status: string; detail: string }[];
  pingReachable: number;
  pingConfigured: number;
  healthy: boolean;
  generation: number;
  /** The standing hb_standby/hb_takeover record (node '' = none), as both units agree on it. */
  manual: { epoch: number; node: string };
  /** The configuration's warnings (what --check-config prints); absent from an older hbd's JSON. */
  warnings?: { code: string; message: string }[];
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export function renderStatus(v: StatusView): string {
  const link = v.links.some((l) => l.status === 'up') ? 'Link up' : 'Link DOWN';
  const lines = [
    `${cap(v.role)}  ${cap(v.state)}  ${link}`,
    `node      ${v.node} (${v.role}), state ${v.state}, generation ${v.generation}`,
    `peer      ${v.peer}: ${v.peerStatus}${v.peerState === 'unknown' ? '' : `, says ${v.peerState}`}`,
    `health    ${v.healthy ? 'ok' : 'FAILING'}${v.pingConfigured > 0 ? `, ping nodes ${v.pingReachable}/${v.pingConfigured} reachable` : ''}`,
    'links:',
    ...v.links.map((l) => `  ${l.id.padEnd(32)} ${l.status.padEnd(5)} ${l.lastSeenMsAgo === null ? 'never heard' : `last ${(l.lastSeenMsAgo / 1000).toFixed(1)}s ago`}  rx ${l.received}  dropped ${l.dropped}`),
    'resources:',
    ...v.resources.map((r) => `  ${r.name.padEnd(32)} ${r.status}${r.detail === '' ? '' : `: ${r.detail}`}`),
  ];
  const warnings = v.warnings ?? [];
  if (warnings.length > 0) lines.push('warnings:', ...warnings.map((w) => `  ${w.code}: ${w.message}`));
  const drops = Object.entries(v.drops).filter(([, n]) => n > 0);
  if (drops.length > 0) lines.push(`dropped frames: ${drops.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}
