/**
 * The client side of the transport: one ssh2 connection to the peer's
 * csyncd, kept open (small pushes then cost one channel, not a handshake),
 * re-established with backoff after it drops. The peer's host key is pinned
 * by ssh_known_hosts; a different key is refused (HOST_KEY_CHANGED) and no
 * retry loop hammers it.
 */
import { Client, type ClientChannel } from 'ssh2';
import { AppError, errorMessage } from '../../runtime/errors';
import type { Logger } from '../../runtime/log';
import { blobType, fingerprint, knownHostsName, type PublicKeyLine } from '../core/ssh-keys';
import type { ByteSink, ExecOptions, ExecResult, PeerLink } from '../ports/peer';

export interface SshPeerOptions {
  host: string;
  port: number;
  localAddress: string;
  username: string;
  /** Read at every connect, so a getkey/genkey takes effect without a restart. */
  privateKey: () => Promise<string>;
  knownHostKeys: () => Promise<PublicKeyLine[]>;
  log: Logger;
  readyTimeoutMs?: number;
  maxBackoffMs?: number;
}

const MAX_OUTPUT = 8 * 1024 * 1024;

export class SshPeer implements PeerLink {
  private client: Client | null = null;
  private connecting: Promise<Client> | null = null;
  private backoffMs = 500;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly o: SshPeerOptions) {}

  get connected(): boolean {
    return this.client !== null;
  }

  async exec(command: string, opts: ExecOptions): Promise<ExecResult> {
    const client = await this.connection();
    return new Promise<ExecResult>((resolve, reject) => {
      let settled = false;
      let channel: ClientChannel | null = null;
      const done = (err: unknown, r?: ExecResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err !== null) reject(err);
        else resolve(r as ExecResult);
      };
      const timer = setTimeout(() => {
        channel?.close();
        done(new AppError('PEER_TIMEOUT', `peer did not finish "${command}" within ${opts.timeoutMs} ms`));
      }, opts.timeoutMs);
      client.exec(command, (err, ch) => {
        if (err !== undefined && err !== null) return done(new AppError('PEER_UNREACHABLE', `cannot open a channel for "${command}": ${err.message}`));
        channel = ch;
        let stdout = '';
        let stderr = '';
        let code: number | null = null;
        ch.on('data', (d: Buffer) => (stdout.length < MAX_OUTPUT ? (stdout += d.toString('utf8')) : undefined));
        ch.stderr.on('data', (d: Buffer) => (stderr.length < MAX_OUTPUT ? (stderr += d.toString('utf8')) : undefined));
        ch.on('exit', (c: number | null) => (code = c));
        ch.on('close', () => {
          if (code === null && stdout === '') return done(new AppError('PEER_UNREACHABLE', `connection to the peer lost during "${command}"`));
          done(null, { code, stdout, stderr });
        });
        const feed = opts.input === undefined ? Promise.resolve() : opts.input(sinkOf(ch));
        feed.then(() => ch.end(), (e: unknown) => {
          ch.close();
          done(e);
        });
      });
    });
  }

  close(): void {
    this.closed = true;
    if (this.retry !== null) clearTimeout(this.retry);
    this.client?.end();
    this.client = null;
  }

  private connection(): Promise<Client> {
    if (this.client !== null) return Promise.resolve(this.client);
    if (this.retry !== null) {
      clearTimeout(this.retry);
      this.retry = null;
    }
    this.connecting ??= this.connect().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async connect(): Promise<Client> {
    if (this.closed) throw new AppError('PEER_UNREACHABLE', 'csyncd is stopping');
    const [privateKey, pinned] = await Promise.all([this.o.privateKey(), this.o.knownHostKeys()]);
    const name = knownHostsName(this.o.host, this.o.port);
    if (pinned.length === 0) throw new AppError('NO_PEER_KEYS', `no host key for ${name} in ssh_known_hosts: exchange keys with "csyncctl getkey"`);
    let presented: Buffer | null = null;
    const c = new Client();
    return new Promise<Client>((resolve, reject) => {
      c.on('ready', () => {
        c.setNoDelay(true);
        this.client = c;
        this.backoffMs = 500;
        this.o.log.info({ peer: name }, 'connected to the peer');
        resolve(c);
      });
      c.on('error', (err: Error & { level?: string }) => {
        if (this.client === c) return; // a live connection's error ends in 'close'
        reject(classify(err, presented, pinned, name));
      });
      c.on('close', () => {
        if (this.client !== c) return;
        this.client = null;
        this.o.log.warn({ peer: name }, 'connection to the peer closed');
        this.scheduleReconnect();
      });
      c.connect({
        host: this.o.host,
        port: this.o.port,
        localAddress: this.o.localAddress,
        username: this.o.username,
        privateKey,
        readyTimeout: this.o.readyTimeoutMs ?? 5000,
        keepaliveInterval: 5000,
        keepaliveCountMax: 3,
        hostVerifier: (key: Buffer) => {
          presented = key;
          return pinned.some((k) => k.blob.equals(key));
        },
      });
    });
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retry !== null) return;
    const wait = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.o.maxBackoffMs ?? 30_000);
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connection().then(
        () => undefined,
        (err: unknown) => {
          this.o.log.debug({ err: errorMessage(err) }, 'reconnect failed');
          if (isNetworkFailure(err)) this.scheduleReconnect();
        },
      );
    }, wait);
  }
}

/** Only plain network failures are retried in the background; key and auth failures wait for the next check. */
function isNetworkFailure(err: unknown): boolean {
  return err instanceof AppError && (err.code === 'PEER_UNREACHABLE' || err.code === 'PEER_TIMEOUT');
}

function classify(err: Error & { level?: string; code?: string }, presented: Buffer | null, pinned: PublicKeyLine[], name: string): AppError {
  if (presented !== null && !pinned.some((k) => k.blob.equals(presented as Buffer))) {
    const was = pinned.map((k) => fingerprint(k.blob)).join(', ');
    return new AppError('HOST_KEY_CHANGED', `the peer at ${name} presented host key ${fingerprint(presented)} (${blobType(presented)}), but ssh_known_hosts pins ${was}: possible man in the middle; if the peer was re-keyed (genkey), exchange keys again with "csyncctl getkey"`);
  }
  if (err.level === 'client-authentication') return new AppError('AUTH_REFUSED', `the peer at ${name} refused our user key: run "csyncctl getkey" on the peer so it knows this unit's key`);
  if (err.level === 'client-timeout' || /timed out/i.test(err.message)) return new AppError('PEER_UNREACHABLE', `no SSH handshake with ${name} in time (${err.message})`);
  return new AppError('PEER_UNREACHABLE', `cannot reach csyncd at ${name}: ${err.code ?? ''} ${err.message}`.replace(/\s+/g, ' '));
}

function sinkOf(ch: ClientChannel): ByteSink {
  return {
    write: (chunk) =>
      new Promise<void>((resolve, reject) => {
        if (ch.destroyed) return reject(new AppError('PEER_UNREACHABLE', 'channel closed while sending'));
        if (ch.write(chunk)) return resolve();
        const onDrain = (): void => {
          ch.off('close', onClose);
          resolve();
        };
        const onClose = (): void => {
          ch.off('drain', onDrain);
          reject(new AppError('PEER_UNREACHABLE', 'channel closed while sending'));
        };
        ch.once('drain', onDrain);
        ch.once('close', onClose);
      }),
  };
}
