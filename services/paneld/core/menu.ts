/**
 * The keypad menu, a pure state machine: step(menu, event, input) ->
 * [menu, actions]. Keys are LCDproc key names (Up Down Left Right Enter
 * Escape); a four-key panel (Up Down Enter Escape) can do everything:
 * Enter also moves the cursor on, Escape also moves it back.
 *
 *   closed --Enter--> list --Enter--> info (addresses | version | uptime | web password) --Enter/Escape--> list
 *                      |  \--Enter--> edit address --Enter--> edit prefix --Enter--> confirm
 *                      |  \--Enter--> edit gateway --Enter--> confirm
 *                      |  \--Enter--> confirm (standby | takeover)
 *                      |               confirm --Enter--> busy --done--> result --any key--> list
 *                      |                                        \--pending--> keep --Enter--> busy (keep-network)
 *                      |                                                           \--Escape--> busy (undo-network)
 *   list --Escape / "Exit menu"--> closed;  no key for MENU_IDLE_MS (and nothing in flight) --> closed
 *
 * Nothing that can cut the unit off runs without a confirm step, and a new
 * address is applied commit-confirmed: nicd rolls it back unless kept.
 */
import { bumpDigit, checkAddress, checkCidr, checkGateway, digitsToIp, firstV4, ipToDigits, ADDRESS_DIGITS, PREFIX_DIGITS } from './ip-entry';
import type { PanelInput } from './panel-input';

export const MENU_IDLE_MS = 60_000;

export type MenuItemId = 'addresses' | 'version' | 'uptime' | 'set-ip' | 'set-gateway' | 'standby' | 'takeover' | 'web-password' | 'exit';

/** The menu items that only show something. */
export type InfoItem = 'addresses' | 'version' | 'uptime' | 'web-password';

export const MENU_ITEMS: readonly { id: MenuItemId; label: string }[] = [
  { id: 'addresses', label: 'Show addresses' },
  { id: 'version', label: 'Version' },
  { id: 'uptime', label: 'Uptime' },
  { id: 'set-ip', label: 'Set IP address' },
  { id: 'set-gateway', label: 'Set gateway' },
  { id: 'standby', label: 'Go standby' },
  { id: 'takeover', label: 'Take over' },
  // Last but one: the technician at the rack reads the web UI's initial password here.
  { id: 'web-password', label: 'Web password' },
  { id: 'exit', label: 'Exit menu' },
];

export type MenuAction =
  | { kind: 'set-address'; iface: string; address: string; prefix: number }
  | { kind: 'set-gateway'; iface: string; gateway: string }
  | { kind: 'standby' }
  | { kind: 'takeover' }
  | { kind: 'keep-network' }
  | { kind: 'undo-network' };

export type EditField = 'address' | 'prefix' | 'gateway';

export type MenuState =
  | { at: 'closed' }
  | { at: 'list'; index: number }
  | { at: 'info'; item: InfoItem; index: number; scroll: number }
  | { at: 'edit'; field: EditField; digits: string; cursor: number; address: string; error: string | null; index: number }
  | { at: 'confirm'; action: MenuAction; index: number }
  | { at: 'busy'; action: MenuAction; index: number }
  | { at: 'keep'; index: number; until: number; seenPending: boolean }
  | { at: 'result'; ok: boolean; text: string; index: number };

export interface Menu {
  state: MenuState;
  lastKeyMs: number;
}

export type MenuEvent =
  | { type: 'Key'; key: string; now: number }
  | { type: 'Tick'; now: number }
  /** The action of the busy state finished; `pendingUntil` > 0: nicd waits for keep/undo. */
  | { type: 'ActionDone'; ok: boolean; text: string; pendingUntil?: number; now: number };

export const CLOSED: Menu = { state: { at: 'closed' }, lastKeyMs: 0 };

/** How long after nicd's rollback time the panel stops waiting for the keep step. */
const KEEP_GRACE_MS = 5000;

export function menuStep(m: Menu, e: MenuEvent, input: PanelInput): [Menu, MenuAction[]] {
  switch (e.type) {
    case 'Key': {
      const [state, actions] = onKey(m.state, e.key, input);
      return [{ state, lastKeyMs: e.now }, actions];
    }
    case 'Tick':
      return [{ ...m, state: onTick(m, e.now, input) }, []];
    case 'ActionDone':
      return [{ ...m, lastKeyMs: e.now, state: onDone(m.state, e) }, []];
  }
}

function onTick(m: Menu, now: number, input: PanelInput): MenuState {
  const s = m.state;
  if (s.at === 'keep') {
    const pending = input.net.state === 'pending';
    if (pending && !s.seenPending) return { ...s, seenPending: true };
    if ((s.seenPending && !pending && input.net.state !== 'applying') || now > s.until + KEEP_GRACE_MS) {
      return { at: 'result', ok: false, text: 'Not kept: the old network settings are back', index: s.index };
    }
    return s;
  }
  if (s.at !== 'closed' && s.at !== 'busy' && now - m.lastKeyMs > MENU_IDLE_MS) return { at: 'closed' };
  return s;
}

function onDone(s: MenuState, e: Extract<MenuEvent, { type: 'ActionDone' }>): MenuState {
  if (s.at !== 'busy') return s;
  if (e.ok && (e.pendingUntil ?? 0) > 0) return { at: 'keep', index: s.index, until: e.pendingUntil ?? 0, seenPending: false };
  return { at: 'result', ok: e.ok, text: e.text, index: s.index };
}

function onKey(s: MenuState, key: string, input: PanelInput): [MenuState, MenuAction[]] {
  switch (s.at) {
    case 'closed':
      return [key === 'Enter' ? { at: 'list', index: 0 } : s, []];
    case 'list':
      return onListKey(s, key, input);
    case 'info':
      if (key === 'Up' || key === 'Down') return [{ ...s, scroll: Math.max(0, s.scroll + (key === 'Down' ? 1 : -1)) }, []];
      return [key === 'Enter' || key === 'Escape' || key === 'Left' ? { at: 'list', index: s.index } : s, []];
    case 'edit':
      return [onEditKey(s, key, input), []];
    case 'confirm':
      if (key === 'Enter') return [{ at: 'busy', action: s.action, index: s.index }, [s.action]];
      return [key === 'Escape' || key === 'Left' ? { at: 'list', index: s.index } : s, []];
    case 'busy':
      return [s, []];
    case 'keep':
      if (key === 'Enter') return [{ at: 'busy', action: { kind: 'keep-network' }, index: s.index }, [{ kind: 'keep-network' }]];
      if (key === 'Escape') return [{ at: 'busy', action: { kind: 'undo-network' }, index: s.index }, [{ kind: 'undo-network' }]];
      return [s, []];
    case 'result':
      return [{ at: 'list', index: s.index }, []];
  }
}

function onListKey(s: Extract<MenuState, { at: 'list' }>, key: string, input: PanelInput): [MenuState, MenuAction[]] {
  const n = MENU_ITEMS.length;
  if (key === 'Up' || key === 'Left') return [{ at: 'list', index: (s.index + n - 1) % n }, []];
  if (key === 'Down' || key === 'Right') return [{ at: 'list', index: (s.index + 1) % n }, []];
  if (key === 'Escape') return [{ at: 'closed' }, []];
  if (key !== 'Enter') return [s, []];
  const item = MENU_ITEMS[s.index]?.id ?? 'exit';
  const fail = (text: string): [MenuState, MenuAction[]] => [{ at: 'result', ok: false, text, index: s.index }, []];
  switch (item) {
    case 'addresses':
    case 'version':
    case 'uptime':
    case 'web-password':
      return [{ at: 'info', item, index: s.index, scroll: 0 }, []];
    case 'set-ip':
      if (!input.net.running || input.net.iface === '') return fail('Network service (nicd) not running');
      return [{ at: 'edit', field: 'address', digits: ipToDigits(firstV4(input.net.addresses)?.address), cursor: 0, address: '', error: null, index: s.index }, []];
    case 'set-gateway': {
      if (!input.net.running || input.net.iface === '') return fail('Network service (nicd) not running');
      const mgmt = firstV4(input.net.addresses);
      if (mgmt === null) return fail('Set the IP address first');
      return [{ at: 'edit', field: 'gateway', digits: ipToDigits(input.net.gateway ?? mgmt.address), cursor: 0, address: mgmt.address, error: null, index: s.index }, []];
    }
    case 'standby':
    case 'takeover':
      if (!input.ha.running) return fail('HA service (hbd) not running');
      return [{ at: 'confirm', action: { kind: item }, index: s.index }, []];
    case 'exit':
      return [{ at: 'closed' }, []];
  }
}

function onEditKey(s: Extract<MenuState, { at: 'edit' }>, key: string, input: PanelInput): MenuState {
  if (s.error !== null) return { ...s, error: null };
  const last = (s.field === 'prefix' ? PREFIX_DIGITS : ADDRESS_DIGITS) - 1;
  switch (key) {
    case 'Up':
      return { ...s, digits: bumpDigit(s.digits, s.cursor, 1) };
    case 'Down':
      return { ...s, digits: bumpDigit(s.digits, s.cursor, -1) };
    case 'Right':
      return { ...s, cursor: Math.min(last, s.cursor + 1) };
    case 'Left':
      return { ...s, cursor: Math.max(0, s.cursor - 1) };
    case 'Escape':
      return s.cursor === 0 ? (s.field === 'prefix' ? { ...s, field: 'address', digits: ipToDigits(s.address), cursor: ADDRESS_DIGITS - 1 } : { at: 'list', index: s.index }) : { ...s, cursor: s.cursor - 1 };
    case 'Enter':
      return s.cursor < last ? { ...s, cursor: s.cursor + 1 } : submit(s, input);
    default:
      return s;
  }
}

function submit(s: Extract<MenuState, { at: 'edit' }>, input: PanelInput): MenuState {
  const iface = input.net.iface;
  if (s.field === 'prefix') {
    const r = checkCidr(s.address, Number(s.digits));
    if (!r.ok) return { ...s, error: r.message };
    return { at: 'confirm', action: { kind: 'set-address', iface, address: s.address, prefix: r.value.prefix }, index: s.index };
  }
  const ip = digitsToIp(s.digits);
  if (!ip.ok) return { ...s, error: ip.message };
  if (s.field === 'address') {
    const why = checkAddress(ip.value);
    if (why !== null) return { ...s, error: why };
    const prefix = firstV4(input.net.addresses)?.prefix ?? 24;
    return { ...s, field: 'prefix', address: ip.value, digits: String(prefix).padStart(2, '0'), cursor: 0 };
  }
  const mgmt = firstV4(input.net.addresses);
  const why = checkGateway(ip.value, mgmt);
  if (why !== null) return { ...s, error: why };
  return { at: 'confirm', action: { kind: 'set-gateway', iface, gateway: ip.value }, index: s.index };
}

/** What a confirm step asks, in words. */
export function question(a: MenuAction): string {
  switch (a.kind) {
    case 'set-address':
      return `Set ${a.iface} to ${a.address}/${a.prefix}?`;
    case 'set-gateway':
      return `Set gateway ${a.gateway}?`;
    case 'standby':
      return 'Go standby? Services move to the peer';
    case 'takeover':
      return 'Take over? Services move here';
    case 'keep-network':
      return 'Keep the new settings?';
    case 'undo-network':
      return 'Undo the new settings?';
  }
}
