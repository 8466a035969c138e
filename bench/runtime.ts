/**
 * Foundation figures: how long the simulation kit takes to build and remove a
 * pair (every integration test and benchmark pays it), and D-Bus latency of a
 * method call and of a PropertiesChanged signal on a private dbus-daemon.
 */
import { performance } from 'node:perf_hooks';
import { SimPair } from '../scripts/sim/pair';
import { busNamesOf, callMember, connectSystemBus, exportObject, getServiceProxy, ownName } from '../services/runtime/dbus';
import { summarize, type Benchmark, type BenchRow } from './lib/types';

const PAIRS = 5;
const CALLS = 500;

async function pairTimes(): Promise<BenchRow[]> {
  const up: number[] = [];
  const down: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const t0 = performance.now();
    const pair = await SimPair.create();
    const t1 = performance.now();
    pair.teardown();
    up.push(t1 - t0);
    down.push(performance.now() - t1);
  }
  return [
    { metric: 'simulated pair setup', system: 'simkit', setting: '3 netns, 3 veth, socat, 2 dbus-daemon', unit: 'ms', ...summarize(up) },
    { metric: 'simulated pair teardown', system: 'simkit', setting: 'same', unit: 'ms', ...summarize(down) },
  ];
}

async function dbusTimes(): Promise<BenchRow[]> {
  const pair = await SimPair.create({ serial: false });
  try {
    process.env.DBUS_SYSTEM_BUS_ADDRESS = pair.units[0].busAddress;
    const server = await connectSystemBus();
    const names = busNamesOf('benchsvc');
    let counter = 0;
    const obj = exportObject(server, names.path, {
      iface: names.iface,
      properties: { Counter: { signature: 'u', initial: 0 } },
      methods: { Ping: { inSignature: 'u', outSignature: 'u', handler: (x: number) => x } },
    });
    await ownName(server, names.name);
    const clientBus = await connectSystemBus();
    const client = await getServiceProxy(clientBus, 'benchsvc');
    const call: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const t0 = performance.now();
      await callMember(client.iface, 'Ping', i);
      call.push((performance.now() - t0) * 1000);
    }
    const signal: number[] = [];
    let pending: (() => void) | null = null;
    client.onChanged(() => pending?.());
    await new Promise((r) => setTimeout(r, 50));
    for (let i = 0; i < CALLS; i++) {
      const t0 = performance.now();
      await new Promise<void>((resolve) => {
        pending = resolve;
        obj.update({ Counter: ++counter });
      });
      signal.push((performance.now() - t0) * 1000);
    }
    server.disconnect();
    clientBus.disconnect();
    return [
      { metric: 'D-Bus method call round trip', system: 'dbus-next + dbus-daemon', setting: 'private bus, 1 u32', unit: 'µs', ...summarize(call) },
      { metric: 'PropertiesChanged delivery', system: 'dbus-next + dbus-daemon', setting: 'private bus, 1 property', unit: 'µs', ...summarize(signal) },
    ];
  } finally {
    pair.teardown();
  }
}

export const runtimeBench: Benchmark = {
  name: 'runtime',
  title: 'Foundation: simulation kit and D-Bus latency',
  run: async (log) => {
    log(`pair setup/teardown x${PAIRS}`);
    const rows = await pairTimes();
    log(`D-Bus call and signal x${CALLS}`);
    return [...rows, ...(await dbusTimes())];
  },
};
