/**
 * Read and follow the properties of one D-Bus object with plain
 * org.freedesktop.DBus.Properties messages (runtime/dbus-raw.ts): no
 * introspection and no XML parsed, one match rule for PropertiesChanged of
 * that object, accepted only from the owner the caller names.
 */
import type * as dbus from 'dbus-next';
import type { MessageBus } from '../dbus';
import { callRaw, onSignal, type CallTarget } from '../dbus-raw';

const PROPERTIES = 'org.freedesktop.DBus.Properties';

export type Props = Record<string, unknown>;

/** Changed values (unwrapped) and the names that were only invalidated. */
export type ChangeHandler = (iface: string, changed: Props, invalidated: string[]) => void;

export interface PropsProxy {
  getAll(iface: string): Promise<Props>;
  get(iface: string, name: string): Promise<unknown>;
  /** Follow PropertiesChanged of every interface of the object; returns the unsubscribe. */
  follow(cb: ChangeHandler): () => void;
}

export function unwrap(v: Record<string, dbus.Variant>): Props {
  const out: Props = {};
  for (const [k, x] of Object.entries(v)) out[k] = x.value as unknown;
  return out;
}

/** Properties of `path` at bus name `name`, whose current unique owner is `owner`. */
export function propsProxy(bus: MessageBus, name: string, path: string, owner: string): PropsProxy {
  const target: CallTarget = { destination: name, path, iface: PROPERTIES };
  return {
    getAll: async (iface) => unwrap(((await callRaw(bus, target, 'GetAll', 's', [iface]))[0] ?? {}) as Record<string, dbus.Variant>),
    get: async (iface, n) => ((await callRaw(bus, target, 'Get', 'ss', [iface, n]))[0] as dbus.Variant | undefined)?.value as unknown,
    follow: (cb) =>
      onSignal(bus, { sender: name, iface: PROPERTIES, member: 'PropertiesChanged', path }, owner, (body) => {
        const [iface, changed, invalidated] = body as [string, Record<string, dbus.Variant>, string[]];
        cb(iface, unwrap(changed ?? {}), invalidated ?? []);
      }),
  };
}
