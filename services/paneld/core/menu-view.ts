/**
 * The menu's rows for a display of any size (pure). Two-row panels get the
 * essentials (value + cursor, question + keys); taller ones add a title.
 */
import { digitColumn, digitsShown } from './ip-entry';
import { MENU_ITEMS, question, type InfoItem, type Menu, type MenuAction } from './menu';
import type { PanelInput } from './panel-input';
import { pick, wrap, type Size } from './screens';
import { webPasswordRows } from './web-password';

export function formatUptime(s: number): string {
  const t = Math.max(0, Math.floor(s));
  const d = Math.floor(t / 86_400);
  const hms = [Math.floor((t % 86_400) / 3600), Math.floor((t % 3600) / 60), t % 60].map((x) => String(x).padStart(2, '0')).join(':');
  return d > 0 ? `${d}d ${hms}` : hms;
}

/** Body rows, then the keys hint on the last row. */
function withHint(body: string[], hint: string, s: Size): string[] {
  if (s.height === 1) return [body[0] ?? hint];
  return [...body.slice(0, s.height - 1), ...Array<string>(Math.max(0, s.height - 1 - body.length)).fill(''), hint].slice(0, s.height);
}

export function menuRows(m: Menu, i: PanelInput, s: Size, now: number): string[] {
  const st = m.state;
  const w = s.width;
  switch (st.at) {
    case 'closed':
      return [];
    case 'list': {
      const start = Math.floor(st.index / s.height) * s.height;
      return MENU_ITEMS.slice(start, start + s.height).map((it, k) => `${start + k === st.index ? '>' : ' '}${it.label}`);
    }
    case 'info': {
      const rows = infoRows(st.item, i, w);
      const title = INFO_TITLES[st.item];
      const body = s.height >= 3 ? [title, ...rows] : rows;
      const scroll = Math.min(st.scroll, Math.max(0, body.length - s.height));
      return body.slice(scroll, scroll + s.height);
    }
    case 'edit': {
      if (st.error !== null) return withHint(wrap(st.error, w), pick(w, '(press any key)', '(any key)'), s);
      const label = st.field === 'address' ? 'IP address' : st.field === 'prefix' ? 'Prefix length' : 'Gateway';
      const value = st.field === 'prefix' ? `${st.address}/${st.digits}` : digitsShown(st.digits);
      const col = st.field === 'prefix' ? st.address.length + 1 + st.cursor : digitColumn(st.cursor);
      const shift = Math.max(0, col - (w - 1));
      const caret = `${' '.repeat(col - shift)}^`;
      if (s.height >= 4) return [label, value.slice(shift), caret, pick(w, 'Ent=next Esc=back', 'Ent/Esc')];
      if (s.height === 3) return [label, value.slice(shift), caret];
      const tag = st.field === 'address' ? 'IP' : st.field === 'prefix' ? 'PFX' : 'GW';
      const row2 = caret.length + 1 + tag.length <= w ? caret + ' '.repeat(w - caret.length - tag.length) + tag : caret;
      return s.height === 2 ? [value.slice(shift), row2] : [value.slice(shift)];
    }
    case 'confirm': {
      // Two rows leave one for the question: the value itself must be on it.
      const body = s.height <= 2 ? [shortQuestion(st.action, w)] : wrap(question(st.action), w);
      return withHint(body, pick(w, 'Enter=yes Esc=no', 'Ent=yes Esc=no', 'Ent/Esc'), s);
    }
    case 'busy':
      return withHint(wrap(question(st.action).replace(/\?$/, ''), w), 'Please wait...', s);
    case 'keep': {
      const left = Math.max(0, Math.ceil((st.until - now) / 1000));
      const body = s.height >= 3 ? ['New settings live.', pick(w, `Keep them? ${left}s`, `Keep? ${left}s`)] : [pick(w, `Keep new? ${left}s`, `Keep? ${left}s`)];
      return withHint(body, pick(w, 'Ent=keep Esc=undo', 'Ent=keep Esc=no'), s);
    }
    case 'result':
      return withHint(wrap(st.text, w), pick(w, '(press any key)', '(any key)'), s);
  }
}

function shortQuestion(a: MenuAction, w: number): string {
  switch (a.kind) {
    case 'set-address':
      return pick(w, `Set ${a.address}/${a.prefix}?`, `${a.address}/${a.prefix}?`, `${a.address}/${a.prefix}`, `${a.address}?`);
    case 'set-gateway':
      return pick(w, `Set GW ${a.gateway}?`, `GW ${a.gateway}?`, `${a.gateway}?`);
    case 'standby':
    case 'takeover':
    case 'keep-network':
    case 'undo-network':
      return pick(w, question(a), question(a).split('?')[0] + '?');
  }
}

const INFO_TITLES: Record<InfoItem, string> = { addresses: 'Addresses', version: 'Version', uptime: 'Uptime', 'web-password': 'Web password' };

function infoRows(item: InfoItem, i: PanelInput, w: number): string[] {
  switch (item) {
    case 'addresses':
      if (!i.net.running) return ['nicd not running'];
      if (i.net.addresses.length === 0) return [pick(w, `${i.net.iface}: no address yet`, 'no address yet')];
      // A long IPv6 address is cut over rows.
      return i.net.addresses.flatMap((a) => wrap(a, w));
    case 'version':
      return [pick(w, `${i.product} ${i.version}`, i.version), i.hostname];
    case 'uptime':
      return [formatUptime(i.uptimeS)];
    case 'web-password':
      return webPasswordRows(i.web, w);
  }
}
