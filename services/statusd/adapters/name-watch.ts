/**
 * Sources come and go: follow a well-known bus name through
 * NameOwnerChanged (one match rule per bus connection, dbus-next counts the
 * listeners) and ask for its current owner once at the start.
 */
import type * as dbus from 'dbus-next';
import type { MessageBus } from '../../runtime/dbus';

/** Called with the new unique owner, or null when the name is gone. */
export type OwnerCallback = (owner: string | null) => void;

export interface NameWatch {
  stop(): void;
}

const DBUS = { name: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus' };

/**
 * The part of the bus daemon's interface used here, given to dbus-next so it
 * does not introspect the daemon: introspection XML is parsed by xml2js,
 * ~0.1 s of CPU per parse on the emulated appliance, once per watched name.
 */
const DBUS_XML = `<node><interface name="${DBUS.name}">
<method name="GetNameOwner"><arg direction="in" type="s"/><arg direction="out" type="s"/></method>
<signal name="NameOwnerChanged"><arg type="s"/><arg type="s"/><arg type="s"/></signal>
</interface></node>`;

/** One daemon interface per connection: every watch on it shares the proxy (and its match rule). */
const daemons = new WeakMap<MessageBus, Promise<dbus.ClientInterface>>();

/** The bus daemon's own interface (NameOwnerChanged, GetNameOwner). */
function daemonIface(bus: MessageBus): Promise<dbus.ClientInterface> {
  let iface = daemons.get(bus);
  if (iface === undefined) {
    iface = bus.getProxyObject(DBUS.name, DBUS.path, DBUS_XML).then((obj) => obj.getInterface(DBUS.name));
    iface.catch(() => daemons.delete(bus));
    daemons.set(bus, iface);
  }
  return iface;
}

/**
 * Watch `name`: `cb` gets the owner now (null if none) and at every change.
 * Subscribes before asking, so no change can fall between the two.
 */
export async function watchName(bus: MessageBus, name: string, cb: OwnerCallback): Promise<NameWatch> {
  const iface = await daemonIface(bus);
  let last: string | null | undefined;
  const deliver = (owner: string | null): void => {
    if (owner === last) return;
    last = owner;
    cb(owner);
  };
  const onChanged = (n: string, _old: string, next: string): void => {
    if (n === name) deliver(next === '' ? null : next);
  };
  iface.on('NameOwnerChanged', onChanged);
  try {
    // The reply left the daemon after any signal that reached us before it: it wins.
    deliver(await (iface.GetNameOwner as (n: string) => Promise<string>)(name));
  } catch {
    deliver(null); // NameHasNoOwner
  }
  return { stop: () => iface.removeListener('NameOwnerChanged', onChanged) };
}
