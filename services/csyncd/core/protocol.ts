/**
 * JSON replies of the SSH commands (README "SSH commands") and their
 * decoders. Decoders never throw: a malformed reply from a peer becomes a
 * PROTOCOL_ERROR verdict.
 */
import { SERVICE_NAME_RE } from '../config/types';
import type { SideFacts } from './status';
import { isSha256, isVersion, type Version } from './version';
import { kdfParamsOk, type KdfParams } from './getkey-proof';

/** One service as a unit reports it. */
export interface ServiceReport extends SideFacts {
  name: string;
}

/** `status --json`. */
export interface StatusReply {
  v: 1;
  node: number;
  services: ServiceReport[];
  /** Journals this unit could not recover. */
  stuck: string[];
}

/** Every other command: ok with data, or a stable error code. */
export type OpReply = { ok: true; [k: string]: unknown } | { ok: false; code: string; message: string; [k: string]: unknown };

/** `getkey NONCE ACCOUNT`. */
export interface GetkeyReply {
  ok: true;
  node: number;
  hostKey: string;
  userKey: string;
  account: string;
  /** null when the peer has no password for the account. */
  kdf: KdfParams | null;
  proof: string | null;
}

type Verdict<T> = { ok: true; value: T } | { ok: false; message: string };

function parseJson(text: string): Verdict<Record<string, unknown>> {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, message: 'reply is not a JSON object' };
    return { ok: true, value: v as Record<string, unknown> };
  } catch {
    return { ok: false, message: `reply is not JSON: ${JSON.stringify(text.slice(0, 120))}` };
  }
}

const shaOrNull = (v: unknown): v is string | null => v === null || isSha256(v);

export function isServiceReport(v: unknown): v is ServiceReport {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.name === 'string' && SERVICE_NAME_RE.test(o.name) && isVersion(o.version) && isSha256(o.sha256) && shaOrNull(o.saved) && shaOrNull(o.synced);
}

export function parseStatusReply(text: string): Verdict<StatusReply> {
  const j = parseJson(text);
  if (!j.ok) return j;
  const o = j.value;
  if (o.v !== 1 || !Number.isInteger(o.node) || !Array.isArray(o.services) || !Array.isArray(o.stuck)) return { ok: false, message: 'status reply lacks v/node/services/stuck' };
  if (!o.services.every(isServiceReport)) return { ok: false, message: 'status reply has a malformed service entry' };
  return { ok: true, value: { v: 1, node: o.node as number, services: o.services, stuck: o.stuck.map(String) } };
}

/** An op reply; anything malformed is { ok: false, code: PROTOCOL_ERROR }. */
export function parseOpReply(text: string): OpReply {
  const line = text.trim().split('\n').pop() ?? '';
  const j = parseJson(line);
  if (!j.ok) return { ok: false, code: 'PROTOCOL_ERROR', message: j.message };
  const o = j.value;
  if (o.ok === true) return o as OpReply;
  if (o.ok === false && typeof o.code === 'string' && /^[A-Z_]{2,40}$/.test(o.code) && typeof o.message === 'string') return o as OpReply;
  return { ok: false, code: 'PROTOCOL_ERROR', message: 'reply lacks ok/code/message' };
}

export function parseGetkeyReply(text: string): Verdict<GetkeyReply> {
  const r = parseOpReply(text);
  if (!r.ok) return { ok: false, message: `${r.code}: ${r.message}` };
  const o = r as Record<string, unknown>;
  if (!Number.isInteger(o.node) || typeof o.hostKey !== 'string' || typeof o.userKey !== 'string' || typeof o.account !== 'string') return { ok: false, message: 'getkey reply lacks node/hostKey/userKey/account' };
  if (o.kdf !== null && !kdfParamsOk(o.kdf)) return { ok: false, message: 'getkey reply has unacceptable scrypt parameters' };
  if (o.proof !== null && (typeof o.proof !== 'string' || !/^[0-9a-f]{64}$/.test(o.proof))) return { ok: false, message: 'getkey reply has a malformed proof' };
  return { ok: true, value: o as unknown as GetkeyReply };
}

/** What a successful push reply carries. */
export interface PushResult {
  result: 'applied' | 'unchanged';
  version: Version;
  validateOutput: string;
  applyOutput: string;
}

export function pushResultOf(r: OpReply): PushResult | null {
  if (!r.ok) return null;
  const o = r as Record<string, unknown>;
  if ((o.result !== 'applied' && o.result !== 'unchanged') || !isVersion(o.version)) return null;
  return { result: o.result, version: o.version, validateOutput: String(o.validateOutput ?? ''), applyOutput: String(o.applyOutput ?? '') };
}
