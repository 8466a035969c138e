/**
 * Read and follow the properties of one D-Bus object without introspecting
 * it: dbus-next is handed the standard Properties interface as XML, so a
 * service that is still starting, or systemd's very large unit objects, cost
 * one GetAll and one match rule.
 */
import type * as dbus from 'dbus-next';
import type { MessageBus } from '../../runtime/dbus';

const PROPERTIES_XML = `<node><interface name="org.freedesktop.DBus.Properties">
<method name="Get"><arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="v" direction="out"/></method>
<method name="GetAll"><arg type="s" direction="in"/><arg type="a{sv}" direction="out"/></method>
<signal name="PropertiesChanged"><arg type="s"/><arg type="a{sv}"/><arg type="as"/></signal>
</interface></node>`;

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

export async function propsProxy(bus: MessageBus, name: string, path: string): Promise<PropsProxy> {
  const obj = await bus.getProxyObject(name, path, PROPERTIES_XML);
  const props = obj.getInterface('org.freedesktop.DBus.Properties');
  const call = props as unknown as {
    GetAll(iface: string): Promise<Record<string, dbus.Variant>>;
    Get(iface: string, name: string): Promise<dbus.Variant>;
  };
  return {
    getAll: async (iface) => unwrap(await call.GetAll(iface)),
    get: async (iface, n) => (await call.Get(iface, n)).value as unknown,
    follow: (cb) => {
      const fn = (iface: string, changed: Record<string, dbus.Variant>, invalidated: string[]): void => cb(iface, unwrap(changed), invalidated);
      props.on('PropertiesChanged', fn);
      return () => props.removeListener('PropertiesChanged', fn);
    },
  };
}
