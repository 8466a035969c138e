import test from 'ava';
import pino from 'pino';
import { AppError } from '../runtime/errors';
import type { UnitOffer } from './core/offer';
import type { PairingProgress } from './core/progress';
import type { UnitStateView } from './core/requests';
import { pair, type LocalSide, type PeerSide } from './pairing';

const KEY = (c: string): string => `ssh-ed25519 ${c.repeat(68)} csyncd@node`;
const offer = (last: number): UnitOffer => ({
  version: '0.1.0', node: `lb${last}`, pairedWith: null, gateway: '10.0.0.254', serialPorts: [],
  interfaces: [{ name: 'eth0', addresses: [`10.0.0.${last}/24`] }, { name: 'eth1', addresses: [`10.1.0.${last}/24`] }],
});
const up = (node: string): UnitStateView => ({ node, paired: true, hbd: { running: true, state: 'active', peerStatus: 'up', links: [['ucast:eth0', 'up']] }, csyncd: { running: true, status: 'green', peerReachable: true } });

function fakes(o: { localCommit?: () => Promise<string[]>; mustChange?: boolean; peerState?: UnitStateView } = {}) {
  const calls: string[] = [];
  const local: LocalSide = {
    offer: async () => offer(1),
    prepare: async () => (calls.push('local.prepare'), { host: KEY('A'), user: KEY('B') }),
    commit: async () => (calls.push('local.commit'), o.localCommit ? o.localCommit() : []),
    state: async () => up('lb1'),
    unpair: async () => (calls.push('local.unpair'), []),
  };
  const peer: PeerSide = {
    login: async () => (calls.push('peer.login'), { mustChangePassword: o.mustChange ?? false }),
    offer: async () => offer(2),
    prepare: async () => (calls.push('peer.prepare'), { host: KEY('C'), user: KEY('D') }),
    commit: async () => (calls.push('peer.commit'), {}),
    state: async () => o.peerState ?? up('lb2'),
    unpair: async () => (calls.push('peer.unpair'), {}),
  };
  const seen: PairingProgress[] = [];
  let now = 0;
  const deps = {
    local, connect: async () => peer, ownFingerprint: async () => `SHA256:${'AB:'.repeat(31)}AB`, log: pino({ level: 'silent' }), now: () => now,
    sleep: async (ms: number) => void (now += ms), onProgress: (p: PairingProgress) => seen.push(p), waitMs: 5000,
  };
  return { calls, deps, seen };
}

const REQ = { peer: '10.1.0.2', password: 'pw', options: { vips: ['10.0.0.100'] }, fingerprint: `SHA256:${'CD:'.repeat(31)}CD` };

test('pairing: every step done in order; both units prepared, then both written', async (t) => {
  const f = fakes();
  const p = await pair(REQ, f.deps);
  t.is(p.state, 'done');
  t.deepEqual(p.steps.map((s) => s.status), ['done', 'done', 'done', 'done', 'done', 'done']);
  t.deepEqual(f.calls, ['peer.login', 'local.prepare', 'peer.prepare', 'peer.commit', 'local.commit']); // each pair started together
  t.is(f.seen[0]?.state, 'running');
});

test('a failure after the peer was written undoes both units', async (t) => {
  const f = fakes({ localCommit: async () => { throw new AppError('HA_CONFIG_REFUSED', 'hbd refused'); } });
  const p = await pair(REQ, f.deps);
  t.like(p, { state: 'failed', error: { code: 'HA_CONFIG_REFUSED', reason: 'hbd refused' } });
  t.is(p.steps.find((s) => s.id === 'write')?.status, 'failed');
  t.deepEqual(f.calls.slice(-2), ['peer.unpair', 'local.unpair']);
});

test('refusals before anything is written touch neither unit', async (t) => {
  const initial = fakes({ mustChange: true });
  t.like(await pair(REQ, initial.deps), { state: 'failed', error: { code: 'PEER_PASSWORD_INITIAL' } });
  t.deepEqual(initial.calls, ['peer.login']);
  const badVip = fakes();
  t.like(await pair({ ...REQ, options: { vips: ['10.0.0.2'] } }, badVip.deps), { state: 'failed', error: { code: 'VIP_CONFLICT' } });
  t.false(badVip.calls.some((c) => c.endsWith('unpair')));
});

test('media that do not come up within the bound: failed with what each unit hears, and undone', async (t) => {
  const f = fakes({ peerState: { ...up('lb2'), hbd: { running: true, state: 'active', peerStatus: 'dead', links: [['ucast:eth0', 'down']] } } });
  const p = await pair(REQ, f.deps);
  t.like(p, { state: 'failed', error: { code: 'PAIR_NOT_UP' } });
  t.regex(p.error?.reason ?? '', /not every medium up after 5 s: .*lb2: hbd active \(ucast:eth0 down\)/);
  t.deepEqual(f.calls.slice(-2), ['peer.unpair', 'local.unpair']);
});
