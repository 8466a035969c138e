/**
 * csyncctl genkey | showkey | passwd: this unit's keys and the management
 * account password that authenticates a getkey from the peer.
 */
import { AppError } from '../../runtime/errors';
import { callMember, connectSystemBus } from '../../runtime/dbus';
import { EXIT } from '../../runtime/exit-codes';
import type { CsyncdSettings } from '../config/types';
import { deriveKey, newKdfParams } from '../core/getkey-proof';
import { fingerprint, type PublicKeyLine } from '../core/ssh-keys';
import { AuditLog } from '../adapters/audit-log';
import { CSYNCD_NAMES } from '../adapters/dbus-api';
import { KeyFiles } from '../adapters/key-files';
import { readPassword } from './password';
import { access } from 'node:fs/promises';
import * as path from 'node:path';

/** True when csyncd owns its bus name; false when it does not or there is no bus (then it cannot run). */
export async function csyncdRunning(): Promise<boolean> {
  let bus;
  try {
    bus = await connectSystemBus();
  } catch {
    return false;
  }
  try {
    const obj = await bus.getProxyObject('org.freedesktop.DBus', '/org/freedesktop/DBus');
    return (await callMember(obj.getInterface('org.freedesktop.DBus'), 'NameHasOwner', CSYNCD_NAMES.name)) === true;
  } finally {
    bus.disconnect();
  }
}

export const describeKey = (label: string, k: PublicKeyLine): string => `  ${label}  ${fingerprint(k.blob)} (${k.type}${k.comment === '' ? '' : `, ${k.comment}`})`;

/** New keys in config_dir, audited; the lines that tell the operator (fingerprints) are returned. */
export async function createKeys(s: CsyncdSettings, who: string): Promise<string[]> {
  const k = await new KeyFiles(s.configDir).generate(s.localNode);
  await new AuditLog(path.join(s.stateDir, 'audit.log')).append({ op: 'genkey', who, result: 'ok', host: fingerprint(k.host.blob), user: fingerprint(k.user.blob) });
  return [`new Ed25519 keys for node ${s.localNode} in ${s.configDir}:`, describeKey('host key', k.host), describeKey('user key', k.user)];
}

/**
 * First start of a unit (csyncd --genkey-if-none): neither private key exists
 * yet, so make them. One key without the other is left for the key check to
 * report: that is damage, not a first start. True when keys were made.
 */
export async function genkeyIfNone(s: CsyncdSettings, out: NodeJS.WritableStream): Promise<boolean> {
  const keys = new KeyFiles(s.configDir);
  const present = await Promise.all([keys.path('hostKey'), keys.path('userKey')].map((f) => access(f).then(() => true, () => false)));
  if (present.some(Boolean)) return false;
  const lines = await createKeys(s, 'csyncd');
  out.write([...lines, 'Exchange them with the peer: "csyncctl getkey" on each unit.', ''].join('\n'));
  return true;
}

export async function genkey(s: CsyncdSettings, out: NodeJS.WritableStream): Promise<number> {
  if (await csyncdRunning()) throw new AppError('ALREADY_RUNNING', 'csyncd is running: stop it first (systemctl stop csyncd), as ALOHA requires; genkey replaces the keys it serves with');
  const lines = await createKeys(s, 'csyncctl');
  out.write([...lines, 'Start csyncd, then run "csyncctl getkey" on the peer (and here) to exchange the keys.', ''].join('\n'));
  return EXIT.OK;
}

export async function showkey(s: CsyncdSettings, out: NodeJS.WritableStream): Promise<number> {
  const keys = new KeyFiles(s.configDir);
  const host = await keys.readPublic('host');
  const user = await keys.readPublic('user');
  out.write([`keys of node ${s.localNode} (${s.localIp}:${s.port}):`, describeKey('host key', host), describeKey('user key', user), `On the peer: csyncctl getkey --fingerprint ${fingerprint(host.blob)}`, ''].join('\n'));
  return EXIT.OK;
}

export async function passwd(s: CsyncdSettings, account: string, passwordFile: string | undefined, out: NodeJS.WritableStream): Promise<number> {
  if (!/^[a-z_][a-z0-9_.-]{0,31}$/.test(account) || account === 'getkey') throw new AppError('USAGE', `"${account}" is not an account name`);
  const password = await readPassword({ file: passwordFile, prompt: `new password of ${account}: ` });
  if (passwordFile === undefined && process.env.CSYNCD_PASSWORD === undefined) {
    if ((await readPassword({ prompt: 'again: ' })) !== password) throw new AppError('USAGE', 'the passwords differ; nothing changed');
  }
  const kdf = newKdfParams();
  const keys = new KeyFiles(s.configDir);
  await keys.setAccount({ name: account, kdf, key: await deriveKey(password, kdf) });
  await new AuditLog(path.join(s.stateDir, 'audit.log')).append({ op: 'passwd', who: 'csyncctl', result: 'ok', account });
  out.write(`password of account ${account} set in ${keys.path('accounts')} (scrypt N=${kdf.N} r=${kdf.r} p=${kdf.p}); the peer's "csyncctl getkey" now authenticates with it\n`);
  return EXIT.OK;
}
