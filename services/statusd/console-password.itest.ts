/**
 * Who may read or reset the web admin password over D-Bus, with the bus
 * policy we ship (rootfs/.../com.lbos.conf) on a real dbus-daemon: root and
 * the console's `setup` user may; a member of group appliance (statusd's
 * own group, operators' tools) may call statusd's other methods but not
 * these two; anybody else may only read properties. The accounts the policy
 * names are made for the test when this machine has none (and removed).
 */
import test from 'ava';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startPrivateBus } from '../../scripts/sim/bus';
import { POLICY_FILE } from '../../scripts/sim/pair';
import { run } from '../../scripts/sim/exec';
import { connectSystemBus, exportObject, ownName } from '../runtime/dbus';
import { STATUSD_NAMES } from './adapters/dbus-api';

const OPERATOR = 'lbos-test-operator';

async function exists(kind: 'passwd' | 'group', name: string): Promise<boolean> {
  return run('getent', [kind, name]).then(() => true, () => false);
}

async function idOf(name: string): Promise<{ uid: string; gid: string; groups: string }> {
  const [uid, gid, groups] = await Promise.all([['-u'], ['-g'], ['-G']].map(async (o) => (await run('id', [...o, name])).stdout.trim().split(' ').join(',')));
  return { uid: uid ?? '', gid: gid ?? '', groups: groups ?? '' };
}

test('bus policy: the web admin password methods for root and the console setup user only', async (t) => {
  const made: (() => Promise<unknown>)[] = [];
  t.teardown(async () => {
    for (const undo of made.reverse()) await undo().catch(() => undefined);
  });
  if (!(await exists('group', 'appliance'))) {
    await run('groupadd', ['--system', 'appliance']);
    made.push(() => run('groupdel', ['appliance']));
  }
  for (const [user, extra] of [['setup', ['-G', 'appliance']], [OPERATOR, ['-G', 'appliance']]] as const) {
    if (await exists('passwd', user)) continue;
    await run('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', ...extra, user]);
    made.push(() => run('userdel', [user]));
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lbos-pwpolicy-'));
  chmodSync(dir, 0o755);
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  // Started after the accounts exist: dbus-daemon resolves the policy's names when it loads it.
  const bus = await startPrivateBus(dir, POLICY_FILE());
  t.teardown(() => void bus.child.kill('SIGKILL'));
  const owner = await connectSystemBus(bus.address);
  t.teardown(() => owner.disconnect());
  exportObject(owner, STATUSD_NAMES.path, {
    iface: STATUSD_NAMES.iface,
    properties: { AdminPassword: { signature: 's', initial: 'initial' } },
    methods: {
      Stats: { outSignature: 's', handler: () => '{}' },
      InitialPassword: { outSignature: 's', handler: () => 'abcd-efgh-jkmn-pqrs' },
      ResetAdminPassword: { outSignature: 's', handler: () => 'new2-new3-new4-new5' },
    },
  });
  await ownName(owner, STATUSD_NAMES.name);

  const env = { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: bus.address };
  const call = async (who: string | null, member: string): Promise<'ok' | 'denied'> => {
    const as = who === null ? [] : await idOf(who).then((i) => ['setpriv', `--reuid=${i.uid}`, `--regid=${i.gid}`, `--groups=${i.groups}`]);
    const argv = [...as, 'dbus-send', '--system', '--print-reply', `--dest=${STATUSD_NAMES.name}`, STATUSD_NAMES.path, `${STATUSD_NAMES.iface}.${member}`];
    return run(argv[0] ?? '', argv.slice(1), { env }).then(() => 'ok' as const, (err: unknown) => {
      if (/AccessDenied|rejected/.test(String(err))) return 'denied' as const;
      throw err;
    });
  };
  const table: [string | null, string, 'ok' | 'denied'][] = [
    [null, 'InitialPassword', 'ok'], [null, 'ResetAdminPassword', 'ok'],
    ['setup', 'InitialPassword', 'ok'], ['setup', 'ResetAdminPassword', 'ok'],
    [OPERATOR, 'Stats', 'ok'], [OPERATOR, 'InitialPassword', 'denied'], [OPERATOR, 'ResetAdminPassword', 'denied'],
    ['nobody', 'Stats', 'denied'], ['nobody', 'InitialPassword', 'denied'],
  ];
  for (const [who, member, want] of table) t.is(await call(who, member), want, `${who ?? 'root'} ${member}`);
});
