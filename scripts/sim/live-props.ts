/**
 * A service's properties as they are now, across its restarts: follow the
 * owner of its well-known name (runtime/dbus-follow's watchName) and, for
 * each owner, read GetAll and its PropertiesChanged (accepted from that
 * owner only: propsProxy). While nobody owns the name the caller gets null,
 * so a killed daemon never shows its last values.
 */
import { busNamesOf, type MessageBus } from '../../services/runtime/dbus';
import { watchName } from '../../services/runtime/dbus-follow/name-watch';
import { propsProxy, type Props } from '../../services/runtime/dbus-follow/props-proxy';

export type { Props };

export interface LiveProps {
  stop(): void;
}

/** `cb` gets the properties of `service`'s interface now and after each change, null while it is not on the bus. */
export function followService(bus: MessageBus, service: string, cb: (props: Props | null) => void): LiveProps {
  const names = busNamesOf(service);
  let generation = 0;
  let stopped = false;
  let unfollow: (() => void) | null = null;
  const onOwner = (owner: string | null): void => {
    const gen = ++generation;
    unfollow?.();
    unfollow = null;
    if (owner === null) {
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
    proxy.getAll(names.iface).then(
      (all) => {
        if (gen !== generation) return;
        props = all;
        cb(props);
      },
      () => undefined, // gone again: the owner change follows
    );
  };
  const watch = watchName(bus, names.name, (owner) => stopped || onOwner(owner));
  return {
    stop: () => {
      stopped = true;
      generation += 1;
      unfollow?.();
      void watch.then((w) => w.stop());
    },
  };
}
