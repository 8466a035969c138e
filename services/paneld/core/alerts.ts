/**
 * Active alerts, most serious first: what takes over the LCD and lights the
 * fault LED. `fault`: something is broken on this unit (a service is down,
 * a resource failed); `warn`: degraded (peer lost, a link down, sync red).
 */
import type { PanelInput } from './panel-input';

export interface Alert {
  severity: 'fault' | 'warn';
  /** Short, fits a 16-column line with the "!n/m " prefix where possible. */
  title: string;
  detail: string;
}

const SERVICE_TITLES = { hbd: 'HA service down', nicd: 'NET service down', csyncd: 'SYNC service down' } as const;
const SERVICE_DETAIL = { hbd: 'hbd is not running', nicd: 'nicd is not running', csyncd: 'csyncd is not running' } as const;

export function alertsOf(i: PanelInput): Alert[] {
  const out: Alert[] = [];
  const running = { hbd: i.ha.running, nicd: i.net.running, csyncd: i.sync.running };
  // A unit never paired runs no hbd or csyncd (their unit files' conditions): nothing is down.
  const unpaired = (s: string): boolean => i.paired === false && (s === 'hbd' || s === 'csyncd');
  for (const s of i.expected) if (!running[s] && !unpaired(s)) out.push({ severity: 'fault', title: SERVICE_TITLES[s], detail: SERVICE_DETAIL[s] });
  for (const r of i.ha.failedResources) out.push({ severity: 'fault', title: 'Resource failed', detail: r });
  if (i.ha.running && i.ha.peer !== '' && i.ha.peerStatus === 'dead') out.push({ severity: 'warn', title: 'Peer lost', detail: `${i.ha.peer} not heard` });
  if (i.ha.running && !i.ha.healthy && i.ha.failedResources.length === 0) out.push({ severity: 'warn', title: 'HA unhealthy', detail: 'ping node unreachable' });
  if (i.net.running && i.net.iface !== '' && !i.net.carrier) out.push({ severity: 'warn', title: 'Link down', detail: `${i.net.iface} (management)` });
  for (const l of i.net.linksDown) out.push({ severity: 'warn', title: 'Link down', detail: l });
  if (i.sync.running && i.sync.status === 'red') out.push({ severity: 'warn', title: 'Sync failed', detail: i.sync.reason || 'configurations differ' });
  return out.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'fault' ? -1 : 1));
}
