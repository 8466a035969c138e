/**
 * The link to the peer's csyncd: run one SSH exec command, optionally with
 * stdin, get its exit code and output. adapters/ssh-peer.ts is the real one
 * (one kept-open ssh2 connection); FakePeer below answers from a function.
 *
 * Errors are AppErrors with the codes the status shows: PEER_UNREACHABLE,
 * PEER_TIMEOUT, AUTH_REFUSED, HOST_KEY_CHANGED, NO_PEER_KEYS, NO_KEYS.
 */
import { AppError } from '../../runtime/errors';

export interface ExecResult {
  /** Exit status; null when the peer closed the channel without one. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Where a command's stdin goes; write() resolves when the bytes may be followed by more. */
export interface ByteSink {
  write(chunk: Buffer): Promise<void>;
}

export interface ExecOptions {
  /** Produce stdin; EOF follows when it resolves. No input: EOF at once. */
  input?: (sink: ByteSink) => Promise<void>;
  timeoutMs: number;
}

export interface PeerLink {
  exec(command: string, opts: ExecOptions): Promise<ExecResult>;
  /** True while a connection is up. */
  readonly connected: boolean;
  close(): void;
}

/** A scripted peer for unit tests: answers each command from `respond`. */
export class FakePeer implements PeerLink {
  readonly calls: { command: string; stdin: Buffer }[] = [];
  connected = true;
  failWith: AppError | null = null;

  constructor(public respond: (command: string, stdin: Buffer) => ExecResult | Promise<ExecResult>) {}

  async exec(command: string, opts: ExecOptions): Promise<ExecResult> {
    if (this.failWith !== null) throw this.failWith;
    const chunks: Buffer[] = [];
    await opts.input?.({ write: async (c) => void chunks.push(Buffer.from(c)) });
    const stdin = Buffer.concat(chunks);
    this.calls.push({ command, stdin });
    return this.respond(command, stdin);
  }

  close(): void {
    this.connected = false;
  }
}
