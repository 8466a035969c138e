/**
 * The console banner of a virtual appliance (/etc/issue, shown by agetty on
 * tty1 before the login prompt): product, version, management address(es),
 * the web UI URL and login (with the initial password until it is changed:
 * core/web-password.ts), HA state and how to reach the console setup. Pure.
 * agetty(8) expands backslash escapes in /etc/issue, so every backslash of
 * our text is doubled (issueEscape).
 */
import { haBadge } from './screens';
import { heldVips, reachableAddresses, unitAddresses, webUrl, type PanelInput } from './panel-input';
import type { Alert } from './alerts';
import { bannerLoginText } from './web-password';

export function bannerText(i: PanelInput, alerts: readonly Alert[]): string {
  const rows: string[] = [];
  rows.push(`${i.product} ${i.version} - load-balancer appliance${i.hostname === '' ? '' : ` (${i.hostname})`}`, '');
  const urls = reachableAddresses(i).map((a) => webUrl(a, i.webPort));
  const own = unitAddresses(i);
  const label = (l: string): string => `  ${l.padEnd(15)}`;
  if (!i.net.running) {
    rows.push(`${label('Management:')}unknown (the network service nicd is not running)`);
  } else if (own.length === 0) {
    rows.push(`${label('Management:')}${i.net.iface === '' ? 'no network interface found' : `${i.net.iface}: no address yet`}`);
  } else {
    rows.push(`${label('Management:')}${i.net.iface} ${own.join(', ')}`);
  }
  const vips = heldVips(i);
  if (vips.length > 0) rows.push(`${label('Floating IPs:')}${vips.join(', ')} (held by this unit)`);
  if (urls.length === 0) rows.push(`${label('Web UI:')}not reachable yet (no address): set one up as below`);
  urls.forEach((u, k) => rows.push(`${label(k === 0 ? 'Web UI:' : '')}${u}`));
  const login = bannerLoginText(i.web);
  if (login !== null) rows.push(`${label('Web UI login:')}${login}`);
  rows.push(`${label('HA:')}${haLine(i)}`);
  rows.push(`${label('Config sync:')}${i.sync.running ? i.sync.status : i.paired === false ? 'not paired' : 'not running'}`);
  if (alerts.length > 0) rows.push(`${label('Alerts:')}${alerts.map((a) => `${a.title} (${a.detail})`).join('; ')}`);
  rows.push('', '  Console setup (network, web password, reboot, factory reset): log in as "setup"', '', '');
  return rows.join('\n');
}

function haLine(i: PanelInput): string {
  if (!i.ha.running) return i.paired === false ? "not paired (pair it on the web UI's HA page, or: hactl pair PEER --vip ADDRESS)" : 'not running';
  const peer = i.ha.peer === '' ? '' : `, peer ${i.ha.peer} ${i.ha.peerStatus}`;
  return `${i.ha.role} ${haBadge(i).toLowerCase()}${peer}`;
}

/** agetty would read "\x" sequences as escapes: double every backslash. */
export function issueEscape(text: string): string {
  return text.replace(/\\/g, '\\\\');
}
