/**
 * A service's properties as they are now, across its restarts: follow the
 * owner of its well-known name (runtime/dbus-follow's watchName) and, for
 * each owner, read GetAll and its PropertiesChanged (accepted from that
 * owner only: propsProxy). While nobody owns the name the caller gets null,
 * so a killed daemon never shows its last values. Every REREAD_MS the
 * properties are read again: under heavy load (CI, two runs) the demo's
 * status line once kept a state hbd had already left, a PropertiesChanged
 * not seen (the cause is not found yet: the match rule is added before
 * GetAll, on one connection); a second look puts it right within seconds.
 */
import { busNamesOf, type MessageBus } from '../../services/runtime/dbus';
import { watchName } from '../../services/runtime/dbus-follow/name-watch';
import { propsProxy, type Props } from '../../services/runtime/dbus-follow/props-proxy';

export type { Props };

export interface LiveProps {
  stop(): void;
}

/** `cb` gets the properties of `service`'s interface now and after each change, null while it is not on the bus. */
const REREAD_MS = 2000;

export function followService(bus: MessageBus, service: string, cb: (props: Props | null) => void): LiveProps {
  const names = busNamesOf(service);
  let generation = 0;
  let stopped = false;
  let unfollow: (() => void) | null = null;
  let reread: (() => void) | null = null;
  const onOwner = (owner: string | null): void => {
    const gen = ++generation;
    unfollow?.();
    unfollow = null;
    if (owner === null) {
      reread = null;
      cb(null);
      return;
    }
    const proxy = propsProxy(bus, names.name, names.path, owner);
    let props: Props | null = null;
    // Subscribed before GetAll is sent: a change after the reply is seen; one before it is in the reply.
    unfollow = proxy.follow((iface, changed) => {
      if (gen !== generation || props === null || iface !== names.iface) return;
      props = { ...props, ...changed };
      cb(props);
    });
    const read = (): void => {
      proxy.getAll(names.iface).then(
        (all) => {
          if (gen !== generation) return;
          if (props !== null && JSON.stringify(all, big) === JSON.stringify(props, big)) return;
          props = all;
          cb(props);
        },
        () => undefined, // gone again: the owner change follows
      );
    };
    reread = read;
    read();
  };
  const timer = setInterval(() => reread?.(), REREAD_MS);
  timer.unref();
  const watch = watchName(bus, names.name, (owner) => stopped || onOwner(owner));
  return {
    stop: () => {
      clearInterval(timer);
      stopped = true;
      generation += 1;
      unfollow?.();
      void watch.then((w) => w.stop());
    },
  };
}

/** JSON.stringify replacer for D-Bus uint64 values. */
function big(_key: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}
