/**
 * D-Bus round trip on a real private dbus-daemon that loads the policy file
 * we ship: properties, PropertiesChanged, methods, errors, and the policy
 * (non-root may read but not call).
 */
import test from 'ava';
import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startPrivateBus, type PrivateBus } from '../../scripts/sim/bus';
import { POLICY_FILE } from '../../scripts/sim/pair';
import { run } from '../../scripts/sim/exec';
import { AppError } from './errors';
import { busNamesOf, callMember, connectSystemBus, exportObject, getServiceProxy, ownName, type MessageBus } from './dbus';

let bus: PrivateBus;
let dir: string;
const opened: MessageBus[] = [];

test.before(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'lbos-dbus-'));
  chmodSync(dir, 0o755);
  bus = await startPrivateBus(dir, POLICY_FILE());
  process.env.DBUS_SYSTEM_BUS_ADDRESS = bus.address;
});

test.after.always(() => {
  opened.forEach((b) => b.disconnect());
  bus?.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function connect(): Promise<MessageBus> {
  const b = await connectSystemBus();
  opened.push(b);
  return b;
}

async function startDemoService(name: string): Promise<{ update(v: Record<string, unknown>): void; calls: string[] }> {
  const b = await connect();
  const names = busNamesOf(name);
  const calls: string[] = [];
  const obj = exportObject(b, names.path, {
    iface: names.iface,
    properties: { State: { signature: 's', initial: 'init' }, Counter: { signature: 'u', initial: 0 } },
    methods: {
      Poke: { inSignature: 's', outSignature: 's', handler: (who: string) => (calls.push(who), `poked by ${who}`) },
      Fail: { handler: () => { throw new AppError('NOT_ALLOWED', 'refused on purpose'); } },
    },
  });
  await ownName(b, names.name);
  return { update: (v) => obj.update(v), calls };
}

test('properties, PropertiesChanged and methods round-trip between two connections', async (t) => {
  const svc = await startDemoService('demoa');
  const client = await getServiceProxy(await connect(), 'demoa');
  t.deepEqual(await client.getAll(), { State: 'init', Counter: 0 });
  const changed = new Promise<Record<string, unknown>>((resolve) => client.onChanged(resolve));
  await new Promise((r) => setTimeout(r, 50)); // let the match rule reach the daemon
  svc.update({ State: 'active', Counter: 0 });
  t.deepEqual(await changed, { State: 'active' }, 'only the property that changed is signalled');
  t.is(await callMember(client.iface, 'Poke', 'root'), 'poked by root');
  t.deepEqual(svc.calls, ['root']);
});

test('a service error comes back to the caller with its stable code', async (t) => {
  await startDemoService('demob');
  const client = await getServiceProxy(await connect(), 'demob');
  const err = await t.throwsAsync(callMember(client.iface, 'Fail'));
  t.true(err instanceof AppError);
  t.is((err as AppError).code, 'NOT_ALLOWED');
  t.regex(err?.message ?? '', /refused on purpose/);
});

test('a second owner of the same name is refused (already running)', async (t) => {
  await startDemoService('democ');
  const err = await t.throwsAsync(ownName(await connect(), busNamesOf('democ').name));
  t.is((err as AppError).code, 'ALREADY_RUNNING');
});

test('policy: an unprivileged user may read properties but not call methods or own names', async (t) => {
  await startDemoService('demod');
  const env = { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: bus.address };
  const asNobody = ['--reuid=65534', '--regid=65534', '--clear-groups', 'dbus-send', '--system', '--print-reply'];
  const names = busNamesOf('demod');
  const read = await run('setpriv', [...asNobody, `--dest=${names.name}`, names.path, 'org.freedesktop.DBus.Properties.GetAll', `string:${names.iface}`], { env });
  t.regex(read.stdout, /State/);
  const call = await t.throwsAsync(run('setpriv', [...asNobody, `--dest=${names.name}`, names.path, `${names.iface}.Poke`, 'string:nobody'], { env }));
  t.regex(call?.message ?? '', /AccessDenied|rejected/);
});

test('a method named like a property is refused when the object is defined', async (t) => {
  const b = await connect();
  const err = t.throws(() => exportObject(b, '/com/lbos/Clash', { iface: 'com.lbos.Clash1', properties: { Status: { signature: 's', initial: '' } }, methods: { Status: { handler: () => '' } } }));
  t.is((err as AppError).code, 'BUS_SPEC_INVALID');
});

test('no bus at the configured address gives BUS_UNAVAILABLE', async (t) => {
  const saved = process.env.DBUS_SYSTEM_BUS_ADDRESS;
  process.env.DBUS_SYSTEM_BUS_ADDRESS = `unix:path=${path.join(dir, 'nothing-here.sock')}`;
  try {
    const err = await t.throwsAsync(connectSystemBus());
    t.is((err as AppError).code, 'BUS_UNAVAILABLE');
  } finally {
    process.env.DBUS_SYSTEM_BUS_ADDRESS = saved;
  }
});
