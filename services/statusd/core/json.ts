/**
 * The feed's state is one JSON tree. Objects are addressed by paths of keys
 * (`['systemd', 'units', 'hbd.service', 'active']`); arrays are leaves and
 * are replaced whole, so a path never holds an index. Trees are immutable:
 * setAt() copies the spine it walks and shares everything else, so a
 * snapshot taken earlier never changes under a client.
 */

/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | JsonObject;

/** A JSON object (the only thing a path walks through). */
export interface JsonObject {
  [key: string]: Json;
}

/** One change of a delta: a new value at a path, or the path removed. */
export interface Change {
  path: string[];
  value?: Json;
  removed?: true;
}

export function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const own = (o: JsonObject, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** Value at a path, undefined when any step is missing. */
export function getAt(root: Json | undefined, path: readonly string[]): Json | undefined {
  let cur = root;
  for (const k of path) {
    if (!isObject(cur) || !own(cur, k)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** A new tree with `value` at `path` (undefined removes it); missing objects on the way are created. */
export function setAt(root: JsonObject, path: readonly string[], value: Json | undefined): JsonObject {
  const [head, ...rest] = path;
  if (head === undefined) return isObject(value) ? value : {};
  const copy: JsonObject = { ...root };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head];
    else copy[head] = value;
    return copy;
  }
  const child = own(root, head) ? root[head] : undefined;
  if (value === undefined && !isObject(child)) return root;
  copy[head] = setAt(isObject(child) ? child : {}, rest, value);
  return copy;
}

/** Apply changes in order (what a client does with a delta). */
export function applyChanges(root: JsonObject, changes: readonly Change[]): JsonObject {
  return changes.reduce((acc, c) => setAt(acc, c.path, c.removed === true ? undefined : c.value), root);
}

/** Structural equality of two JSON values. */
export function deepEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => own(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * The changes that turn `prev` into `next` below `base`: objects are walked
 * key by key, anything else (scalars, arrays) is replaced when it differs.
 * Applying the result to a tree holding `prev` at `base` gives `next`.
 */
export function diff(prev: Json | undefined, next: Json | undefined, base: string[] = []): Change[] {
  const out: Change[] = [];
  walk(prev, next, base, out);
  return out;
}

function walk(prev: Json | undefined, next: Json | undefined, path: string[], out: Change[]): void {
  if (prev === next) return;
  if (isObject(prev) && isObject(next)) {
    for (const k of Object.keys(next)) walk(own(prev, k) ? prev[k] : undefined, next[k], [...path, k], out);
    for (const k of Object.keys(prev)) if (!own(next, k)) out.push({ path: [...path, k], removed: true });
    return;
  }
  if (next === undefined) {
    if (prev !== undefined) out.push({ path, removed: true });
    return;
  }
  if (!deepEqual(prev, next)) out.push({ path, value: next });
}

/**
 * Anything a D-Bus reply can hold, as JSON: bigint -> number (exact below
 * 2^53, which counters and unix-ms times are), Buffer -> hex, Map -> object,
 * anything else unrepresentable -> null. Never throws.
 */
export function toJson(v: unknown, depth = 0): Json {
  if (depth > 16) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : null;
    case 'bigint':
      return Number(v);
    case 'object':
      if (v === null) return null;
      if (Buffer.isBuffer(v)) return v.toString('hex');
      if (Array.isArray(v)) return v.map((x) => toJson(x, depth + 1));
      if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), toJson(x, depth + 1)]));
      if ('signature' in v && 'value' in v) return toJson((v as { value: unknown }).value, depth + 1); // a dbus Variant
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x, depth + 1)]));
    default:
      return null;
  }
}
