/**
 * csyncd on D-Bus: com.lbos.Csyncd at /com/lbos/Csyncd, interface
 * com.lbos.Csyncd1 (README "D-Bus API"). csyncctl and statusd use only this.
 */
import { busNamesOf, exportObject, type ExportedObject, type MessageBus } from '../../runtime/dbus';
import type { StatusView } from '../status-view';

/** One service as published: (name, state, detail). */
export type ServiceTuple = [string, string, string];

export interface CsyncdActions {
  push(service: string, force: boolean): Promise<string>;
  pushAll(force: boolean): Promise<string>;
  save(remote: boolean): Promise<string>;
  check(): Promise<string>;
  status(): string;
}

export const CSYNCD_NAMES = busNamesOf('csyncd');

/** The D-Bus properties of a status view. */
export function propertiesOf(v: StatusView): Record<string, unknown> {
  return {
    Status: v.status,
    Reason: v.reason,
    Services: v.services.map((s): ServiceTuple => [s.name, s.state, s.detail]),
    PeerReachable: v.reachable,
    LastCheck: BigInt(v.lastCheck === null ? 0 : Date.parse(v.lastCheck)),
    LocalNode: v.node,
    RemoteNode: v.peerNode,
    AutoSync: v.autoSync,
  };
}

export function exportCsyncd(bus: MessageBus, initial: StatusView, a: CsyncdActions): ExportedObject {
  const props = propertiesOf(initial);
  const p = (signature: string, name: string): { signature: string; initial: unknown } => ({ signature, initial: props[name] });
  return exportObject(bus, CSYNCD_NAMES.path, {
    iface: CSYNCD_NAMES.iface,
    properties: {
      Status: p('s', 'Status'),
      Reason: p('s', 'Reason'),
      Services: p('a(sss)', 'Services'),
      PeerReachable: p('b', 'PeerReachable'),
      LastCheck: p('x', 'LastCheck'),
      LocalNode: p('u', 'LocalNode'),
      RemoteNode: p('u', 'RemoteNode'),
      AutoSync: p('b', 'AutoSync'),
    },
    methods: {
      Push: { inSignature: 'sb', outSignature: 's', handler: (service: string, force: boolean) => a.push(service, force) },
      PushAll: { inSignature: 'b', outSignature: 's', handler: (force: boolean) => a.pushAll(force) },
      Save: { inSignature: 'b', outSignature: 's', handler: (remote: boolean) => a.save(remote) },
      Check: { outSignature: 's', handler: () => a.check() },
      GetStatus: { outSignature: 's', handler: () => a.status() },
    },
  });
}
