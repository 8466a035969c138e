/**
 * The HW=real NIC path (ports moved into namespaces of their own for the
 * traffic test, ports brought up by the link check), on veth ports that sit
 * in a namespace standing in for the unit's root namespace.
 */
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { runSync } from '../../scripts/sim/exec';
import { cleanLeftovers, destroyRecord, saveRecord, SIM_PREFIX, type SimRecord } from '../../scripts/sim/registry';
import { linkCheck, trafficCheck } from '../checks/nic';
import { UnitRig } from '../rig/unit-rig';
import { netHost } from './net-host';

function homeNamespace(): { ns: string; rec: SimRecord } {
  cleanLeftovers();
  const id = randomBytes(3).toString('hex');
  const ns = `${SIM_PREFIX}${id}-home`;
  const rec: SimRecord = { id, ownerPid: process.pid, dir: `/tmp/${SIM_PREFIX}${id}`, namespaces: [ns], pids: [] };
  saveRecord(rec);
  const ip = (...a: string[]): string => runSync('ip', a);
  ip('netns', 'add', ns);
  ip('-n', ns, 'link', 'add', 'eth2', 'type', 'veth', 'peer', 'name', 'eth3');
  ip('-n', ns, 'link', 'add', 'eth4', 'type', 'veth', 'peer', 'name', 'eth4peer');
  for (const dev of ['eth2', 'eth3', 'eth4peer']) ip('-n', ns, 'link', 'set', dev, 'up');
  return { ns, rec };
}

test('link check brings a down port up and waits for carrier; traffic runs with each port moved to its own namespace, removed afterwards', async (t) => {
  const home = homeNamespace();
  const unit = new UnitRig();
  t.teardown(() => {
    unit.teardown();
    destroyRecord(home.rec);
  });
  const made: string[] = [];
  const host = netHost({
    portNs: () => home.ns,
    mayBringUp: true,
    makeNamespace: async (p) => {
      const ns = await unit.makeNamespace(p);
      made.push(ns);
      return ns;
    },
    dropNamespace: (ns) => unit.dropNamespace(ns),
  });
  const link = await linkCheck({ name: 'eth4', speedMbps: 10000, line: 1 }, host).run(new AbortController().signal);
  t.like(link, { status: 'pass', measurements: { admin_up: true, carrier: true, speed_mbps: 10000 } });
  const missing = await linkCheck({ name: 'eth9', line: 2 }, host).run(new AbortController().signal);
  t.like(missing, { status: 'fail' });

  const cable = { a: 'eth2', b: 'eth3', packets: 50, bytes: 2 ** 20, maxLossPct: 0, minMbps: 1, line: 3 };
  const r = await trafficCheck(cable, 0, host).run(new AbortController().signal);
  t.like(r, { status: 'pass', measurements: { packets_received: 50, bytes_received: 2 ** 20 } });
  t.is(made.length, 2);
  const list = runSync('ip', ['netns', 'list']);
  for (const ns of made) t.false(list.includes(ns), `${ns} left behind`);
});
