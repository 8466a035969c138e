/**
 * A service's properties as they are now, across its restarts: follow the
 * owner of its well-known name (NameOwnerChanged) and, for each owner, read
 * GetAll from that owner and its PropertiesChanged (accepted from that owner
 * only). While nobody owns the name the caller gets null, so a killed
 * daemon never shows its last values. Plain messages (runtime/dbus-raw): no
 * proxy object to go stale with the connection it was made for.
 */
import type * as dbus from 'dbus-next';
import { busNamesOf, type MessageBus } from '../../services/runtime/dbus';
import { BUS_DAEMON, callRaw, onSignal } from '../../services/runtime/dbus-raw';

const PROPERTIES = 'org.freedesktop.DBus.Properties';

export type Props = Record<string, unknown>;

export interface LiveProps {
  stop(): void;
}

function unwrap(v: Record<string, dbus.Variant> | undefined): Props {
  const out: Props = {};
  for (const [k, x] of Object.entries(v ?? {})) out[k] = x.value as unknown;
  return out;
}

/** `cb` gets the properties of `service`'s interface now and after each change, null while it is not on the bus. */
export function followService(bus: MessageBus, service: string, cb: (props: Props | null) => void): LiveProps {
  const names = busNamesOf(service);
  let owner: string | null | undefined;
  let generation = 0;
  let unfollow: (() => void) | null = null;
  const onOwner = (next: string | null): void => {
    if (next === owner) return;
    owner = next;
    const gen = ++generation;
    unfollow?.();
    unfollow = null;
    if (next === null) {
      cb(null);
      return;
    }
    let props: Props | null = null;
    // Subscribed before GetAll is sent: a change after the reply is seen; one before it is in the reply.
    unfollow = onSignal(bus, { sender: names.name, iface: PROPERTIES, member: 'PropertiesChanged', path: names.path }, next, (body) => {
      if (gen !== generation || props === null || body[0] !== names.iface) return;
      props = { ...props, ...unwrap(body[1] as Record<string, dbus.Variant> | undefined) };
      cb(props);
    });
    callRaw(bus, { destination: next, path: names.path, iface: PROPERTIES }, 'GetAll', 's', [names.iface]).then(
      ([all]) => {
        if (gen !== generation) return;
        props = unwrap(all as Record<string, dbus.Variant> | undefined);
        cb(props);
      },
      () => undefined, // gone again: NameOwnerChanged follows
    );
  };
  const stopOwners = onSignal(bus, { sender: BUS_DAEMON.destination, iface: BUS_DAEMON.iface, member: 'NameOwnerChanged', arg0: names.name }, BUS_DAEMON.destination, (body) => {
    const next = body[2];
    onOwner(typeof next === 'string' && next !== '' ? next : null);
  });
  let stopped = false;
  // The reply left the daemon after any NameOwnerChanged that reached us before it: it wins.
  callRaw(bus, BUS_DAEMON, 'GetNameOwner', 's', [names.name]).then(
    ([o]) => stopped || onOwner(typeof o === 'string' ? o : null),
    () => stopped || onOwner(null), // NameHasNoOwner
  );
  return {
    stop: () => {
      stopped = true;
      generation += 1;
      stopOwners();
      unfollow?.();
    },
  };
}
