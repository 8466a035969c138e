/**
 * The simulation's supervisor with real processes: small Node programs that
 * send READY=1 to NOTIFY_SOCKET like the services do. States as systemd
 * names them, the MainPID file, Restart=on-failure with NRestarts, no
 * restart after exit 78, RestartUnit-like restart, ExecStopPost, and a stop
 * that waits for an exit already being handled.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../services/runtime/cli';
import { waitFor } from './exec';
import type { SimProcess } from './pair';
import { Supervisor, type SupervisorEvent } from './supervisor';

/** A service: READY=1 at once (or never), exits `exitCode` after `lifeMs` (0: runs until SIGTERM). */
function program(o: { ready?: boolean; exitCode?: number; lifeMs?: number } = {}): string {
  const dgram = JSON.stringify(path.join(repoRoot(), 'node_modules', 'unix-dgram'));
  return `const u = require(${dgram}); const s = u.createSocket('unix_dgram');
${o.ready ?? true ? "const b = Buffer.from('READY=1'); s.send(b, 0, b.length, process.env.NOTIFY_SOCKET, () => undefined);" : ''}
setInterval(() => undefined, 1000); process.on('SIGTERM', () => process.exit(0));
${o.lifeMs ? `setTimeout(() => process.exit(${o.exitCode ?? 1}), ${o.lifeMs});` : ''}`;
}

function spawnNode(source: string, env: NodeJS.ProcessEnv): SimProcess {
  const child = spawn(process.execPath, ['-e', source], { env: { ...process.env, ...env }, stdio: 'ignore' });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child, pid: child.pid ?? -1, logFile: '-', exited,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function rig(t: { teardown(fn: () => unknown): void }): { dir: string; events: SupervisorEvent[]; sup: Supervisor; states: (unit: string) => string[] } {
  const dir = mkdtempSync('/tmp/lbos-supervisor-');
  const events: SupervisorEvent[] = [];
  const sup = new Supervisor({ dir, restartMs: 200, startTimeoutMs: 5000, onEvent: (e) => events.push(e) });
  t.teardown(async () => {
    await sup.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });
  const states = (unit: string): string[] => events.flatMap((e) => (e.kind === 'state' && e.unit === unit ? [`${e.status.active}/${e.status.sub}`] : []))
    .filter((s, i, a) => s !== a[i - 1]);
  return { dir, events, sup, states };
}

test('start waits for READY=1; kill -9: ExecStopPost, auto-restart after RestartSec with a new MainPID in the pid file, NRestarts 1', async (t) => {
  const { sup, states, events } = rig(t);
  let posts = 0;
  sup.add({ name: 'a.service', start: (env) => spawnNode(program(), env), stopPost: { run: async () => void (posts += 1), done: 'cleaned' } });
  await sup.start('a.service');
  t.deepEqual(states('a.service'), ['activating/start', 'active/running']);
  const first = sup.status('a.service').mainPid;
  t.is(Number(readFileSync(sup.pidFile('a.service'), 'utf8')), first);
  process.kill(first, 'SIGKILL');
  await waitFor('restarted', () => sup.status('a.service').active === 'active' && sup.status('a.service').mainPid !== first, 10_000);
  const second = sup.status('a.service');
  t.is(second.restarts, 1);
  t.is(Number(readFileSync(sup.pidFile('a.service'), 'utf8')), second.mainPid);
  t.is(posts, 1);
  t.deepEqual(states('a.service'), ['activating/start', 'active/running', 'deactivating/stop-post', 'activating/auto-restart', 'activating/start', 'active/running']);
  const exit = events.find((e) => e.kind === 'exited');
  t.like(exit, { kind: 'exited', pid: first, result: { signal: 'SIGKILL' }, expected: false, stopPost: 'cleaned', restartInMs: 200 });
  t.like(events.filter((e) => e.kind === 'started').pop(), { pid: second.mainPid, cause: 'auto-restart' });
});

test('restart (RestartUnit): SIGTERM, inactive in between, a new pid; NRestarts counts automatic restarts only', async (t) => {
  const { sup, states } = rig(t);
  sup.add({ name: 'b.service', start: (env) => spawnNode(program(), env) });
  await sup.start('b.service');
  const first = sup.status('b.service').mainPid;
  await sup.restart('b.service');
  t.not(sup.status('b.service').mainPid, first);
  t.is(sup.status('b.service').restarts, 0);
  t.deepEqual(states('b.service'), ['activating/start', 'active/running', 'deactivating/stop-sigterm', 'inactive/dead', 'activating/start', 'active/running']);
  await sup.stop('b.service');
  t.false(existsSync(sup.pidFile('b.service')), 'no pid file without a process');
});

test('exit 78 (bad config) before READY: start rejects, failed, not restarted', async (t) => {
  const { sup, states } = rig(t);
  sup.add({ name: 'c.service', start: (env) => spawnNode(program({ ready: false, exitCode: 78, lifeMs: 50 }), env) });
  await t.throwsAsync(sup.start('c.service'), { message: /c\.service exited with code 78 \(status=78\/CONFIG\) before it was ready/ });
  await waitFor('failed', () => sup.status('c.service').active === 'failed', 5000);
  t.deepEqual(states('c.service'), ['activating/start', 'failed/failed']);
});

test('stop while an exit is being handled waits for its ExecStopPost (Ctrl-C reaches the services too)', async (t) => {
  const { sup, states } = rig(t);
  let release: () => void = () => undefined;
  const post = new Promise<void>((r) => (release = r));
  sup.add({ name: 'd.service', start: (env) => spawnNode(program(), env), stopPost: { run: () => post, done: 'post' } });
  await sup.start('d.service');
  process.kill(sup.status('d.service').mainPid, 'SIGTERM'); // a clean exit: no restart
  await waitFor('in stop-post', () => sup.status('d.service').sub === 'stop-post', 5000);
  let released = false;
  const stopping = sup.stop('d.service').then(() => released);
  // A stop that did not wait would finish in microtasks, before this check-phase callback runs.
  setImmediate(() => {
    released = true;
    release();
  });
  t.true(await stopping, 'stop returned while ExecStopPost still ran');
  t.deepEqual(states('d.service').slice(-2), ['deactivating/stop-post', 'inactive/dead']);
});
