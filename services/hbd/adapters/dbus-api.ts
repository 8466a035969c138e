/**
 * hbd on D-Bus: com.lbos.Hbd at /com/lbos/Hbd, interface com.lbos.Hbd1.
 * hactl and statusd use only this. Documented in services/hbd/README.md.
 */
import { busNamesOf, exportObject, type ExportedObject, type MessageBus } from '../../runtime/dbus';
import { AppError } from '../../runtime/errors';

/** One heartbeat link as published: (id, kind, status, last seen unix ms, received, dropped). */
export type LinkTuple = [string, string, string, bigint, bigint, bigint];
/** One resource: (name, held|released|failed, detail). */
export type ResourceTuple = [string, string, string];
/** One configuration warning: (code, `file:line: key: message`). */
export type WarningTuple = [string, string];

export interface HbdProperties {
  Node: string;
  Peer: string;
  /** master = the haresources owner (preferred node), slave = the other. */
  Role: 'master' | 'slave';
  /** init | active | passive | stopped */
  State: string;
  /** unknown | up | warn | dead */
  PeerStatus: string;
  /** What the peer last said it is: unknown | init | standby | active | stopped */
  PeerState: string;
  Links: LinkTuple[];
  Drops: Record<string, bigint>;
  Resources: ResourceTuple[];
  PingReachable: number;
  Healthy: boolean;
  Generation: number;
  /** What --check-config warns about in the running configuration (e.g. SINGLE_MEDIUM_NO_PING); optional for stand-ins. */
  Warnings?: WarningTuple[];
}

export interface HbdActions {
  standby(): void;
  takeover(): void;
  /** Optional so stand-ins (statusd's bench rig) need not implement it. */
  restartPair?(): void;
  statusJson(): string;
}

export const HBD_NAMES = busNamesOf('hbd');

export function exportHbd(bus: MessageBus, initial: HbdProperties, actions: HbdActions): ExportedObject {
  const p = (signature: string, value: unknown): { signature: string; initial: unknown } => ({ signature, initial: value });
  return exportObject(bus, HBD_NAMES.path, {
    iface: HBD_NAMES.iface,
    properties: {
      Node: p('s', initial.Node),
      Peer: p('s', initial.Peer),
      Role: p('s', initial.Role),
      State: p('s', initial.State),
      PeerStatus: p('s', initial.PeerStatus),
      PeerState: p('s', initial.PeerState),
      Links: p('a(sssxtt)', initial.Links),
      Drops: p('a{st}', initial.Drops),
      Resources: p('a(sss)', initial.Resources),
      PingReachable: p('u', initial.PingReachable),
      Healthy: p('b', initial.Healthy),
      Generation: p('u', initial.Generation),
      Warnings: p('a(ss)', initial.Warnings ?? []),
    },
    methods: {
      Standby: { handler: () => actions.standby() },
      Takeover: { handler: () => actions.takeover() },
      RestartPair: {
        handler: () => {
          if (actions.restartPair === undefined) throw new AppError('NOT_SUPPORTED', 'restart-pair is not supported here');
          actions.restartPair();
        },
      },
      Status: { outSignature: 's', handler: () => actions.statusJson() },
    },
  });
}
