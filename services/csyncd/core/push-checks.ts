/**
 * Whether a receiver accepts a push header before it reads a single file
 * byte: the service must be registered here, every path must be one of its
 * registered files (and all of them must be there), sizes within max_size,
 * and no path may lead through a link or to a non-regular file. Pure: the
 * lstat facts come in.
 */
import type { ServiceDef } from '../config/types';
import type { PushHeader } from './push-frame';
import { checkPathFacts, checkRequestedPath, checkSize, type ComponentFact } from './path-safety';

export type HeaderVerdict = { ok: true } | { ok: false; code: string; message: string };

export function checkHeaderPaths(h: PushHeader, def: ServiceDef): HeaderVerdict {
  for (const f of h.files) {
    const v = checkRequestedPath(f.path, def.files);
    if (!v.ok) return v;
  }
  const missing = def.files.filter((p) => !h.files.some((f) => f.path === p));
  if (missing.length > 0) {
    return { ok: false, code: 'REGISTRY_MISMATCH', message: `service ${def.name} here also owns ${missing.join(', ')}, which the push does not carry: make both units' services.conf list the same files` };
  }
  for (const f of h.files) {
    const v = checkSize(f.path, f.size, def.maxSize);
    if (!v.ok) return v;
  }
  return { ok: true };
}

export function checkHeader(h: PushHeader, def: ServiceDef | undefined, localNode: number, facts: ReadonlyMap<string, readonly ComponentFact[]>): HeaderVerdict {
  if (def === undefined) return { ok: false, code: 'UNKNOWN_SERVICE', message: `no service ${h.service} in this unit's services.conf` };
  if (h.from === localNode) return { ok: false, code: 'NODE_MISMATCH', message: `the push claims to come from node ${h.from}, which is this unit's LOCAL_NODE: LOCAL_NODE/REMOTE_NODE must be inverted on the two units` };
  const paths = checkHeaderPaths(h, def);
  if (!paths.ok) return paths;
  for (const f of h.files) {
    const v = checkPathFacts(f.path, facts.get(f.path) ?? []);
    if (!v.ok) return v;
  }
  return { ok: true };
}
