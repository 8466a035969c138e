/**
 * Sources come and go: follow a well-known bus name through
 * NameOwnerChanged (one match rule per watched name) and ask for its
 * current owner once at the start.
 */
import type { MessageBus } from '../dbus';
import { BUS_DAEMON, callRaw, onSignal } from '../dbus-raw';

/** Called with the new unique owner, or null when the name is gone. */
export type OwnerCallback = (owner: string | null) => void;

export interface NameWatch {
  stop(): void;
}

/**
 * Watch `name`: `cb` gets the owner now (null if none) and at every change.
 * Subscribes before asking, so no change can fall between the two. The
 * match rule names the bus name (arg0): the daemon sends NameOwnerChanged of
 * that name only, not of every connection that comes and goes (each
 * `systemctl` at boot is one).
 */
export async function watchName(bus: MessageBus, name: string, cb: OwnerCallback): Promise<NameWatch> {
  let last: string | null | undefined;
  const deliver = (owner: string | null): void => {
    if (owner === last) return;
    last = owner;
    cb(owner);
  };
  const stop = onSignal(bus, { sender: BUS_DAEMON.destination, iface: BUS_DAEMON.iface, member: 'NameOwnerChanged', arg0: name }, BUS_DAEMON.destination, (body) => {
    const next = body[2];
    deliver(typeof next === 'string' && next !== '' ? next : null);
  });
  try {
    // The reply left the daemon after any signal that reached us before it: it wins.
    const [owner] = await callRaw(bus, BUS_DAEMON, 'GetNameOwner', 's', [name]);
    deliver(typeof owner === 'string' ? owner : null);
  } catch {
    deliver(null); // NameHasNoOwner
  }
  return { stop };
}
