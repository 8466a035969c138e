/**
 * What `csyncctl status` shows and D-Bus Status() returns: the colour, the
 * reason, and every service on both units. renderStatus() is the text form,
 * also what `ssh ... peer status` prints.
 */
import type { Colour, ServiceState, SideFacts } from './core/status';
import { versionLabel } from './core/version';

export interface ServiceView {
  name: string;
  state: ServiceState;
  detail: string;
  local: SideFacts | null;
  peer: SideFacts | null;
}

export interface StatusView {
  status: Colour;
  reason: string;
  node: number;
  peerNode: number;
  listen: string;
  peer: string;
  reachable: boolean;
  linkError: { code: string; message: string } | null;
  /** ISO time of the last finished check; null before the first. */
  lastCheck: string | null;
  autoSync: boolean;
  services: ServiceView[];
  stuck: string[];
}

const COLOUR_WORD: Record<Colour, string> = { green: 'GREEN', orange: 'ORANGE', red: 'RED' };

export function renderStatus(v: StatusView, now = Date.now()): string {
  const age = v.lastCheck === null ? 'not yet' : `${v.lastCheck} (${Math.max(0, Math.round((now - Date.parse(v.lastCheck)) / 1000))} s ago)`;
  const lines = [
    `csyncd node ${v.node} (${endpoint(v.listen)}) -> peer node ${v.peerNode} (${endpoint(v.peer)}): ${v.reachable ? 'reachable' : 'NOT reachable'}`,
    `Status: ${COLOUR_WORD[v.status]}  ${v.reason}`,
    `Last check: ${age}   auto_sync ${v.autoSync ? 'on' : 'off'}`,
    '',
  ];
  const rows = [['SERVICE', 'STATE', 'LOCAL (running / saved)', 'PEER (running / saved)'], ...v.services.map((s) => [s.name, s.state, side(s.local), side(s.peer)])];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) lines.push(r.map((c, i) => (i < 3 ? c.padEnd(widths[i] ?? 0) : c)).join('  ').trimEnd());
  for (const s of v.services.filter((x) => x.state !== 'in-sync')) lines.push(`  ${s.name}: ${s.detail}`);
  if (v.services.length === 0) lines.push('(no services in services.conf)');
  for (const s of v.stuck) lines.push(`STUCK: ${s}`);
  return `${lines.join('\n')}\n`;
}

/**
 * "198.18.0.1:24" as "198.18.0.1 port 24": "address:24" next to other
 * addresses reads like a prefix length (198.18.0.1/24). IPv6 may come as
 * [fd00::1]:24; anything else is shown as it is.
 */
export function endpoint(hostPort: string): string {
  const m = /^\[?([^\]]*?)\]?:(\d+)$/.exec(hostPort);
  if (m === null || (m[1] ?? '').includes(':') !== hostPort.startsWith('[')) return hostPort;
  return `${m[1] ?? ''} port ${m[2] ?? ''}`;
}

function side(f: SideFacts | null): string {
  if (f === null) return '-';
  const saved = f.saved === null ? 'never saved' : f.saved === f.sha256 ? 'saved' : `saved ${f.saved.slice(0, 8)}`;
  return `${versionLabel(f.version)} / ${saved}`;
}
