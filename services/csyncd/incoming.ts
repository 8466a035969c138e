/**
 * What csyncd answers on its SSH server (adapters/ssh-server.ts): status,
 * version, push (adapters/receiver.ts), save, and the getkey exchange.
 */
import type { Readable } from 'node:stream';
import type { Logger } from '../runtime/log';
import { findService, type CsyncdSettings, type Registry } from './config/types';
import { computeProof, proofMessage } from './core/getkey-proof';
import type { OpReply } from './core/protocol';
import { formatPublicKey } from './core/ssh-keys';
import type { AuditLog } from './adapters/audit-log';
import type { KeyFiles } from './adapters/key-files';
import { receivePush, type ReceiverDeps } from './adapters/receiver';
import type { Peer } from './adapters/ssh-caller';
import type { ServerHandlers } from './adapters/ssh-server';
import type { LocalState } from './local-state';
import { renderStatus, type StatusView } from './status-view';

export interface IncomingDeps {
  settings: () => CsyncdSettings;
  registry: () => Registry;
  local: LocalState;
  receiver: ReceiverDeps;
  keys: KeyFiles;
  audit: AuditLog;
  log: Logger;
  view: () => StatusView;
}

/** getkey answers at most this many requests per minute (each one is an offline password guess for a thief). */
const GETKEY_PER_MINUTE = 10;

export function incomingHandlers(d: IncomingDeps): ServerHandlers {
  const getkeyTimes: number[] = [];
  const whoText = (w: Peer): string => `ssh:${w.user}@${w.addr}`;
  return {
    status: async (json) => (json ? `${JSON.stringify(await d.local.statusReply())}\n` : renderStatus(d.view())),
    version: async (service) => {
      const def = findService(d.registry(), service);
      if (def === undefined) return { ok: false, code: 'UNKNOWN_SERVICE', message: `no service ${service} in services.conf` };
      return { ok: true, ...(await d.local.report(def)) };
    },
    push: (service: string, input: Readable, who: Peer) => receivePush(d.receiver, service, input, who),
    save: async (who) => {
      const saved = await d.local.save(whoText(who));
      d.receiver.changed();
      return { ok: true, saved };
    },
    getkey: async (nonce, account, who): Promise<OpReply> => {
      const now = Date.now();
      while (getkeyTimes.length > 0 && (getkeyTimes[0] ?? 0) < now - 60_000) getkeyTimes.shift();
      if (getkeyTimes.length >= GETKEY_PER_MINUTE) return { ok: false, code: 'RATE_LIMITED', message: `at most ${GETKEY_PER_MINUTE} getkey requests per minute; try again later` };
      getkeyTimes.push(now);
      const hostKey = formatPublicKey(await d.keys.readPublic('host'));
      const userKey = formatPublicKey(await d.keys.readPublic('user'));
      const acct = await d.keys.account(account);
      const node = d.settings().localNode;
      const proof = acct === null ? null : computeProof(acct.key, proofMessage(nonce, hostKey, userKey, node));
      await d.audit.append({ op: 'getkey', who: { addr: who.addr }, result: 'ok', account, proof: proof !== null });
      d.log.info({ addr: who.addr, account, proof: proof !== null }, 'getkey: sent our public keys');
      return { ok: true, node, hostKey, userKey, account, kdf: acct?.kdf ?? null, proof };
    },
  };
}
