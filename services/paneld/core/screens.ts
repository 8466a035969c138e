/**
 * PanelInput -> the pages of the LCD for a display of any size LCDd
 * reports (16x2, 20x4, 40x2, ...). Pure; paneld shows one page at a time
 * and turns the pages every page interval.
 *
 *   normal  hostname + HA badge, management address, HA role/state/link, sync
 *   alerts  one page per alert, most serious first; they replace the normal pages
 *
 *   20x4                     16x2 (3 pages)       40x2
 *   +--------------------+   +----------------+   +----------------------------------------+
 *   |lb1           ACTIVE|   |lb1       ACTIVE|   |lb1 ACTIVE  IP 192.168.2.21/24          |
 *   |IP 192.168.2.21/24  |   |192.168.2.21/24 |   |HA Master Active Link  Sync green       |
 *   |HA Master Active Lnk|   +----------------+   +----------------------------------------+
 *   |Sync green          |
 *   +--------------------+
 */
import type { Alert } from './alerts';
import { hostOf, reachableAddresses, type PanelInput } from './panel-input';

export interface Size {
  width: number;
  height: number;
}

/** The first candidate that fits, else the last one cut to the width. */
export function pick(width: number, ...candidates: string[]): string {
  for (const c of candidates) if (c.length <= width) return c;
  return (candidates.at(-1) ?? '').slice(0, width);
}

/** `left` and `right` on one row, right-aligned; the right part wins if both do not fit. */
export function justify(left: string, right: string, width: number): string {
  if (right.length >= width) return right.slice(0, width);
  const room = width - right.length - 1;
  const l = left.slice(0, Math.max(0, room));
  return l + ' '.repeat(width - l.length - right.length) + right;
}

/** Word wrap into rows of at most `width`; long words are cut. */
export function wrap(text: string, width: number): string[] {
  const rows: string[] = [];
  let row = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    for (let w = word; w !== ''; ) {
      const piece = w.slice(0, width);
      w = w.slice(width);
      if (row === '') row = piece;
      else if (row.length + 1 + piece.length <= width) row += ` ${piece}`;
      else {
        rows.push(row);
        row = piece;
      }
    }
  }
  if (row !== '') rows.push(row);
  return rows;
}

const cap = (s: string): string => (s === '' ? s : s[0]!.toUpperCase() + s.slice(1));

export function haBadge(i: PanelInput): string {
  if (!i.ha.running) return 'NO HA';
  switch (i.ha.state) {
    case 'active':
      return 'ACTIVE';
    case 'passive':
      return 'STANDBY';
    case 'init':
      return 'INIT';
    case 'stopped':
      return 'STOPPED';
    default:
      return i.ha.state.toUpperCase() || '?';
  }
}

function titleRow(i: PanelInput, width: number): string {
  return justify(i.hostname, haBadge(i), width);
}

/** The management address (IPv4 first); the others are in the menu and the banner. */
function addressRow(i: PanelInput, width: number): string {
  const a = reachableAddresses(i)[0];
  if (!i.net.running) return pick(width, 'IP ? (nicd down)', 'IP unknown');
  if (a === undefined) return pick(width, `${i.net.iface} no address yet`, 'no address yet', 'no address');
  return pick(width, `IP ${a}`, a, hostOf(a));
}

function haRow(i: PanelInput, width: number): string {
  if (!i.ha.running) return pick(width, 'HA not running', 'HA down');
  const link = i.ha.peer === '' ? '' : i.ha.linksUp > 0 ? 'Link' : 'NO LINK';
  const role = cap(i.ha.role);
  const state = cap(i.ha.state);
  const short = link === 'Link' ? 'Lnk' : link === '' ? '' : 'NoLnk';
  return pick(width, `HA ${role} ${state} ${link}`.trim(), `HA ${role} ${state} ${short}`.trim(), `${role} ${state} ${link}`.trim(), `${role} ${state} ${short}`.trim(), `${role} ${link}`.trim(), `${role.slice(0, 1)} ${state} ${short}`.trim());
}

function syncRow(i: PanelInput, width: number): string {
  if (!i.sync.running) return pick(width, 'Sync not running', 'Sync down');
  return pick(width, `Sync ${i.sync.status}${i.sync.reason === '' || i.sync.status === 'green' ? '' : `: ${i.sync.reason}`}`, `Sync ${i.sync.status}`);
}

/** Join neighbouring rows on wide displays (40 columns) when both fit. */
function packRows(rows: readonly string[], width: number): string[] {
  if (width < 32) return [...rows];
  const out: string[] = [];
  for (const r of rows) {
    const last = out.at(-1);
    const lastIsPacked = last !== undefined && last.includes('  ');
    if (last !== undefined && !lastIsPacked && last.length + 2 + r.length <= width) out[out.length - 1] = `${last}  ${r}`;
    else out.push(r);
  }
  return out;
}

export function normalPages(i: PanelInput, s: Size): string[][] {
  const title = s.width >= 32 ? `${i.hostname} ${haBadge(i)}` : titleRow(i, s.width);
  const rows = packRows([title, addressRow(i, s.width), haRow(i, s.width), syncRow(i, s.width)], s.width);
  if (rows.length <= s.height) return [rows];
  if (s.height === 1) return rows.map((r) => [r]);
  const [head = '', ...rest] = rows;
  const pages: string[][] = [];
  for (let k = 0; k < rest.length; k += s.height - 1) pages.push([head, ...rest.slice(k, k + s.height - 1)]);
  return pages;
}

export function alertPages(i: PanelInput, alerts: readonly Alert[], s: Size): string[][] {
  return alerts.map((a, k) => {
    const n = alerts.length;
    const head = n > 1 ? `!${k + 1}/${n} ${a.title}` : `! ${a.title}`;
    const rows = [pick(s.width, head, `!${a.title}`), ...wrap(a.detail, s.width)];
    if (s.height >= 3) {
      // Keep the address in sight on taller displays: the technician may need it to log in.
      const addr = reachableAddresses(i)[0];
      const last = addr === undefined ? (i.net.running ? 'no address yet' : '') : pick(s.width, `IP ${addr}`, hostOf(addr));
      const body = rows.slice(0, s.height - 1);
      while (body.length < s.height - 1) body.push('');
      return [...body, last];
    }
    return rows.slice(0, s.height);
  });
}

/** The pages to turn through: the alerts when there are any, else the normal ones. */
export function pagesOf(i: PanelInput, alerts: readonly Alert[], s: Size): { kind: 'alert' | 'normal'; pages: string[][] } {
  return alerts.length > 0 ? { kind: 'alert', pages: alertPages(i, alerts, s) } : { kind: 'normal', pages: normalPages(i, s) };
}
