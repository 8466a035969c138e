/**
 * Feed wire format (README "Feed protocol"): one JSON text frame per message.
 *
 *   server -> client
 *     {"t":"snapshot","epoch":E,"seq":N,"hbMs":H,"state":{...}}   whole state; replaces what the client had
 *     {"t":"resumed","epoch":E,"from":A,"seq":N,"hbMs":H}          resume accepted: deltas A+1..N follow
 *     {"t":"delta","seq":N,"changes":[{"path":[...],"value":V} | {"path":[...],"removed":true}]}
 *     {"t":"hb","seq":N}                                           heartbeat, every hbMs
 *     {"t":"pong","id":X}                                          answer to a client ping
 *     {"t":"error","code":C,"message":M}                           a message we could not use
 *   client -> server
 *     {"t":"ping","id":X}                                          X: number or string up to 64 chars
 *
 * Decoders return verdicts and never throw: wire input is untrusted.
 */
import type { Change, Json, JsonObject } from './json';

/** Anything the server sends. */
export type ServerMessage =
  | { t: 'snapshot'; epoch: string; seq: number; hbMs: number; state: JsonObject }
  | { t: 'resumed'; epoch: string; from: number; seq: number; hbMs: number }
  | { t: 'delta'; seq: number; changes: Change[] }
  | { t: 'hb'; seq: number }
  | { t: 'pong'; id: number | string }
  | { t: 'error'; code: string; message: string };

/** Anything a client may send. */
export type ClientMessage = { t: 'ping'; id: number | string };

/** Why a client message was not used (counted per reason). */
export type ClientDropReason = 'not-json' | 'not-object' | 'unknown-type' | 'bad-field' | 'binary';

export type Verdict<T, R extends string> = { ok: true; value: T } | { ok: false; reason: R; detail?: string };

export function encode(m: ServerMessage): string {
  return JSON.stringify(m);
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSeq = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isId = (v: unknown): v is number | string => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= 64);

/** A client frame (text already decoded from UTF-8). */
export function decodeClientMessage(text: string): Verdict<ClientMessage, ClientDropReason> {
  const p = parseJson(text);
  if (!p.ok) return { ok: false, reason: 'not-json' };
  if (!isRecord(p.value)) return { ok: false, reason: 'not-object' };
  if (p.value.t !== 'ping') return { ok: false, reason: 'unknown-type', detail: String(p.value.t).slice(0, 32) };
  if (!isId(p.value.id)) return { ok: false, reason: 'bad-field', detail: 'id' };
  return { ok: true, value: { t: 'ping', id: p.value.id } };
}

/** Why a server frame was not understood (statusctl, tests). */
export type ServerDropReason = 'not-json' | 'not-object' | 'unknown-type' | 'bad-field';

/** A server frame, as statusctl and the tests read it. */
export function decodeServerMessage(text: string): Verdict<ServerMessage, ServerDropReason> {
  const p = parseJson(text);
  if (!p.ok) return { ok: false, reason: 'not-json' };
  const m = p.value;
  if (!isRecord(m)) return { ok: false, reason: 'not-object' };
  const bad = (field: string): Verdict<ServerMessage, ServerDropReason> => ({ ok: false, reason: 'bad-field', detail: field });
  switch (m.t) {
    case 'snapshot':
      if (typeof m.epoch !== 'string' || !isSeq(m.seq) || !isSeq(m.hbMs)) return bad('epoch/seq/hbMs');
      return isRecord(m.state) ? { ok: true, value: { t: 'snapshot', epoch: m.epoch, seq: m.seq, hbMs: m.hbMs, state: m.state as JsonObject } } : bad('state');
    case 'resumed':
      if (typeof m.epoch !== 'string' || !isSeq(m.from) || !isSeq(m.seq) || !isSeq(m.hbMs)) return bad('epoch/from/seq/hbMs');
      return { ok: true, value: { t: 'resumed', epoch: m.epoch, from: m.from, seq: m.seq, hbMs: m.hbMs } };
    case 'delta': {
      if (!isSeq(m.seq)) return bad('seq');
      const changes = Array.isArray(m.changes) ? m.changes.map(decodeChange) : [null];
      if (changes.some((c) => c === null)) return bad('changes');
      return { ok: true, value: { t: 'delta', seq: m.seq, changes: changes as Change[] } };
    }
    case 'hb':
      return isSeq(m.seq) ? { ok: true, value: { t: 'hb', seq: m.seq } } : bad('seq');
    case 'pong':
      return isId(m.id) ? { ok: true, value: { t: 'pong', id: m.id } } : bad('id');
    case 'error':
      return typeof m.code === 'string' && typeof m.message === 'string' ? { ok: true, value: { t: 'error', code: m.code, message: m.message } } : bad('code/message');
    default:
      return { ok: false, reason: 'unknown-type', detail: String(m.t).slice(0, 32) };
  }
}

function decodeChange(c: unknown): Change | null {
  if (!isRecord(c) || !Array.isArray(c.path) || c.path.length === 0 || !c.path.every((k) => typeof k === 'string')) return null;
  const path = c.path as string[];
  if (c.removed === true) return { path, removed: true };
  return 'value' in c ? { path, value: c.value as Json } : null;
}

/** Where a reconnecting client says it was: `?resume=EPOCH.SEQ` on the feed URL. */
export interface ResumeRequest {
  epoch: string;
  seq: number;
}

/** Parse the resume parameter; absent or malformed means "send a snapshot". */
export function parseResume(param: string | null): Verdict<ResumeRequest | null, 'bad-resume'> {
  if (param === null || param === '') return { ok: true, value: null };
  const m = /^([A-Za-z0-9_-]{1,32})\.(\d{1,15})$/.exec(param);
  if (m === null || m[1] === undefined || m[2] === undefined) return { ok: false, reason: 'bad-resume' };
  return { ok: true, value: { epoch: m[1], seq: Number(m[2]) } };
}
