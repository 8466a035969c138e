/**
 * What one unit asks the other's paird to do (through its statusd: POST
 * /api/pair/prepare and /api/pair/commit) and what comes back, decoded as
 * outside input: sizes bounded, names and keys checked, never thrown. The
 * file texts are checked again by their owners (hbd and csyncd
 * --check-config) before anything is installed.
 */
import { parseIpAddress } from '../../runtime/config/values';
import type { Decoded } from './offer';

/** Phase 1: this unit's csyncd.cfg (keys are made for it when the unit has none). */
export interface PrepareRequest {
  node: string;
  csyncdCfg: string;
}

/** An OpenSSH public key line of csyncd (host key, user key). */
export interface PublicKeys {
  host: string;
  user: string;
}

/** Phase 2: the HA files, the peer's csyncd keys, and the name this unit takes. */
export interface CommitRequest {
  node: string;
  rename: string | null;
  haCf: string;
  haresources: string;
  authkeys: string;
  /** The peer's csyncd address (ssh_known_hosts names it). */
  peerIp: string;
  peerKeys: PublicKeys;
  /** Where the peer's web UI is and its certificate, kept for unpairing both units later. */
  peerWeb: PeerWeb | null;
}

/** The peer's web UI: its address and the SHA-256 fingerprint of its certificate. */
export interface PeerWeb {
  address: string;
  fingerprint: string;
}

const FINGERPRINT = /^(SHA256:)?([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/;

export function decodePeerWeb(v: unknown): Decoded<PeerWeb | null> {
  if (v === null || v === undefined) return { ok: true, value: null };
  const o = objectOf(v);
  if (o === null || typeof o.address !== 'string' || !parseIpAddress(o.address).ok) return bad('peerWeb: expected {"address", "fingerprint"} or null');
  if (typeof o.fingerprint !== 'string' || !FINGERPRINT.test(o.fingerprint)) return bad('peerWeb: the fingerprint is not SHA256:AB:CD:...');
  return { ok: true, value: { address: o.address, fingerprint: o.fingerprint } };
}

const NODE = /^[a-z0-9][a-z0-9-]{0,62}$/;
const KEY_LINE = /^ssh-ed25519 [A-Za-z0-9+/]{60,100}={0,2}( [!-~]{1,64})?$/;
const MAX_FILE = 64 * 1024;

const bad = <T>(message: string): Decoded<T> => ({ ok: false, message });

function objectOf(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

function fileText(v: unknown): v is string {
  return typeof v === 'string' && v.length <= MAX_FILE && !/[\x00-\x08\x0b-\x1f\x7f]/.test(v);
}

export function decodeKeys(v: unknown): Decoded<PublicKeys> {
  const o = objectOf(v);
  if (o === null || typeof o.host !== 'string' || typeof o.user !== 'string') return bad('keys: expected {"host", "user"} public key lines');
  if (!KEY_LINE.test(o.host) || !KEY_LINE.test(o.user)) return bad('keys: not ssh-ed25519 public key lines');
  return { ok: true, value: { host: o.host, user: o.user } };
}

export function decodePrepare(v: unknown): Decoded<PrepareRequest> {
  const o = objectOf(v);
  if (o === null) return bad('expected a JSON object {"node", "csyncdCfg"}');
  if (typeof o.node !== 'string' || !NODE.test(o.node)) return bad('node: not a node name');
  if (!fileText(o.csyncdCfg)) return bad('csyncdCfg: not a text file of at most 64 KiB');
  return { ok: true, value: { node: o.node, csyncdCfg: o.csyncdCfg } };
}

export function decodeCommit(v: unknown): Decoded<CommitRequest> {
  const o = objectOf(v);
  if (o === null) return bad('expected a JSON object');
  if (typeof o.node !== 'string' || !NODE.test(o.node)) return bad('node: not a node name');
  if (o.rename !== null && (typeof o.rename !== 'string' || !NODE.test(o.rename))) return bad('rename: not a node name or null');
  for (const k of ['haCf', 'haresources', 'authkeys'] as const) if (!fileText(o[k])) return bad(`${k}: not a text file of at most 64 KiB`);
  if (typeof o.peerIp !== 'string' || !parseIpAddress(o.peerIp).ok) return bad('peerIp: not an IP address');
  const keys = decodeKeys(o.peerKeys);
  if (!keys.ok) return keys;
  const web = decodePeerWeb(o.peerWeb);
  if (!web.ok) return web;
  return { ok: true, value: { node: o.node, rename: o.rename as string | null, haCf: o.haCf as string, haresources: o.haresources as string, authkeys: o.authkeys as string, peerIp: o.peerIp, peerKeys: keys.value, peerWeb: web.value } };
}

/** One unit's pairing state (State(), GET /api/pair/state), as the waiting step reads it. */
export interface UnitStateView {
  node: string;
  paired: boolean;
  hbd: { running: boolean; state: string; peerStatus: string; links: [string, string][] };
  csyncd: { running: boolean; status: string; peerReachable: boolean };
}

const short = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 64) : '');

export function decodeState(v: unknown): Decoded<UnitStateView> {
  const o = objectOf(v);
  const h = objectOf(o?.hbd);
  const c = objectOf(o?.csyncd);
  if (o === null || h === null || c === null || !Array.isArray(h.links) || h.links.length > 16) return bad('state: expected {"node", "paired", "hbd", "csyncd"}');
  const links = (h.links as unknown[]).map((l) => (Array.isArray(l) ? [short(l[0]), short(l[1])] as [string, string] : ['', ''] as [string, string]));
  return {
    ok: true,
    value: {
      node: short(o.node), paired: o.paired === true,
      hbd: { running: h.running === true, state: short(h.state), peerStatus: short(h.peerStatus), links },
      csyncd: { running: c.running === true, status: short(c.status), peerReachable: c.peerReachable === true },
    },
  };
}

/** What the user asks for (Pair(), POST /api/pair, hactl pair). */
export interface PairCommand {
  peer: string;
  password: string;
  fingerprint: string;
  vips: string[];
  pingNode?: string | null;
  serial?: boolean;
}

export function decodePairCommand(v: unknown): Decoded<PairCommand> {
  const o = objectOf(v);
  if (o === null) return bad('expected {"peer", "password", "fingerprint", "vips"}');
  if (typeof o.peer !== 'string' || !parseIpAddress(o.peer).ok) return bad("peer: the peer's IP address (e.g. 10.0.32.12)");
  if (typeof o.password !== 'string' || o.password.length === 0 || o.password.length > 256) return bad("password: the peer's admin password");
  if (typeof o.fingerprint !== 'string' || !/^(SHA256:)?([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/.test(o.fingerprint)) return bad("fingerprint: the peer certificate's SHA-256 fingerprint, as Probe shows it");
  if (!Array.isArray(o.vips) || o.vips.length > 16 || !o.vips.every((x) => typeof x === 'string' && x.length <= 64)) return bad('vips: a list of floating IPs');
  if (o.pingNode !== undefined && o.pingNode !== null && typeof o.pingNode !== 'string') return bad('pingNode: an address, or null for none');
  if (o.serial !== undefined && typeof o.serial !== 'boolean') return bad('serial: true or false');
  return { ok: true, value: { peer: o.peer, password: o.password, fingerprint: o.fingerprint, vips: o.vips as string[], pingNode: o.pingNode as string | null | undefined, serial: o.serial as boolean | undefined } };
}
