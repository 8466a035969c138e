/**
 * statusd on D-Bus: com.lbos.Statusd at /com/lbos/Statusd, interface
 * com.lbos.Statusd1 (README "D-Bus API"): how many feed clients, the feed's
 * epoch and sequence number, and Stats() for monitoring and the benchmark.
 */
import { busNamesOf, exportObject, type ExportedObject, type MessageBus } from '../../runtime/dbus';

export const STATUSD_NAMES = busNamesOf('statusd');

export interface StatusdProperties {
  Clients: number;
  StalledClients: number;
  Epoch: string;
  Seq: bigint;
}

export function exportStatusd(bus: MessageBus, initial: StatusdProperties, stats: () => unknown): ExportedObject {
  return exportObject(bus, STATUSD_NAMES.path, {
    iface: STATUSD_NAMES.iface,
    properties: {
      Clients: { signature: 'u', initial: initial.Clients },
      StalledClients: { signature: 'u', initial: initial.StalledClients },
      Epoch: { signature: 's', initial: initial.Epoch },
      Seq: { signature: 't', initial: initial.Seq },
    },
    methods: {
      Stats: { outSignature: 's', handler: () => JSON.stringify(stats()) },
    },
  });
}
