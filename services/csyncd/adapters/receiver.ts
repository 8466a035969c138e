/**
 * The receiving side of `push SERVICE`: decode the framing while writing
 * each file beside its target (adapters/transaction.ts; fsync, sha256
 * checked by the decoder), then
 * under the lock: conflict decision, validate on the staged copy, atomic
 * swap, apply, and rollback when apply fails (adapters/commit.ts).
 */
import type { Readable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { promises as fs } from 'node:fs';
import type { Logger } from '../../runtime/log';
import { findService, type ServiceDef } from '../config/types';
import { checkHeader } from '../core/push-checks';
import { PushDecoder, type FrameEvent, type PushHeader } from '../core/push-frame';
import type { OpReply } from '../core/protocol';
import type { ComponentFact } from '../core/path-safety';
import { componentFacts } from './safe-fs';
import { O_STAGE, type StagedFile, type Txn } from './transaction';
import { commitPush, type CommitDeps } from './commit';
import type { Peer } from './ssh-caller';

export type ReceiverDeps = CommitDeps & { log: Logger };

interface Upload {
  t0: number;
  who: Peer;
  header: PushHeader | null;
  def: ServiceDef | undefined;
  txn: Txn | null;
  handle: fs.FileHandle | null;
  pending: Buffer[];
  pendingBytes: number;
  staged: StagedFile[];
}

const WRITE_BATCH = 1 << 20;

async function flush(up: Upload): Promise<void> {
  if (up.handle === null || up.pendingBytes === 0) return;
  const chunks = up.pending;
  up.pending = [];
  up.pendingBytes = 0;
  await up.handle.writev(chunks);
}

const fail = (code: string, message: string): OpReply => ({ ok: false, code, message });

export async function receivePush(d: ReceiverDeps, service: string, input: Readable, who: Peer): Promise<OpReply> {
  const up: Upload = { t0: performance.now(), who, header: null, def: findService(d.registry(), service), txn: null, handle: null, pending: [], pendingBytes: 0, staged: [] };
  if (up.def === undefined) return fail('UNKNOWN_SERVICE', `no service ${service} in this unit's services.conf`);
  const decoder = new PushDecoder();
  // destroyOnReturn false: the default iterator destroys the stream at its end,
  // which would close the SSH channel before the reply is written.
  const it = input.iterator({ destroyOnReturn: false }) as AsyncIterator<Buffer>;
  try {
    for (;;) {
      let next: IteratorResult<Buffer>;
      try {
        next = await it.next();
      } catch {
        return await abort(up, fail('PUSH_FRAMING', 'the pusher went away before the end of the upload; nothing was changed'));
      }
      const events = next.done === true ? decoder.finish() : decoder.push(Buffer.from(next.value));
      for (const ev of events) {
        const r = await onEvent(d, up, service, ev);
        if (r !== null) return r.ok ? r : await abort(up, r);
      }
      if (next.done === true) return await abort(up, fail('PUSH_FRAMING', 'input ended early'));
    }
  } catch (err) {
    d.log.error({ err }, 'push failed');
    return await abort(up, fail('INTERNAL', `receiving failed: ${err instanceof Error ? err.message : String(err)}`));
  }
}

/** Handle one decoder event; a reply ends the upload. */
async function onEvent(d: ReceiverDeps, up: Upload, service: string, ev: FrameEvent): Promise<OpReply | null> {
  switch (ev.type) {
    case 'header': {
      if (ev.header.service !== service) return fail('PUSH_FRAMING', `header names service ${ev.header.service}, command ${service}`);
      const facts = new Map<string, ComponentFact[]>();
      for (const f of ev.header.files) {
        if (up.def?.files.includes(f.path) === true) facts.set(f.path, await componentFacts(f.path));
      }
      const v = checkHeader(ev.header, up.def, d.settings().localNode, facts);
      if (!v.ok) return fail(v.code, v.message);
      up.header = ev.header;
      up.txn = await d.txns.begin();
      return null;
    }
    case 'data': {
      const f = up.header?.files[ev.index];
      if (f === undefined || up.txn === null) return fail('INTERNAL', 'data without a header');
      up.handle ??= await fs.open(up.txn.stagedPath(f.path), O_STAGE, 0o600);
      // SSH delivers ~32 KiB at a time: write in 1 MiB batches.
      up.pending.push(ev.chunk);
      up.pendingBytes += ev.chunk.length;
      if (up.pendingBytes >= WRITE_BATCH) await flush(up);
      return null;
    }
    case 'file-end': {
      const f = up.header?.files[ev.index];
      if (f === undefined || up.txn === null) return fail('INTERNAL', 'file-end without a header');
      up.handle ??= await fs.open(up.txn.stagedPath(f.path), O_STAGE, 0o600);
      await flush(up);
      await up.handle.sync();
      await up.handle.close();
      up.handle = null;
      up.staged.push({ path: f.path, staged: up.txn.stagedPath(f.path), sha256: f.sha256 });
      return null;
    }
    case 'error':
      return fail(ev.verdict === 'sha-mismatch' ? 'CHECKSUM_MISMATCH' : 'PUSH_FRAMING', `${ev.verdict}: ${ev.detail}; nothing was changed`);
    case 'done': {
      if (up.header === null || up.txn === null || up.def === undefined) return fail('PUSH_FRAMING', 'no header');
      const txn = up.txn;
      up.txn = null; // commitPush owns it now
      d.log.debug({ service, uploadMs: Math.round(performance.now() - up.t0), bytes: up.header.files.reduce((n, f) => n + f.size, 0) }, 'upload complete');
      return commitPush(d, up.def, up.header, txn, up.staged, up.who);
    }
  }
}

async function abort(up: Upload, reply: OpReply): Promise<OpReply> {
  await up.handle?.close().catch(() => undefined);
  await up.txn?.remove(null).catch(() => undefined);
  return reply;
}
