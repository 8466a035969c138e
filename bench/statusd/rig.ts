/**
 * The benchmark's statusd: a real statusd process in the root namespace on
 * 127.0.0.1, its bus a private dbus-daemon with the appliance's policy, and
 * a stand-in hbd on that bus (hbd's own D-Bus export) that the benchmark
 * drives: every state change is a real PropertiesChanged, as in production.
 * No test hook in statusd is involved.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { repoRoot } from '../../services/runtime/cli';
import { callMember, connectSystemBus, getServiceProxy, ownName, type ExportedObject, type MessageBus } from '../../services/runtime/dbus';
import { exportHbd, HBD_NAMES, type HbdProperties } from '../../services/hbd/adapters/dbus-api';
import { startPrivateBus, type PrivateBus } from '../../scripts/sim/bus';
import { POLICY_FILE } from '../../scripts/sim/pair';
import { waitFor } from '../../scripts/sim/exec';
import { changeInitialPassword } from '../../services/statusd/testing/harness';

const BENCH_PASSWORD = 'bench password 1';

export const INITIAL_HBD: HbdProperties = {
  Node: 'lb1', Peer: 'lb2', Role: 'master', State: 'active', PeerStatus: 'up', PeerState: 'standby',
  Links: [['ucast:eth1:10.0.0.2', 'ucast', 'up', 0n, 0n, 0n]], Drops: {}, Resources: [['IPaddr::192.0.2.100/24/eth0', 'held', '']],
  PingReachable: 1, Healthy: true, Generation: 1,
};

export interface Rig {
  dir: string;
  base: string;
  pid: number;
  password: string;
  hbd: ExportedObject;
  stats(): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export async function startRig(extraConf: string[] = []): Promise<Rig> {
  const dir = mkdtempSync('/tmp/statusd-bench-');
  let bus: PrivateBus | null = null;
  let child: ChildProcess | null = null;
  const conns: MessageBus[] = [];
  // If the benchmark dies, statusd and its bus must not outlive it.
  const onExit = (): void => {
    child?.kill('SIGKILL');
    bus?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const stop = async (): Promise<void> => {
    process.removeListener('exit', onExit);
    if (child !== null && child.exitCode === null) {
      const c = child;
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      const t = setTimeout(() => c.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(t);
    }
    conns.forEach((c) => c.disconnect());
    bus?.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    bus = await startPrivateBus(dir, POLICY_FILE());
    const side = await connectSystemBus(bus.address);
    conns.push(side);
    const hbd = exportHbd(side, INITIAL_HBD, { standby: () => undefined, takeover: () => undefined, statusJson: () => '{}' });
    await ownName(side, HBD_NAMES.name);
    const port = await freePort();
    const conf = path.join(dir, 'statusd.conf');
    writeFileSync(conf, ['listen 127.0.0.1', `https_port ${port}`, 'http_port 0', 'sources hbd', 'units', ...extraConf, ''].join('\n'));
    const main = path.join(repoRoot(), 'dist', 'services', 'statusd', 'main.js');
    // The fd limit for 1,000+ sockets, raised for statusd alone.
    // BENCH_STATUSD_NODE_ARGS: e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile statusd under load.
    const nodeArgs = (process.env.BENCH_STATUSD_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
    child = spawn('/bin/sh', ['-c', 'ulimit -n 16384 2>/dev/null || ulimit -n 4096; exec "$0" "$@"', process.execPath, ...nodeArgs, main, '-c', conf, '--state-dir', path.join(dir, 'state')], {
      env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: bus.address, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const probe = await connectSystemBus(bus.address);
    conns.push(probe);
    await waitFor(`statusd on the bus (${out.slice(-500)})`, async () => child?.exitCode === null && (await getServiceProxy(probe, 'statusd').then(() => true, () => false)), 20_000, 100);
    const statusd = await getServiceProxy(probe, 'statusd');
    const base = `https://127.0.0.1:${port}`;
    // The first login changes the unit's initial password, as a person's does (the feed needs that).
    await changeInitialPassword(base, readFileSync(path.join(dir, 'state', 'initial-password'), 'utf8').trim(), BENCH_PASSWORD);
    return {
      dir, pid: child.pid ?? -1, base, hbd,
      password: BENCH_PASSWORD,
      stats: async () => JSON.parse(String(await callMember(statusd.iface, 'Stats'))) as Record<string, unknown>,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
