/**
 * The push framing on the stdin of `push SERVICE` (README "Push framing"):
 *
 *   HEADER JSON "\n"          at most 64 KiB
 *   bytes of file 0           exactly files[0].size
 *   ...
 *   "END\n"
 *
 * The decoder is a bytes-in/events-out state machine: it never throws, it
 * checks every file's sha256 as the bytes pass, and any problem ends the
 * stream with a verdict (`bad-json`, `sha-mismatch`, `short`, ...).
 */
import { createHash, type Hash } from 'node:crypto';
import { SERVICE_NAME_RE } from '../config/types';
import { contentHash, isSha256, isVersion, type Version } from './version';

export const MAX_HEADER_BYTES = 64 * 1024;
export const MAX_FILES = 64;
const END = Buffer.from('END\n');

export interface FileEntry {
  path: string;
  size: number;
  sha256: string;
}

export interface PushHeader {
  v: 1;
  service: string;
  /** The pusher's node id. */
  from: number;
  /** The version pushed; version.sha256 is contentHash(files). */
  version: Version;
  /** The version the pusher believes the receiver has (its last synced one); null: none. */
  expect: Version | null;
  force: boolean;
  files: FileEntry[];
}

export type FrameVerdict = 'header-too-long' | 'bad-json' | 'bad-header' | 'sha-mismatch' | 'short' | 'bad-trailer' | 'trailing-bytes';

export type FrameEvent =
  | { type: 'header'; header: PushHeader }
  | { type: 'data'; index: number; chunk: Buffer }
  | { type: 'file-end'; index: number }
  | { type: 'done' }
  | { type: 'error'; verdict: FrameVerdict; detail: string };

/** The header line of a push. */
export function encodeHeader(h: PushHeader): Buffer {
  return Buffer.from(`${JSON.stringify(h)}\n`);
}

export const END_MARKER: Buffer = END;

/** Check a parsed header; returns a reason or null. Never throws. */
export function headerProblem(h: unknown): string | null {
  if (typeof h !== 'object' || h === null || Array.isArray(h)) return 'not an object';
  const o = h as Record<string, unknown>;
  if (o.v !== 1) return `unsupported framing version ${JSON.stringify(o.v)}`;
  if (typeof o.service !== 'string' || !SERVICE_NAME_RE.test(o.service)) return 'bad service name';
  if (!Number.isInteger(o.from) || (o.from as number) < 1 || (o.from as number) > 255) return 'bad "from" node';
  if (!isVersion(o.version)) return 'bad version';
  if (o.expect !== null && !isVersion(o.expect)) return 'bad expect';
  if (typeof o.force !== 'boolean') return 'bad force';
  if (!Array.isArray(o.files) || o.files.length === 0 || o.files.length > MAX_FILES) return `files must list 1..${MAX_FILES} entries`;
  const paths = new Set<string>();
  for (const f of o.files as unknown[]) {
    if (typeof f !== 'object' || f === null) return 'bad file entry';
    const e = f as Record<string, unknown>;
    if (typeof e.path !== 'string' || e.path.length === 0 || e.path.length > 4096) return 'bad file path';
    if (!Number.isSafeInteger(e.size) || (e.size as number) < 0) return `bad size for ${e.path}`;
    if (!isSha256(e.sha256)) return `bad sha256 for ${e.path}`;
    if (paths.has(e.path)) return `${e.path} listed twice`;
    paths.add(e.path);
  }
  const files = o.files as FileEntry[];
  if (contentHash(files) !== (o.version as Version).sha256) return 'version.sha256 is not the content hash of the files';
  return null;
}

type State = { at: 'header' } | { at: 'file'; index: number; left: number; hash: Hash } | { at: 'trailer'; got: number } | { at: 'complete' } | { at: 'failed' };

/** Streaming decoder: feed chunks with push(), then finish() at EOF. */
export class PushDecoder {
  private state: State = { at: 'header' };
  private headerBuf = Buffer.alloc(0);
  private header: PushHeader | null = null;

  push(chunk: Buffer): FrameEvent[] {
    const out: FrameEvent[] = [];
    let buf = chunk;
    while (buf.length > 0) buf = this.step(buf, out);
    return out;
  }

  /** End of input: `done` if the frame was complete, else an error. */
  finish(): FrameEvent[] {
    switch (this.state.at) {
      case 'complete':
        this.state = { at: 'failed' };
        return [{ type: 'done' }];
      case 'failed':
        return [];
      case 'header':
      case 'file':
      case 'trailer':
        return this.fail('short', `input ended in the ${this.state.at}`);
    }
  }

  private fail(verdict: FrameVerdict, detail: string): FrameEvent[] {
    this.state = { at: 'failed' };
    return [{ type: 'error', verdict, detail }];
  }

  /** Consume part of buf, append events, return what is left. */
  private step(buf: Buffer, out: FrameEvent[]): Buffer {
    const s = this.state;
    switch (s.at) {
      case 'failed':
        return Buffer.alloc(0);
      case 'complete':
        out.push(...this.fail('trailing-bytes', `${buf.length} bytes after END`));
        return Buffer.alloc(0);
      case 'header':
        return this.stepHeader(buf, out);
      case 'file': {
        const take = Math.min(s.left, buf.length);
        const chunk = buf.subarray(0, take);
        s.hash.update(chunk);
        s.left -= take;
        if (take > 0) out.push({ type: 'data', index: s.index, chunk });
        if (s.left === 0) this.endFile(s.index, s.hash.digest('hex'), out);
        return buf.subarray(take);
      }
      case 'trailer': {
        const take = Math.min(END.length - s.got, buf.length);
        if (!buf.subarray(0, take).equals(END.subarray(s.got, s.got + take))) {
          out.push(...this.fail('bad-trailer', 'expected END after the last file'));
          return Buffer.alloc(0);
        }
        s.got += take;
        if (s.got === END.length) this.state = { at: 'complete' };
        return buf.subarray(take);
      }
    }
  }

  private stepHeader(buf: Buffer, out: FrameEvent[]): Buffer {
    const nl = buf.indexOf(0x0a);
    const part = nl === -1 ? buf : buf.subarray(0, nl);
    if (this.headerBuf.length + part.length > MAX_HEADER_BYTES) {
      out.push(...this.fail('header-too-long', `header longer than ${MAX_HEADER_BYTES} bytes`));
      return Buffer.alloc(0);
    }
    this.headerBuf = Buffer.concat([this.headerBuf, part]);
    if (nl === -1) return Buffer.alloc(0);
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.headerBuf.toString('utf8'));
    } catch (err) {
      out.push(...this.fail('bad-json', err instanceof Error ? err.message : 'unparsable'));
      return Buffer.alloc(0);
    }
    const problem = headerProblem(parsed);
    if (problem !== null) {
      out.push(...this.fail('bad-header', problem));
      return Buffer.alloc(0);
    }
    this.header = parsed as PushHeader;
    out.push({ type: 'header', header: this.header });
    this.startFile(0, out);
    return buf.subarray(nl + 1);
  }

  private startFile(index: number, out: FrameEvent[]): void {
    const f = this.header?.files[index];
    if (f === undefined) {
      this.state = { at: 'trailer', got: 0 };
      return;
    }
    this.state = { at: 'file', index, left: f.size, hash: createHash('sha256') };
    if (f.size === 0) this.endFile(index, createHash('sha256').digest('hex'), out);
  }

  private endFile(index: number, digest: string, out: FrameEvent[]): void {
    const f = this.header?.files[index];
    if (f === undefined || digest !== f.sha256) {
      out.push(...this.fail('sha-mismatch', `${f?.path ?? `file ${index}`}: sha256 ${digest} differs from the header's ${f?.sha256 ?? '?'}`));
      return;
    }
    out.push({ type: 'file-end', index });
    this.startFile(index + 1, out);
  }
}
