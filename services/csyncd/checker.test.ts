/** The checker over a scripted peer (ports/peer.ts FakePeer): colours, healing, auto-sync. */
import test from 'ava';
import pino from 'pino';
import { AppError } from '../runtime/errors';
import { Checker } from './checker';
import type { CsyncdSettings } from './config/types';
import type { ServiceReport, StatusReply } from './core/protocol';
import { FakePeer } from './ports/peer';
import type { StatusView } from './status-view';

const H = (c: string): string => c.repeat(64);
const SETTINGS: CsyncdSettings = { file: 'f', localIp: '10.0.0.1', remoteIp: '10.0.0.2', localNode: 1, remoteNode: 2, port: 24, configDir: '/c', stateDir: '/s', account: 'admin', autoSync: false, debounceMs: 100, checkIntervalMs: 1000 };
const report = (sha: string, synced: string | null, saved: string | null = sha): ServiceReport => ({ name: 'haproxy', version: { counter: 1, node: 1, sha256: sha }, sha256: sha, saved, synced });
const reply = (s: ServiceReport[]): StatusReply => ({ v: 1, node: 2, services: s, stuck: [] });

function rig(local: ServiceReport, peer: () => StatusReply, autoSync = false) {
  const state = { local, recorded: [] as string[], pushed: [] as string[], published: [] as StatusView[] };
  const fake = new FakePeer(() => ({ code: 0, stdout: JSON.stringify(peer()), stderr: '' }));
  const checker = new Checker({
    settings: () => ({ ...SETTINGS, autoSync }),
    local: {
      statusReply: async () => reply([state.local]),
      recordSynced: async (_s, sha) => {
        state.recorded.push(sha);
        state.local = { ...state.local, synced: sha };
      },
    },
    peer: fake,
    pusher: {
      push: async (service) => {
        state.pushed.push(service);
        state.local = { ...state.local, synced: state.local.sha256 };
        return { service, ok: true, message: 'pushed', ms: 1 };
      },
    },
    log: pino({ level: 'silent' }),
    stuck: () => [],
    publish: (v) => state.published.push(v),
  });
  return { checker, fake, state };
}

test('green when both run the same saved files; the view is published', async (t) => {
  const { checker, state } = rig(report(H('a'), H('a')), () => reply([report(H('a'), H('a'))]));
  const v = await checker.check();
  t.is(v.status, 'green');
  t.is(state.published.length, 1);
  t.deepEqual(v.services.map((s) => s.state), ['in-sync']);
});

test('red with the reason when the peer link fails', async (t) => {
  const { checker, fake } = rig(report(H('a'), H('a')), () => reply([]));
  fake.failWith = new AppError('HOST_KEY_CHANGED', 'peer presented another key');
  const v = await checker.check();
  t.is(v.status, 'red');
  t.is(v.reason, 'HOST_KEY_CHANGED: peer presented another key');
  t.deepEqual(v.linkError, { code: 'HOST_KEY_CHANGED', message: 'peer presented another key' });
});

test('a malformed peer reply is a PROTOCOL_ERROR, not a crash', async (t) => {
  const { checker, fake } = rig(report(H('a'), H('a')), () => reply([]));
  fake.respond = () => ({ code: 0, stdout: 'not json', stderr: '' });
  const v = await checker.check();
  t.is(v.linkError?.code, 'PROTOCOL_ERROR');
});

test('same content with a stale record heals (RecordSynced), then green', async (t) => {
  const { checker, state } = rig(report(H('a'), H('0')), () => reply([report(H('a'), H('a'))]));
  const v = await checker.check();
  t.deepEqual(state.recorded, [H('a')]);
  t.is(v.status, 'green');
});

test('auto_sync pushes a local change once; a conflict is only reported', async (t) => {
  const peerState = { r: report(H('a'), H('a')) };
  const a = rig(report(H('b'), H('a')), () => reply([peerState.r]), true);
  await a.checker.check();
  t.deepEqual(a.state.pushed, ['haproxy']);
  const b = rig(report(H('b'), H('a')), () => reply([report(H('c'), H('a'))]), true);
  const v = await b.checker.check();
  t.deepEqual(b.state.pushed, []);
  t.is(v.status, 'orange');
  t.regex(v.services[0]?.detail ?? '', /conflict.*auto_sync will not choose/);
});

test('overlapping check requests collapse into one extra run', async (t) => {
  const { checker, fake } = rig(report(H('a'), H('a')), () => reply([report(H('a'), H('a'))]));
  await Promise.all([checker.check(), checker.check(), checker.check(), checker.check()]);
  t.true(fake.calls.length <= 2, `${fake.calls.length} status calls`);
});
