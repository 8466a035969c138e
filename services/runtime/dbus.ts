/**
 * D-Bus plumbing shared by services, control tools and statusd.
 *
 * Every service owns `com.lbos.<Name>` and exports one object
 * `/com/lbos/<Name>` with interface `com.lbos.<Name>1`. The bus comes from
 * DBUS_SYSTEM_BUS_ADDRESS (the system bus when unset), so a test or the demo
 * gives each simulated unit its own private dbus-daemon.
 */
import * as dbus from 'dbus-next';
import { callRaw } from './dbus-raw';
import { AppError, isAppError, errorMessage } from './errors';

export type MessageBus = dbus.MessageBus;

export const BUS_PREFIX = 'com.lbos';
export const ERROR_PREFIX = 'com.lbos.Error';

/** Names of one service on the bus. */
export interface BusNames {
  name: string;
  path: string;
  iface: string;
}

export function busNamesOf(service: string): BusNames {
  const cap = service.charAt(0).toUpperCase() + service.slice(1);
  return { name: `${BUS_PREFIX}.${cap}`, path: `/com/lbos/${cap}`, iface: `${BUS_PREFIX}.${cap}1` };
}

/**
 * The configured system bus (or `address`, for tools that watch several
 * simulated units); fails with BUS_UNAVAILABLE if nobody answers.
 */
export async function connectSystemBus(address = busAddress()): Promise<MessageBus> {
  const bus = dbus.sessionBus({ busAddress: nodeSocketAddress(address) });
  try {
    await new Promise<void>((resolve, reject) => {
      bus.once('connect', () => resolve());
      bus.once('error', reject);
    });
  } catch (err) {
    bus.disconnect();
    throw new AppError('BUS_UNAVAILABLE', `cannot connect to D-Bus at ${address}: ${errorMessage(err)}`, {}, { cause: err });
  }
  bus.on('error', () => undefined); // later errors surface as failed calls
  return bus;
}

/**
 * dbus-next opens `unix:path=` addresses with the optional `usocket` addon,
 * whose socket lacks FD_CLOEXEC: every child (arping, ping, scripts) then
 * inherits the bus connection, and after a crash the child keeps our bus
 * name alive, so the restarted service finds it "already owned". dbus-next's
 * own `unix:socket=` form uses Node's net module (close-on-exec) instead.
 */
export function nodeSocketAddress(address: string): string {
  return address
    .split(';')
    .map((a) => a.replace(/^unix:path=([^,]+)$/, 'unix:socket=$1'))
    .join(';');
}

export function busAddress(): string {
  return process.env.DBUS_SYSTEM_BUS_ADDRESS ?? 'unix:path=/var/run/dbus/system_bus_socket';
}

/** Own a well-known name; another owner means another instance runs. */
export async function ownName(bus: MessageBus, name: string): Promise<void> {
  let reply: number;
  try {
    reply = await bus.requestName(name, dbus.NameFlag.DO_NOT_QUEUE);
  } catch (err) {
    throw new AppError('BUS_DENIED', `may not own ${name} on ${busAddress()}: ${errorMessage(err)}`, {}, { cause: err });
  }
  if (reply !== dbus.RequestNameReply.PRIMARY_OWNER && reply !== dbus.RequestNameReply.ALREADY_OWNER) {
    throw new AppError('ALREADY_RUNNING', `${name} is already owned on ${busAddress()}: is another instance running?`);
  }
}

export interface PropertySpec {
  signature: string;
  initial: unknown;
}

export interface MethodSpec {
  inSignature?: string;
  outSignature?: string;
  handler: (...args: never[]) => unknown;
}

/** What one exported object looks like: read-only properties, methods, signals. */
export interface ObjectSpec {
  iface: string;
  properties: Record<string, PropertySpec>;
  methods: Record<string, MethodSpec>;
  signals?: Record<string, { signature: string }>;
}

/** Handle to update properties (emitting PropertiesChanged) and emit signals. */
export interface ExportedObject {
  get(name: string): unknown;
  /** Set properties; emits one PropertiesChanged with the ones that really changed. */
  update(values: Record<string, unknown>): void;
  emit(signal: string, ...args: unknown[]): void;
  unexport(): void;
}

export function exportObject(bus: MessageBus, path: string, spec: ObjectSpec): ExportedObject {
  const clash = Object.keys(spec.methods).filter((m) => m in spec.properties);
  if (clash.length > 0) throw new AppError('BUS_SPEC_INVALID', `${spec.iface}: ${clash.join(', ')} is both a property and a method`);
  const values: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(spec.properties)) values[k] = p.initial;
  class Exported extends dbus.interface.Interface {}
  const proto = Exported.prototype as unknown as Record<string, unknown>;
  for (const name of Object.keys(spec.properties)) {
    Object.defineProperty(proto, name, { get: () => values[name], configurable: true });
  }
  for (const [name, m] of Object.entries(spec.methods)) {
    proto[name] = (...args: never[]) => callHandler(m, args);
  }
  for (const name of Object.keys(spec.signals ?? {})) {
    proto[name] = (...args: unknown[]) => (args.length === 1 ? args[0] : args);
  }
  Exported.configureMembers({
    properties: mapValues(spec.properties, (p) => ({ signature: p.signature, access: 'read' })),
    methods: mapValues(spec.methods, (m) => ({ inSignature: m.inSignature ?? '', outSignature: m.outSignature ?? '' })),
    signals: mapValues(spec.signals ?? {}, (s) => ({ signature: s.signature })),
  });
  const iface = new Exported(spec.iface);
  bus.export(path, iface);
  return {
    get: (name) => values[name],
    update: (next) => {
      const changed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(next)) {
        if (!(k in spec.properties)) throw new Error(`unknown property ${k}`);
        if (!sameValue(values[k], v)) changed[k] = v;
        values[k] = v;
      }
      if (Object.keys(changed).length > 0) dbus.interface.Interface.emitPropertiesChanged(iface, changed, []);
    },
    emit: (signal, ...args) => (iface as unknown as Record<string, (...a: unknown[]) => void>)[signal]?.(...args),
    unexport: () => bus.unexport(path, iface),
  };
}

async function callHandler(m: MethodSpec, args: never[]): Promise<unknown> {
  try {
    return await m.handler(...args);
  } catch (err) {
    if (isAppError(err)) throw new dbus.DBusError(`${ERROR_PREFIX}.${err.code}`, err.message);
    throw new dbus.DBusError(`${ERROR_PREFIX}.INTERNAL`, errorMessage(err));
  }
}

function mapValues<T, U>(obj: Record<string, T>, fn: (v: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fn(v)]));
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a, bigintSafe) === JSON.stringify(b, bigintSafe);
}

function bigintSafe(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

/** Turn a D-Bus error from a call back into an AppError with the service's code. */
export function fromDBusError(err: unknown): AppError {
  if (err instanceof dbus.DBusError && err.type.startsWith(`${ERROR_PREFIX}.`)) {
    return new AppError(err.type.slice(ERROR_PREFIX.length + 1), err.text);
  }
  if (err instanceof dbus.DBusError) return new AppError('BUS_CALL_FAILED', `${err.type}: ${err.text}`);
  return new AppError('BUS_CALL_FAILED', errorMessage(err));
}

/** Client side: the interface of a service plus its properties. */
export interface ServiceProxy {
  iface: dbus.ClientInterface;
  getAll(): Promise<Record<string, unknown>>;
  onChanged(cb: (changed: Record<string, unknown>) => void): void;
}

export async function getServiceProxy(bus: MessageBus, service: string): Promise<ServiceProxy> {
  const names = busNamesOf(service);
  let obj: dbus.ProxyObject;
  try {
    obj = await bus.getProxyObject(names.name, names.path);
  } catch (err) {
    throw new AppError('SERVICE_UNAVAILABLE', `${service} is not on the bus: ${errorMessage(err)}`);
  }
  const iface = obj.getInterface(names.iface);
  const props = obj.getInterface('org.freedesktop.DBus.Properties');
  return {
    iface,
    getAll: async () => unwrapVariants((await callMember(props, 'GetAll', names.iface)) as Record<string, dbus.Variant>),
    onChanged: (cb) => {
      props.on('PropertiesChanged', (ifaceName: string, changed: Record<string, dbus.Variant>) => {
        if (ifaceName === names.iface) cb(unwrapVariants(changed));
      });
    },
  };
}

/**
 * One method call on an appliance service by a plain message: no proxy, so
 * no introspection (the service builds its XML with xmlbuilder and the
 * caller parses it with xml2js: ~2.5 s of CPU together on the emulated
 * appliance for nicd's object). D-Bus errors come back as AppError.
 */
export async function callService(bus: MessageBus, service: string, member: string, signature = '', args: unknown[] = []): Promise<unknown[]> {
  const names = busNamesOf(service);
  try {
    return await callRaw(bus, { destination: names.name, path: names.path, iface: names.iface }, member, signature, args);
  } catch (err) {
    throw fromDBusError(err);
  }
}

/** Call a method on a proxy interface, mapping D-Bus errors to AppError. */
export async function callMember(iface: dbus.ClientInterface, member: string, ...args: unknown[]): Promise<unknown> {
  const fn = iface[member] as ((...a: unknown[]) => Promise<unknown>) | undefined;
  if (typeof fn !== 'function') throw new AppError('BUS_CALL_FAILED', `no method ${member} on ${iface.$name}`);
  try {
    return await fn.apply(iface, args);
  } catch (err) {
    throw fromDBusError(err);
  }
}

function unwrapVariants(v: Record<string, dbus.Variant>): Record<string, unknown> {
  return mapValues(v, (x) => x.value as unknown);
}
