import test from 'ava';
import { CLOSED, MENU_IDLE_MS, MENU_ITEMS, menuStep, type Menu, type MenuAction, type MenuEvent } from './menu';
import { formatUptime, menuRows } from './menu-view';
import { healthy, withHa, withNet } from '../testing/inputs';
import type { PanelInput } from './panel-input';

/** Run keys from a menu state; returns the final menu and every action. */
function keys(start: Menu, list: string, input: PanelInput = healthy(), now = 1000): { menu: Menu; actions: MenuAction[] } {
  let menu = start;
  const actions: MenuAction[] = [];
  for (const key of list.split(' ').filter((k) => k !== '')) {
    const [m, a] = menuStep(menu, { type: 'Key', key, now }, input);
    menu = m;
    actions.push(...a);
  }
  return { menu, actions };
}

const at = (label: string): string => ['Down'].concat(Array<string>(MENU_ITEMS.findIndex((i) => i.label === label)).fill('Down')).slice(1).join(' ');
const done = (m: Menu, ok: boolean, text: string, pendingUntil = 0): Menu => menuStep(m, { type: 'ActionDone', ok, text, pendingUntil, now: 2000 } as MenuEvent, healthy())[0];

test('Enter opens the list; Up/Down wrap; Escape closes', (t) => {
  let r = keys(CLOSED, 'Enter');
  t.deepEqual(r.menu.state, { at: 'list', index: 0 });
  r = keys(r.menu, 'Up');
  t.deepEqual(r.menu.state, { at: 'list', index: MENU_ITEMS.length - 1 });
  r = keys(r.menu, 'Down Down');
  t.deepEqual(r.menu.state, { at: 'list', index: 1 });
  t.deepEqual(keys(r.menu, 'Escape').menu.state, { at: 'closed' });
  t.deepEqual(keys(CLOSED, 'Up Down Escape').menu.state, { at: 'closed' });
});

test('list rows on 16x2 and 20x4', (t) => {
  const m = keys(CLOSED, 'Enter Down').menu;
  t.deepEqual(menuRows(m, healthy(), { width: 16, height: 2 }, 0), [' Show addresses', '>Version']);
  t.deepEqual(menuRows(keys(m, 'Down Down').menu, healthy(), { width: 20, height: 4 }, 0), [' Show addresses', ' Version', ' Uptime', '>Set IP address']);
});

test('info screens: addresses (IPv6 cut over rows), version, uptime; back with Enter', (t) => {
  const i = withNet({ addresses: ['192.168.2.21/24', '2001:db8:2::21/64'] });
  const m = keys(CLOSED, 'Enter Enter', i).menu;
  t.deepEqual(menuRows(m, i, { width: 16, height: 2 }, 0), ['192.168.2.21/24', '2001:db8:2::21/6']);
  t.deepEqual(menuRows(m, i, { width: 20, height: 4 }, 0), ['Addresses', '192.168.2.21/24', '2001:db8:2::21/64']);
  t.deepEqual(menuRows(keys(CLOSED, `Enter ${at('Version')} Enter`).menu, healthy(), { width: 16, height: 2 }, 0), ['LBOS 1.2.0', 'lb1']);
  t.deepEqual(menuRows(keys(CLOSED, `Enter ${at('Uptime')} Enter`).menu, healthy(), { width: 16, height: 2 }, 0), ['01:02:03']);
  t.deepEqual(keys(m, 'Enter', i).menu.state, { at: 'list', index: 0 });
  t.is(formatUptime(90061), '1d 01:01:01');
});

test('info screen "Web password": the initial password on the panel (20x4 whole, 16x2 in halves, scrolled), or "changed"', (t) => {
  const i = healthy({ web: { kind: 'initial', password: 'abcd-efgh-jkmn-pqrs' } });
  const m = keys(CLOSED, `Enter ${at('Web password')} Enter`, i).menu;
  t.like(m.state, { at: 'info', item: 'web-password' });
  t.deepEqual(menuRows(m, i, { width: 20, height: 4 }, 0), ['Web password', 'User admin', 'abcd-efgh-jkmn-pqrs', 'Change at 1st login']);
  t.deepEqual(menuRows(m, i, { width: 16, height: 2 }, 0), ['User admin', 'abcd-efgh-']);
  t.deepEqual(menuRows(keys(m, 'Down', i).menu, i, { width: 16, height: 2 }, 0), ['abcd-efgh-', 'jkmn-pqrs']);
  const changed = healthy({ web: { kind: 'changed' } });
  t.deepEqual(menuRows(m, changed, { width: 20, height: 4 }, 0), ['Web password', 'Changed. To reset', 'it: console login', '"setup"']);
  t.deepEqual(keys(m, 'Escape', i).menu.state, { at: 'list', index: MENU_ITEMS.findIndex((x) => x.id === 'web-password') });
});

test('set IP: prefilled digits, edit, prefix, confirm, busy, keep step -> keep-network', (t) => {
  // 192.168.002.021 -> change the last digit to 5, keep /24.
  let r = keys(CLOSED, `Enter ${at('Set IP address')} Enter`);
  t.like(r.menu.state, { at: 'edit', field: 'address', digits: '192168002021', cursor: 0 });
  t.deepEqual(menuRows(r.menu, healthy(), { width: 16, height: 2 }, 0), ['192.168.002.021', '^             IP']);
  r = keys(r.menu, 'Right Right Right Right Right Right Right Right Right Right Right Up Up Up Up');
  t.like(r.menu.state, { at: 'edit', digits: '192168002025', cursor: 11 });
  t.deepEqual(menuRows(r.menu, healthy(), { width: 20, height: 4 }, 0), ['IP address', '192.168.002.025', '              ^', 'Ent=next Esc=back']);
  r = keys(r.menu, 'Enter');
  t.like(r.menu.state, { at: 'edit', field: 'prefix', address: '192.168.2.25', digits: '24' });
  r = keys(r.menu, 'Enter Enter');
  t.deepEqual(r.menu.state, { at: 'confirm', action: { kind: 'set-address', iface: 'eth0', address: '192.168.2.25', prefix: 24 }, index: 3 });
  t.deepEqual(r.actions, []);
  t.deepEqual(menuRows(r.menu, healthy(), { width: 20, height: 4 }, 0), ['Set eth0 to', '192.168.2.25/24?', '', 'Enter=yes Esc=no']);
  t.deepEqual(menuRows(r.menu, healthy(), { width: 16, height: 2 }, 0), ['192.168.2.25/24?', 'Enter=yes Esc=no'], 'two rows: the value itself');
  r = keys(r.menu, 'Enter');
  t.deepEqual(r.actions, [{ kind: 'set-address', iface: 'eth0', address: '192.168.2.25', prefix: 24 }]);
  t.is(r.menu.state.at, 'busy');
  t.deepEqual(keys(r.menu, 'Escape Enter').actions, [], 'keys do nothing while busy');
  const keep = done(r.menu, true, 'applied', 62_000);
  t.like(keep.state, { at: 'keep', until: 62_000 });
  t.deepEqual(menuRows(keep, healthy(), { width: 16, height: 2 }, 2000), ['Keep new? 60s', 'Ent=keep Esc=no']);
  const kept = keys(keep, 'Enter');
  t.deepEqual(kept.actions, [{ kind: 'keep-network' }]);
  t.like(done(kept.menu, true, 'Kept').state, { at: 'result', ok: true, text: 'Kept' });
  t.deepEqual(keys(keep, 'Escape').actions, [{ kind: 'undo-network' }]);
});

test('keep step: nicd rolled back (pending seen, then idle) or time ran out -> result', (t) => {
  t.is(done(CLOSED, true, 'late').state.at, 'closed', 'a result with nothing in flight changes nothing');
  const busy: Menu = { state: { at: 'busy', action: { kind: 'keep-network' }, index: 3 }, lastKeyMs: 0 };
  const k = done(busy, true, 'applied', 62_000);
  const pending = withNet({ state: 'pending', pendingUntil: 62_000 });
  const tick = (m: Menu, now: number, i: PanelInput): Menu => menuStep(m, { type: 'Tick', now }, i)[0];
  t.is(tick(k, 3000, healthy()).state.at, 'keep', 'idle before pending was seen: the property may lag');
  const seen = tick(k, 3000, pending);
  t.like(seen.state, { at: 'keep', seenPending: true });
  t.like(tick(seen, 4000, healthy()).state, { at: 'result', ok: false });
  t.like(tick(k, 62_000 + 6000, healthy()).state, { at: 'result', ok: false });
});

test('validation errors are shown and cleared by a key; the entry stays', (t) => {
  let r = keys(CLOSED, `Enter ${at('Set IP address')} Enter Up Up Up Up Up Up Up Up`); // 192 -> 992
  r = keys(r.menu, 'Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter');
  t.like(r.menu.state, { at: 'edit', error: 'part 1 is over 255' });
  t.deepEqual(menuRows(r.menu, healthy(), { width: 16, height: 2 }, 0), ['part 1 is over', '(press any key)']);
  r = keys(r.menu, 'Up');
  t.like(r.menu.state, { at: 'edit', error: null, digits: '992168002021' });
  // 127.0.0.1 refused
  const lo = keys(CLOSED, `Enter ${at('Set IP address')} Enter`, withNet({ addresses: ['127.0.0.1/8'] }));
  const r2 = keys(lo.menu, 'Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter', withNet({ addresses: ['127.0.0.1/8'] }));
  t.like(r2.menu.state, { at: 'edit', error: '127.0.0.1 is a loopback address' });
  // prefix /34 refused, network address refused
  const p = keys(CLOSED, `Enter ${at('Set IP address')} Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter Up Enter Enter`);
  t.like(p.menu.state, { at: 'edit', field: 'prefix', digits: '34', error: 'prefix must be /8../30' });
  const net0 = keys(CLOSED, `Enter ${at('Set IP address')} Enter`, withNet({ addresses: ['192.168.2.0/24'] }));
  const n = keys(net0.menu, 'Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter', withNet({ addresses: ['192.168.2.0/24'] }));
  t.like(n.menu.state, { at: 'edit', field: 'prefix', error: '192.168.2.0/24 is the network or broadcast address' });
});

test('Escape walks the cursor back, then leaves the editor', (t) => {
  const r = keys(CLOSED, `Enter ${at('Set IP address')} Enter Right Right Escape Escape`);
  t.like(r.menu.state, { at: 'edit', cursor: 0 });
  t.deepEqual(keys(r.menu, 'Escape').menu.state, { at: 'list', index: 3 });
});

test('set gateway: must be on the management subnet', (t) => {
  let r = keys(CLOSED, `Enter ${at('Set gateway')} Enter`);
  t.like(r.menu.state, { at: 'edit', field: 'gateway', digits: '192168002001' });
  r = keys(r.menu, 'Right Right Right Right Right Up Enter Enter Enter Enter Enter Enter Enter');
  t.like(r.menu.state, { at: 'edit', error: '192.169.2.1 is not on 192.168.2.21/24' });
  const ok = keys(CLOSED, `Enter ${at('Set gateway')} Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter Enter Up Enter`);
  t.deepEqual(ok.menu.state, { at: 'confirm', action: { kind: 'set-gateway', iface: 'eth0', gateway: '192.168.2.2' }, index: 4 });
  t.like(keys(CLOSED, `Enter ${at('Set gateway')} Enter`, withNet({ addresses: [] })).menu.state, { at: 'result', ok: false, text: 'Set the IP address first' });
});

test('standby and takeover need a confirm; unavailable services say so', (t) => {
  const r = keys(CLOSED, `Enter ${at('Go standby')} Enter`);
  t.deepEqual(r.actions, []);
  t.deepEqual(menuRows(r.menu, healthy(), { width: 16, height: 2 }, 0), ['Go standby?', 'Enter=yes Esc=no']);
  t.deepEqual(keys(r.menu, 'Enter').actions, [{ kind: 'standby' }]);
  t.deepEqual(keys(r.menu, 'Escape').menu.state, { at: 'list', index: 5 });
  t.deepEqual(keys(CLOSED, `Enter ${at('Take over')} Enter Enter`).actions, [{ kind: 'takeover' }]);
  t.like(keys(CLOSED, `Enter ${at('Take over')} Enter`, withHa({ running: false })).menu.state, { at: 'result', text: 'HA service (hbd) not running' });
  t.like(keys(CLOSED, `Enter ${at('Set IP address')} Enter`, withNet({ running: false })).menu.state, { at: 'result', text: 'Network service (nicd) not running' });
});

test('idle menu closes after MENU_IDLE_MS, a busy one does not', (t) => {
  const open = keys(CLOSED, 'Enter', healthy(), 1000).menu;
  t.is(menuStep(open, { type: 'Tick', now: 1000 + MENU_IDLE_MS - 1 }, healthy())[0].state.at, 'list');
  t.is(menuStep(open, { type: 'Tick', now: 1000 + MENU_IDLE_MS + 1 }, healthy())[0].state.at, 'closed');
  const busy: Menu = { state: { at: 'busy', action: { kind: 'standby' }, index: 5 }, lastKeyMs: 0 };
  t.is(menuStep(busy, { type: 'Tick', now: 10 * MENU_IDLE_MS }, healthy())[0].state.at, 'busy');
  t.like(done(busy, false, 'hbd: refused').state, { at: 'result', ok: false, text: 'hbd: refused' });
  t.is(keys(done(busy, false, 'x'), 'Down').menu.state.at, 'list');
});
