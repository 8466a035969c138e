/**
 * The SSH exec commands csyncd's server understands (README "SSH commands").
 * Parsing never throws; anything else is refused with a message.
 *
 *   status [--json]       this unit's services: versions, running/saved/synced hashes
 *   version SERVICE       the same for one service (JSON)
 *   push SERVICE          stdin: the push framing (core/push-frame.ts); reply JSON
 *   save                  persist the running files of every service (reply JSON)
 *   getkey NONCE ACCOUNT  public keys + proof for `csyncctl getkey` (user "getkey")
 */
import { SERVICE_NAME_RE } from '../config/types';

export type Command =
  | { op: 'status'; json: boolean }
  | { op: 'version'; service: string }
  | { op: 'push'; service: string }
  | { op: 'save' }
  | { op: 'getkey'; nonce: string; account: string };

export type ParsedCommand = { ok: true; cmd: Command } | { ok: false; message: string };

/** The user "getkey" (no authentication) may only run getkey. */
export const GETKEY_USER = 'getkey';

const bad = (message: string): ParsedCommand => ({ ok: false, message });

export function parseCommand(text: string, user: string): ParsedCommand {
  if (text.length > 512) return bad('command too long');
  const words = text.trim().split(/\s+/).filter((w) => w !== '');
  const [op = '', ...args] = words;
  if (user === GETKEY_USER && op !== 'getkey') return bad('the getkey user may only run "getkey NONCE ACCOUNT"');
  const service = (): ParsedCommand | string => {
    const s = args[0] ?? '';
    if (args.length !== 1 || !SERVICE_NAME_RE.test(s)) return bad(`usage: ${op} SERVICE`);
    return s;
  };
  switch (op) {
    case 'status':
      if (args.length > 1 || (args.length === 1 && args[0] !== '--json')) return bad('usage: status [--json]');
      return { ok: true, cmd: { op: 'status', json: args[0] === '--json' } };
    case 'version':
    case 'push': {
      const s = service();
      return typeof s === 'string' ? { ok: true, cmd: { op, service: s } } : s;
    }
    case 'save':
      if (args.length !== 0) return bad('usage: save');
      return { ok: true, cmd: { op: 'save' } };
    case 'getkey': {
      const [nonce = '', account = ''] = args;
      if (args.length !== 2 || !/^[0-9a-f]{64}$/.test(nonce) || !/^[a-z_][a-z0-9_.-]{0,31}$/.test(account)) return bad('usage: getkey NONCE(64 hex) ACCOUNT');
      return { ok: true, cmd: { op: 'getkey', nonce, account } };
    }
    default:
      return bad(`unknown command ${JSON.stringify(op)} (status, version, push, save, getkey)`);
  }
}
