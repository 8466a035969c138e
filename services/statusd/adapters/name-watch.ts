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

/** The bus daemon's own interface (NameOwnerChanged, NameHasOwner, ...). */
async function daemonIface(bus: MessageBus): Promise<dbus.ClientInterface> {
  const obj = await bus.getProxyObject(DBUS.name, DBUS.path);
  return obj.getInterface(DBUS.name);
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
