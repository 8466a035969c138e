/**
 * Bodies of the JSON API (README "HTTP API"), decoded into verdicts: wire
 * input never throws, and every refusal has a stable code.
 */
import type { FailoverKind } from '../ports/controls';

export type ApiVerdict<T> = { ok: true; value: T } | { ok: false; code: 'BAD_REQUEST' | 'UNIT_NOT_ALLOWED'; message: string };

const bad = <T>(message: string): ApiVerdict<T> => ({ ok: false, code: 'BAD_REQUEST', message });

function object(text: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function decodeLogin(text: string): ApiVerdict<{ user: string; password: string }> {
  const o = object(text);
  if (o === null) return bad('expected a JSON object {"user", "password"}');
  if (typeof o.user !== 'string' || typeof o.password !== 'string') return bad('user and password must be strings');
  return { ok: true, value: { user: o.user, password: o.password } };
}

/** A restart is only for the units statusd shows (config `units`), never any unit. */
export function decodeRestart(text: string, allowed: readonly string[]): ApiVerdict<{ unit: string }> {
  const o = object(text);
  if (o === null || typeof o.unit !== 'string') return bad('expected {"unit": "NAME.service"}');
  if (!allowed.includes(o.unit)) return { ok: false, code: 'UNIT_NOT_ALLOWED', message: `${o.unit.slice(0, 64)} is not an appliance unit` };
  return { ok: true, value: { unit: o.unit } };
}

export function decodeFailover(text: string): ApiVerdict<{ action: FailoverKind }> {
  const o = object(text);
  if (o === null || (o.action !== 'standby' && o.action !== 'takeover' && o.action !== 'restart-pair')) return bad('expected {"action": "standby" | "takeover" | "restart-pair"}');
  return { ok: true, value: { action: o.action } };
}

export function decodePasswordChange(text: string): ApiVerdict<{ current: string; password: string }> {
  const o = object(text);
  if (o === null) return bad('expected a JSON object {"current", "password"}');
  if (typeof o.current !== 'string' || typeof o.password !== 'string') return bad('current and password must be strings');
  return { ok: true, value: { current: o.current, password: o.password } };
}

/** A synced service name as csyncd's services.conf has them. */
export function decodePush(text: string): ApiVerdict<{ service: string }> {
  const o = object(text);
  if (o === null || typeof o.service !== 'string' || !/^[a-z][a-z0-9_-]{0,31}$/.test(o.service)) return bad('expected {"service": NAME}');
  return { ok: true, value: { service: o.service } };
}

export function decodeSave(text: string): ApiVerdict<{ remote: boolean }> {
  const o = object(text);
  if (o === null || typeof o.remote !== 'boolean') return bad('expected {"remote": true | false}');
  return { ok: true, value: { remote: o.remote } };
}
