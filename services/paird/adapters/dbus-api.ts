/**
 * paird on D-Bus: com.lbos.Paird at /com/lbos/Paird, interface
 * com.lbos.Paird1 (README "D-Bus API"). The HA page (through statusd) and
 * `hactl pair` use it; the peer's pairing reaches it through the peer's
 * statusd. Arguments and results are JSON strings; the peer's are decoded
 * as outside input (core/requests.ts) before anything is done.
 *
 *   Offer() -> s                  this unit (core/offer.ts)
 *   Probe(s address) -> s         the peer web UI's certificate: {fingerprint, subject}
 *   Pair(s request) -> s          start pairing {peer, password, fingerprint, vips, pingNode?, serial?}; progress in Pairing
 *   Prepare(s) -> s, Commit(s) -> s, State() -> s, Unpair() -> s   one unit's side (the peer's, through statusd)
 *   UnpairBoth(s {password}) -> s  the peer (its web UI and certificate as kept at pairing), then this unit
 *   Heartbeat() -> s, SetHeartbeat(s) -> s  the HA page's heartbeat settings (ha.cf), pushed to the peer by csyncd
 *   property Paired (b), Peer (s), Pairing (s: JSON progress, core/progress.ts)
 */
import { busNamesOf, exportObject, type ExportedObject, type MessageBus } from '../../runtime/dbus';
import { AppError } from '../../runtime/errors';

export const PAIRD_NAMES = busNamesOf('paird');

export interface PairdProperties {
  Paired: boolean;
  Peer: string;
  Pairing: string;
}

export interface PairdActions {
  offer(): Promise<unknown>;
  probe(address: string): Promise<unknown>;
  pair(request: unknown): Promise<unknown>;
  prepare(request: unknown): Promise<unknown>;
  commit(request: unknown): Promise<unknown>;
  state(): Promise<unknown>;
  unpair(): Promise<unknown>;
  unpairBoth(request: unknown): Promise<unknown>;
  heartbeat(): Promise<unknown>;
  setHeartbeat(settings: unknown): Promise<unknown>;
}

/** A JSON argument, or INVALID_ARGUMENT (never a crash). */
function parse(text: string): unknown {
  if (text.length > 256 * 1024) throw new AppError('INVALID_ARGUMENT', 'argument over 256 KiB');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError('INVALID_ARGUMENT', 'argument is not JSON');
  }
}

export function exportPaird(bus: MessageBus, initial: PairdProperties, a: PairdActions): ExportedObject {
  const json = (f: () => Promise<unknown>) => async (): Promise<string> => JSON.stringify(await f());
  const withArg = (f: (v: unknown) => Promise<unknown>) => async (text: string): Promise<string> => JSON.stringify(await f(parse(text)));
  return exportObject(bus, PAIRD_NAMES.path, {
    iface: PAIRD_NAMES.iface,
    properties: {
      Paired: { signature: 'b', initial: initial.Paired },
      Peer: { signature: 's', initial: initial.Peer },
      Pairing: { signature: 's', initial: initial.Pairing },
    },
    methods: {
      Offer: { outSignature: 's', handler: json(() => a.offer()) },
      Probe: { inSignature: 's', outSignature: 's', handler: async (address: string) => JSON.stringify(await a.probe(address)) },
      Pair: { inSignature: 's', outSignature: 's', handler: withArg((v) => a.pair(v)) },
      Prepare: { inSignature: 's', outSignature: 's', handler: withArg((v) => a.prepare(v)) },
      Commit: { inSignature: 's', outSignature: 's', handler: withArg((v) => a.commit(v)) },
      State: { outSignature: 's', handler: json(() => a.state()) },
      Unpair: { outSignature: 's', handler: json(() => a.unpair()) },
      UnpairBoth: { inSignature: 's', outSignature: 's', handler: withArg((v) => a.unpairBoth(v)) },
      Heartbeat: { outSignature: 's', handler: json(() => a.heartbeat()) },
      SetHeartbeat: { inSignature: 's', outSignature: 's', handler: withArg((v) => a.setHeartbeat(v)) },
    },
  });
}
