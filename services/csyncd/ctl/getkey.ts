/**
 * csyncctl getkey: fetch the peer's host and user public keys from its
 * csyncd (SSH user "getkey", which may run nothing else), check they are
 * really the peer's - by its management account password (an HMAC proof,
 * core/getkey-proof.ts; the password never leaves this unit) or by a host
 * key fingerprint read off the peer - and store them in ssh_known_hosts and
 * csyncd_authorized.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { Client } from 'ssh2';
import { AppError } from '../../runtime/errors';
import { EXIT } from '../../runtime/exit-codes';
import type { CsyncdSettings } from '../config/types';
import { deriveKey, proofMatches, proofMessage } from '../core/getkey-proof';
import { parseGetkeyReply, type GetkeyReply } from '../core/protocol';
import { fingerprint, knownHostsName, parsePublicKeyLine } from '../core/ssh-keys';
import { AuditLog } from '../adapters/audit-log';
import { KeyFiles } from '../adapters/key-files';
import { describeKey } from './key-commands';

export interface GetkeyOptions {
  fingerprint?: string;
  password: () => Promise<string>;
}

export async function getkey(s: CsyncdSettings, opts: GetkeyOptions, out: NodeJS.WritableStream): Promise<number> {
  const nonce = randomBytes(32).toString('hex');
  const name = knownHostsName(s.remoteIp, s.port);
  const { presented, stdout } = await fetchKeys(s, `getkey ${nonce} ${s.account}`);
  const parsed = parseGetkeyReply(stdout);
  if (!parsed.ok) throw new AppError('PROTOCOL_ERROR', `the peer at ${name} answered getkey with: ${parsed.message}`);
  const r: GetkeyReply = parsed.value;
  const host = parsePublicKeyLine(r.hostKey);
  const user = parsePublicKeyLine(r.userKey);
  if (host === null || user === null) throw new AppError('PROTOCOL_ERROR', 'the peer sent unreadable public keys');
  if (!host.blob.equals(presented)) throw new AppError('GETKEY_MISMATCH', `the host key the peer sent (${fingerprint(host.blob)}) is not the one its SSH server presented (${fingerprint(presented)}); nothing stored`);
  if (r.node !== s.remoteNode) throw new AppError('NODE_MISMATCH', `the peer at ${name} is node ${r.node}, but REMOTE_NODE is ${s.remoteNode}; fix csyncd.cfg on one unit; nothing stored`);
  out.write([`peer ${name} is node ${r.node}:`, describeKey('host key', host), describeKey('user key', user), ''].join('\n'));
  const how = await authenticate(s, r, nonce, opts);
  const keys = new KeyFiles(s.configDir);
  const before = await keys.knownHost(s.remoteIp, s.port);
  if (before.length > 0 && !before.some((k) => k.blob.equals(host.blob))) {
    out.write(`WARNING: the peer's host key CHANGED (was ${before.map((k) => fingerprint(k.blob)).join(', ')}); replacing it because this exchange was authenticated (${how})\n`);
  }
  await keys.storePeerKeys(s.remoteIp, s.port, host, user);
  await new AuditLog(path.join(s.stateDir, 'audit.log')).append({ op: 'getkey', who: 'csyncctl', result: 'ok', peer: name, node: r.node, host: fingerprint(host.blob), user: fingerprint(user.blob), how });
  out.write(`authenticated by ${how}\nstored: ${keys.path('knownHosts')} (${name}), ${keys.path('authorized')}\n`);
  return EXIT.OK;
}

async function authenticate(s: CsyncdSettings, r: GetkeyReply, nonce: string, opts: GetkeyOptions): Promise<string> {
  const host = parsePublicKeyLine(r.hostKey);
  if (opts.fingerprint !== undefined) {
    const fp = fingerprint(host?.blob ?? Buffer.alloc(0));
    if (fp !== opts.fingerprint) throw new AppError('FINGERPRINT_MISMATCH', `the peer's host key is ${fp}, not ${opts.fingerprint}: wrong fingerprint or a man in the middle; nothing stored`);
    return `host key fingerprint ${fp}`;
  }
  if (r.kdf === null || r.proof === null) {
    throw new AppError('NO_ACCOUNT', `the peer has no password for account "${s.account}" (csyncctl passwd on the peer), so only --fingerprint can authenticate it (csyncctl showkey on the peer prints it); nothing stored`);
  }
  const key = await deriveKey(await opts.password(), r.kdf);
  if (!proofMatches(key, proofMessage(nonce, r.hostKey, r.userKey, r.node), r.proof)) {
    throw new AppError('PASSWORD_MISMATCH', `the password of "${s.account}" does not match the peer's proof: wrong password, or a man in the middle; nothing stored`);
  }
  return `the password of account ${s.account} on the peer`;
}

/** One SSH session as user getkey; the verifier records the host key the server presented. */
function fetchKeys(s: CsyncdSettings, command: string): Promise<{ presented: Buffer; stdout: string }> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    let presented: Buffer | null = null;
    const fail = (err: Error): void => {
      c.end();
      reject(new AppError('PEER_UNREACHABLE', `cannot reach csyncd at ${knownHostsName(s.remoteIp, s.port)}: ${err.message} (is csyncd running on the peer?)`));
    };
    c.on('error', fail);
    c.on('ready', () => {
      c.exec(command, (err, ch) => {
        if (err !== undefined && err !== null) return fail(err);
        let stdout = '';
        ch.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
        ch.stderr.on('data', () => undefined);
        ch.on('close', () => {
          c.end();
          if (presented === null) return reject(new AppError('PROTOCOL_ERROR', 'no host key seen'));
          resolve({ presented, stdout });
        });
        ch.end();
      });
    });
    c.connect({
      host: s.remoteIp,
      port: s.port,
      localAddress: s.localIp,
      username: 'getkey',
      authHandler: ['none'],
      readyTimeout: 10_000,
      hostVerifier: (key: Buffer) => {
        presented = key;
        return true;
      },
    });
  });
}
