/**
 * D-Bus method calls and signal subscriptions built from message fields,
 * without a dbus-next ProxyObject. A proxy parses introspection XML (given
 * or fetched) with xml2js, ~0.1 s of CPU per parse on the emulated
 * appliance, and the status consumers (statusd, paneld) need one per object
 * they follow: seconds of CPU at boot for no information they use.
 *
 * One 'message' listener per connection dispatches signals to the
 * subscriptions; each subscription has its own match rule, so the bus daemon
 * sends only what was asked for (an arg0 filter keeps NameOwnerChanged of
 * every other connection away), and the sender is checked against the
 * unique name the caller expects, so another client cannot fake a signal.
 */
import * as dbus from 'dbus-next';

/**
 * dbus-next's connection, named here rather than imported from ./dbus:
 * dbus.ts is built on this file (callService goes through callRaw), so this
 * file stays below it and the two never import each other.
 */
type MessageBus = dbus.MessageBus;

const DAEMON = { destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', iface: 'org.freedesktop.DBus' };

/** Where a call goes. */
export interface CallTarget {
  destination: string;
  path: string;
  iface: string;
}

/** One method call; resolves with the reply's body, rejects with the DBusError of an error reply. */
export async function callRaw(bus: MessageBus, t: CallTarget, member: string, signature = '', body: unknown[] = []): Promise<unknown[]> {
  const reply = await bus.call(new dbus.Message({ destination: t.destination, path: t.path, interface: t.iface, member, signature, body }));
  return (reply?.body ?? []) as unknown[];
}

/** The signals one subscription wants. `sender` is the well-known or unique name for the daemon's rule. */
export interface SignalRule {
  sender: string;
  iface: string;
  member: string;
  path?: string;
  arg0?: string;
}

/** The bus daemon's match rule for `r` (values are bus/interface/member names and object paths: no quotes in them). */
export function matchRule(r: SignalRule): string {
  const parts = [`type='signal'`, `sender='${r.sender}'`, `interface='${r.iface}'`, `member='${r.member}'`];
  if (r.path !== undefined) parts.push(`path='${r.path}'`);
  if (r.arg0 !== undefined) parts.push(`arg0='${r.arg0}'`);
  return parts.join(',');
}

interface Subscription {
  rule: SignalRule;
  /** The unique name (or, for the daemon, its own name) the signal must come from. */
  from: string;
  handler: (body: unknown[]) => void;
}

const subscriptions = new WeakMap<MessageBus, Set<Subscription>>();

function dispatcher(bus: MessageBus): Set<Subscription> {
  let subs = subscriptions.get(bus);
  if (subs === undefined) {
    const set = new Set<Subscription>();
    subs = set;
    subscriptions.set(bus, set);
    bus.on('message', (msg: dbus.Message) => {
      if (msg.type !== dbus.MessageType.SIGNAL) return;
      for (const s of set) {
        const r = s.rule;
        if (msg.sender !== s.from || msg.interface !== r.iface || msg.member !== r.member) continue;
        if (r.path !== undefined && msg.path !== r.path) continue;
        const body = msg.body as unknown[];
        if (r.arg0 !== undefined && body[0] !== r.arg0) continue;
        s.handler(body);
      }
    });
  }
  return subs;
}

/**
 * Subscribe at once (the AddMatch is sent before anything the caller sends
 * next, so a call made after this sees every later signal); returns the
 * unsubscribe. `from` is the unique name of the expected sender.
 */
export function onSignal(bus: MessageBus, rule: SignalRule, from: string, handler: (body: unknown[]) => void): () => void {
  const sub: Subscription = { rule, from, handler };
  const set = dispatcher(bus);
  set.add(sub);
  const text = matchRule(rule);
  callRaw(bus, DAEMON, 'AddMatch', 's', [text]).catch(() => undefined);
  let active = true;
  return () => {
    if (!active) return;
    active = false;
    set.delete(sub);
    callRaw(bus, DAEMON, 'RemoveMatch', 's', [text]).catch(() => undefined);
  };
}

/** The bus daemon itself: the sender name of its signals and the target of its methods. */
export const BUS_DAEMON: CallTarget = DAEMON;
