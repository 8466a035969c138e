/**
 * Pairing two factory-fresh simulated units with `hactl pair` (real paird,
 * statusd, hbd and csyncd in network namespaces; the peer reached over
 * HTTPS with its certificate pinned): the refusals first (wrong fingerprint,
 * wrong password, a floating IP that is a unit's address), each leaving both
 * units unpaired; then the pairing itself, every step printed, the files
 * written on both units, hbd hearing the peer on every medium (ucast on two
 * networks and the serial cable), csyncd reaching the peer, the floating IP
 * on one unit; then a second pairing refused (already paired), and unpair
 * from one unit undoing both (a wrong password for the peer changes nothing).
 */
import test from 'ava';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { callMember, connectSystemBus, getServiceProxy } from '../runtime/dbus';
import { run, waitFor } from '../../scripts/sim/exec';
import { PING_NODE, VIP } from '../../scripts/sim/pair';
import { ADMIN_PASSWORD, UnpairedPair } from '../../scripts/sim/unpaired-pair';

test('hactl pair: refusals leave both units unpaired; then pair, hear each other on every medium, unpair', async (t) => {
  const kit = await UnpairedPair.start();
  t.teardown(() => kit.stop());
  const [a, b] = kit.units;
  const pwFile = path.join(a.unit.dir, 'peer-password');
  writeFileSync(pwFile, `${ADMIN_PASSWORD}\n`, { mode: 0o600 });
  const bad = path.join(a.unit.dir, 'bad-password');
  writeFileSync(bad, 'not the password\n', { mode: 0o600 });
  const base = ['pair', b.unit.lanIp, '--vip', VIP, '--ping-node', PING_NODE];
  const unpaired = (): void => {
    for (const u of kit.units) {
      t.false(existsSync(path.join(u.haDir, 'ha.cf')), `${u.unit.name}: no ha.cf`);
      t.false(existsSync(u.csyncdCfg), `${u.unit.name}: no csyncd.cfg`);
    }
  };
  try {
    // A fingerprint not confirmed: nothing is sent to the peer.
    const no = await kit.hactl(0, [...base, '--password-file', pwFile], 'no\n');
    t.is(no.code, 2, no.stderr);
    t.regex(no.stdout, new RegExp(`fingerprint\\n  ${b.fingerprint}`));
    t.regex(no.stderr, /not confirmed; nothing was sent/);
    const wrongFp = await kit.hactl(0, [...base, '--password-file', pwFile, '--fingerprint', a.fingerprint]);
    t.is(wrongFp.code, 2);
    t.regex(wrongFp.stderr, /man in the middle; nothing was sent/);
    t.false(readFileSync(path.join(kit.pair.dir, `${b.unit.name}-statusd.log`), 'utf8').includes('"audit":"login"'), 'the peer saw no login');
    // The wrong password; a floating IP that is the peer's address.
    const wrongPw = await kit.hactl(0, [...base, '--password-file', bad], 'yes\n');
    t.is(wrongPw.code, 2, wrongPw.stderr);
    t.regex(wrongPw.stderr, /PEER_BAD_PASSWORD.*wrong password/);
    const conflict = await kit.hactl(0, ['pair', b.unit.lanIp, '--vip', b.unit.lanIp, '--password-file', pwFile, '--fingerprint', b.fingerprint]);
    t.is(conflict.code, 2, conflict.stderr);
    t.regex(conflict.stderr, new RegExp(`VIP_CONFLICT.*${b.unit.lanIp.replace(/\./g, '\\.')} is u2's eth0 address`));
    unpaired();

    // The pairing: confirmed by typing yes, as with ssh.
    const started = Date.now();
    const ok = await kit.hactl(0, [...base, '--password-file', pwFile], 'yes\n');
    t.log(`hactl pair: ${((Date.now() - started) / 1000).toFixed(1)} s\n${ok.stdout}`);
    t.is(ok.code, 0, `${ok.stdout}\n${ok.stderr}`);
    for (const title of ['Connect', 'Log in to the peer', 'Check both units', 'Exchange the configuration sync keys', 'Write the HA and sync settings', 'hears the other on every medium']) {
      t.regex(ok.stdout, new RegExp(`\\[ ok \\] [^\\n]*${title}`), title);
    }
    t.regex(ok.stdout, /u1 \+ u2; ucast eth0, ucast eth1, serial .*; ping node 198\.18\.0\.254; floating IPs 198\.18\.0\.100/);
    // Both units: the same HA settings (but the serial device), one shared secret, csyncd pointed at each other.
    const haCf = kit.units.map((u) => readFileSync(path.join(u.haDir, 'ha.cf'), 'utf8').replace(/^serial .*$/m, 'serial X'));
    t.is(haCf[0], haCf[1]);
    const keys = kit.units.map((u) => readFileSync(path.join(u.haDir, 'authkeys'), 'utf8'));
    t.is(keys[0], keys[1]);
    t.regex(keys[0] ?? '', /^auth 1\n1 sha256 [0-9a-f]{64}\n$/);
    t.is(statSync(path.join(a.haDir, 'authkeys')).mode & 0o777, 0o600);
    t.regex(readFileSync(a.csyncdCfg, 'utf8'), new RegExp(`LOCAL_IP=${a.unit.lanIp}\\nREMOTE_IP=${b.unit.lanIp}\\nLOCAL_NODE=1`));
    t.regex(readFileSync(b.csyncdCfg, 'utf8'), new RegExp(`LOCAL_IP=${b.unit.lanIp}\\nREMOTE_IP=${a.unit.lanIp}\\nLOCAL_NODE=2`));
    t.true(readFileSync(path.join(b.csyncdDir, 'csyncd_authorized'), 'utf8').includes(readFileSync(path.join(a.csyncdDir, 'user_key.pub'), 'utf8').split(' ')[1] ?? 'x'), "u1's user key pinned on u2");
    // hbd on both hears the other on every link; the floating IP comes up on one unit.
    for (const u of kit.units) {
      const bus = await connectSystemBus(u.unit.busAddress);
      t.teardown(() => bus.disconnect());
      const hbd = await getServiceProxy(bus, 'hbd');
      const links = (await hbd.getAll()).Links as unknown[][];
      // ucast on eth0 (IPv4 and IPv6: both units have an address in each subnet) and eth1, and the serial cable.
      t.deepEqual(links.map((l) => String(l[0]).replace(/:[^:]*$|:.*$/, '')).sort(), ['serial', 'ucast', 'ucast', 'ucast'], `${u.unit.name}: links ${JSON.stringify(links.map((l) => l[0]))}`);
      t.true(links.every((l) => l[2] === 'up'), `${u.unit.name}: every medium up`);
      t.truthy(JSON.parse(String(await callMember(hbd.iface, 'Status'))));
    }
    const status = await kit.hactl(0, ['status']);
    t.regex(status.stdout, /u2/);
    // initdead is 30 s by default: the resources come after it.
    await waitFor('the floating IP on one unit', async () => {
      const held = await Promise.all(kit.units.map(async (u) => (await run('ip', ['-n', u.unit.ns, '-o', 'addr', 'show', 'eth0'])).stdout.includes(` ${VIP}/`)));
      return held.filter((h) => h).length === 1;
    }, 60_000, 250);

    // Paired: a second pairing is refused with the reason.
    const again = await kit.hactl(0, [...base, '--password-file', pwFile, '--fingerprint', b.fingerprint]);
    t.is(again.code, 2);
    t.regex(again.stderr, /ALREADY_PAIRED.*unpair it first/);
    // Unpair from one unit: the peer (reached as kept at pairing) and this one; a wrong password changes nothing.
    const refusedUnpair = await kit.hactl(0, ['unpair', '--password-file', bad]);
    t.is(refusedUnpair.code, 2, refusedUnpair.stderr);
    t.regex(refusedUnpair.stderr, /unpair refused \(PEER_BAD_PASSWORD\).*\n.*--local-only/);
    for (const u of kit.units) t.true(existsSync(path.join(u.haDir, 'ha.cf')), `${u.unit.name} still paired`);
    const un = await kit.hactl(0, ['unpair', '--password-file', pwFile]);
    t.is(un.code, 0, un.stderr);
    t.regex(un.stdout, new RegExp(`unpaired the peer \\(${b.unit.lanIp.replace(/\./g, '\\.')}\\): hbd and csyncd stopped; moved aside .*ha\\.cf.*peer\\.json\nunpaired this unit: hbd and csyncd stopped; moved aside .*ha\\.cf.*peer\\.json`));
    for (const k of [0, 1] as const) {
      await waitFor(`${kit.units[k].unit.name}: hbd stopped`, () => kit.units[k].systemd.supervisor.status('hbd.service').active === 'inactive', 15_000, 100);
    }
    const again2 = await kit.hactl(1, ['unpair', '--password-file', pwFile]);
    t.is(again2.code, 2, 'nothing left to unpair from the peer');
    t.regex(again2.stderr, /NO_PEER_KNOWN/);
    unpaired();
    await waitFor('the floating IP released', async () => !(await run('ip', ['-n', a.unit.ns, '-o', 'addr', 'show', 'eth0'])).stdout.includes(` ${VIP}/`) && !(await run('ip', ['-n', b.unit.ns, '-o', 'addr', 'show', 'eth0'])).stdout.includes(` ${VIP}/`), 15_000, 100);
  } catch (err) {
    t.log(kit.logs());
    throw err;
  }
});
