/**
 * The server side of the transport: an ssh2 Server on LOCAL_IP:port only.
 * Public-key authentication against csyncd_authorized (re-read at every
 * attempt, so getkey needs no restart); the one exception is the user
 * "getkey", allowed without authentication to run `getkey` and nothing
 * else. Only exec requests on session channels are served: no shell, pty,
 * subsystem or forwarding. Replies are written on stdout with an exit
 * status, so the stock OpenSSH client can be used for diagnosis.
 */
import type { Readable } from 'node:stream';
import { Server, utils, type AuthContext, type Connection, type ServerChannel } from 'ssh2';
import type { Logger } from '../../runtime/log';
import { GETKEY_USER, parseCommand, type Command } from '../core/commands';
import type { OpReply } from '../core/protocol';
import { fingerprint, type PublicKeyLine } from '../core/ssh-keys';
import type { Peer } from './ssh-caller';

export interface ServerHandlers {
  /** Text (or JSON with --json) for `status`. */
  status(json: boolean): Promise<string>;
  version(service: string): Promise<OpReply>;
  push(service: string, input: Readable, who: Peer): Promise<OpReply>;
  save(who: Peer): Promise<OpReply>;
  getkey(nonce: string, account: string, who: Peer): Promise<OpReply>;
}

export interface SshServerOptions {
  host: string;
  port: number;
  hostKey: string;
  authorizedKeys: () => Promise<PublicKeyLine[]>;
  handlers: ServerHandlers;
  log: Logger;
}

const MAX_CONNECTIONS = 16;
const AUTH_DEADLINE_MS = 15_000;
const MAX_AUTH_TRIES = 6;

export interface RunningServer {
  close(): Promise<void>;
}

export function startSshServer(o: SshServerOptions): Promise<RunningServer> {
  const open = new Set<Connection>();
  const server = new Server({ hostKeys: [o.hostKey], ident: 'csyncd' }, (conn, info) => {
    const addr = `${info.ip}:${info.port}`;
    if (open.size >= MAX_CONNECTIONS) {
      o.log.warn({ addr }, 'too many connections; dropping');
      conn.end();
      return;
    }
    open.add(conn);
    // Without this, Nagle and delayed ACKs add ~40 ms to every small reply.
    (conn as Connection & { setNoDelay(on: boolean): unknown }).setNoDelay(true);
    conn.on('close', () => open.delete(conn));
    conn.on('error', (err) => o.log.debug({ addr, err: err.message }, 'connection error'));
    serve(conn, addr, o);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      server.on('error', (err: Error) => o.log.error({ err }, 'ssh server error'));
      resolve({
        close: () =>
          new Promise<void>((r) => {
            for (const c of open) c.end();
            server.close(() => r());
          }),
      });
    });
  });
}

function serve(conn: Connection, addr: string, o: SshServerOptions): void {
  let who: Peer | null = null;
  let tries = 0;
  // Unauthenticated connections, and the unauthenticated getkey user, get AUTH_DEADLINE_MS in all.
  const deadline = setTimeout(() => {
    if (who === null || who.user === GETKEY_USER) conn.end();
  }, AUTH_DEADLINE_MS);
  conn.on('authentication', (ctx: AuthContext) => {
    if (++tries > MAX_AUTH_TRIES) return void conn.end();
    void authenticate(ctx, o).then(
      (v) => {
        if (v.kind === 'accept') who = { user: ctx.username, key: v.key, addr }; // before accept(): 'ready' may follow at once
        if (v.kind === 'reject') ctx.reject(v.methods);
        else ctx.accept();
      },
      () => ctx.reject(['publickey']),
    );
  });
  conn.on('ready', () => {
    if (who?.user !== GETKEY_USER) clearTimeout(deadline);
    conn.on('session', (accept) => {
      const session = accept();
      session.on('exec', (acceptExec, _reject, info) => {
        const ch = acceptExec();
        const peer = who ?? { user: '?', key: '?', addr };
        const parsed = parseCommand(info.command, peer.user);
        if (!parsed.ok) return reply(ch, { ok: false, code: 'BAD_COMMAND', message: parsed.message });
        o.log.debug({ who: peer, command: parsed.cmd.op }, 'exec');
        run(parsed.cmd, ch, peer, o.handlers).then(
          (text) => finish(ch, text),
          (err: unknown) => reply(ch, { ok: false, code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) }),
        );
      });
    });
  });
  conn.on('close', () => clearTimeout(deadline));
}

type AuthVerdict = { kind: 'accept'; key: string } | { kind: 'key-ok' } | { kind: 'reject'; methods: ('publickey' | 'none')[] };

/** Decide one authentication attempt; the caller answers ctx. */
async function authenticate(ctx: AuthContext, o: SshServerOptions): Promise<AuthVerdict> {
  if (ctx.username === GETKEY_USER) return ctx.method === 'none' ? { kind: 'accept', key: 'none' } : { kind: 'reject', methods: ['none'] };
  if (ctx.method !== 'publickey') return { kind: 'reject', methods: ['publickey'] };
  const keys = await o.authorizedKeys();
  const match = keys.find((k) => k.blob.equals(ctx.key.data));
  if (match === undefined) {
    o.log.warn({ user: ctx.username, key: fingerprint(ctx.key.data) }, 'refused a key not in csyncd_authorized');
    return { kind: 'reject', methods: ['publickey'] };
  }
  // "Would this key do?" - the signed attempt follows.
  if (ctx.signature === undefined || ctx.blob === undefined) return { kind: 'key-ok' };
  const parsed = utils.parseKey(`${match.type} ${match.blob.toString('base64')}`);
  if (parsed instanceof Error || !parsed.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) return { kind: 'reject', methods: ['publickey'] };
  return { kind: 'accept', key: fingerprint(match.blob) };
}

async function run(cmd: Command, ch: ServerChannel, who: Peer, h: ServerHandlers): Promise<string> {
  switch (cmd.op) {
    case 'status':
      return h.status(cmd.json);
    case 'version':
      return line(await h.version(cmd.service));
    case 'push':
      return line(await h.push(cmd.service, ch, who));
    case 'save':
      return line(await h.save(who));
    case 'getkey':
      return line(await h.getkey(cmd.nonce, cmd.account, who));
  }
}

const line = (r: OpReply): string => `${JSON.stringify(r)}\n`;

function reply(ch: ServerChannel, r: OpReply): void {
  finish(ch, line(r));
}

/** Write the reply, exit status 0 (ok) or 1, and close: an unread upload is dropped. */
function finish(ch: ServerChannel, text: string): void {
  const failed = text.startsWith('{"ok":false');
  ch.write(text);
  ch.exit(failed ? 1 : 0);
  ch.end();
}
