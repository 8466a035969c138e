/**
 * nicd on D-Bus: com.lbos.Nicd at /com/lbos/Nicd, interface com.lbos.Nicd1.
 * nicctl, the setup wizard, the web UI, hbd and statusd use only this.
 * Documented in services/nicd/README.md ("D-Bus API").
 */
import { busNamesOf, exportObject, type ExportedObject, type MessageBus } from '../../runtime/dbus';
import { AppError } from '../../runtime/errors';
import type { InterfaceView } from '../core/link-events';

/** (name, kind, operstate, admin up, carrier, mtu, mac, speed Mb/s or -1, duplex or '', addresses) */
export type InterfaceTuple = [string, string, string, boolean, boolean, number, string, number, string, string[]];

export const INTERFACES_SIGNATURE = 'a(sssbbusisas)';

export interface NicdProperties {
  Interfaces: InterfaceTuple[];
  ManagementInterface: string;
  Generation: number;
  ConfigSource: string;
  ConfigFile: string;
  /** idle | applying | pending | rolling-back */
  State: string;
  PendingGeneration: number;
  /** Unix ms of the automatic rollback; 0 when nothing is pending. */
  PendingUntil: bigint;
  LastResult: string;
}

export interface NicdActions {
  apply(config: string, confirmTimeoutSec: number): Promise<{ generation: number; steps: string[]; pending: boolean; pendingUntilWallMs: number }>;
  plan(config: string): Promise<string[]>;
  confirm(): Promise<number>;
  rollback(): Promise<number>;
  getConfig(): { generation: number; text: string };
  statusJson(): Promise<string>;
}

export const NICD_NAMES = busNamesOf('nicd');

/** Confirmation window of a change made over SSH when the caller does not say. */
export const DEFAULT_CONFIRM_TIMEOUT_SEC = 60;

/** Longest confirmation window a caller may ask for. */
export const MAX_CONFIRM_TIMEOUT_SEC = 3600;

export function toTuple(v: InterfaceView): InterfaceTuple {
  return [v.name, v.kind, v.operstate, v.adminUp, v.carrier, v.mtu, v.mac, v.speedMbps ?? -1, v.duplex ?? '', v.addresses];
}

export function fromTuple(t: InterfaceTuple): InterfaceView {
  const [name, kind, operstate, adminUp, carrier, mtu, mac, speed, duplex, addresses] = t;
  return { name, kind, operstate, adminUp, carrier, mtu, mac, speedMbps: speed < 0 ? null : speed, duplex: duplex === '' ? null : duplex, addresses };
}

export function exportNicd(bus: MessageBus, initial: NicdProperties, actions: NicdActions): ExportedObject {
  const p = (signature: string, value: unknown): { signature: string; initial: unknown } => ({ signature, initial: value });
  return exportObject(bus, NICD_NAMES.path, {
    iface: NICD_NAMES.iface,
    properties: {
      Interfaces: p(INTERFACES_SIGNATURE, initial.Interfaces),
      ManagementInterface: p('s', initial.ManagementInterface),
      Generation: p('u', initial.Generation),
      ConfigSource: p('s', initial.ConfigSource),
      ConfigFile: p('s', initial.ConfigFile),
      State: p('s', initial.State),
      PendingGeneration: p('u', initial.PendingGeneration),
      PendingUntil: p('t', initial.PendingUntil),
      LastResult: p('s', initial.LastResult),
    },
    methods: {
      Apply: {
        inSignature: 'su',
        outSignature: 'uasbt',
        handler: async (config: string, timeoutSec: number) => {
          if (timeoutSec > MAX_CONFIRM_TIMEOUT_SEC) throw new AppError('INVALID_ARGUMENT', `confirm timeout ${timeoutSec} s is longer than ${MAX_CONFIRM_TIMEOUT_SEC} s`);
          const r = await actions.apply(config, timeoutSec);
          return [r.generation, r.steps, r.pending, BigInt(r.pendingUntilWallMs)];
        },
      },
      Plan: { inSignature: 's', outSignature: 'as', handler: (config: string) => actions.plan(config) },
      Confirm: { outSignature: 'u', handler: () => actions.confirm() },
      Rollback: { outSignature: 'u', handler: () => actions.rollback() },
      GetConfig: {
        outSignature: 'us',
        handler: () => {
          const c = actions.getConfig();
          return [c.generation, c.text];
        },
      },
      Status: { outSignature: 's', handler: () => actions.statusJson() },
    },
    signals: {
      LinkChanged: { signature: 'sb' },
      AddressChanged: { signature: 'ssb' },
    },
  });
}
