import test from 'ava';
import { decodeSettings, editHaCf, readSettings } from './heartbeat-settings';

const HA_CF = `# written by pairing
keepalive 1
warntime 5
deadtime 10
initdead 30
udpport 694
ucast eth0 192.168.2.22
ucast eth0 192.168.2.21
baud 19200
serial /dev/ttyS1
ping 192.168.2.254
auto_failback off
node lbmaster
node lbslave
`;

test('read what ha.cf says; edit only those lines, the rest as it was', (t) => {
  t.deepEqual(readSettings(HA_CF), { keepalive: '1', warntime: '5', deadtime: '10', initdead: '30', pingNode: '192.168.2.254', serial: true });
  const edited = editHaCf(HA_CF, { keepalive: '500ms', warntime: '2', deadtime: '4', initdead: '30', pingNode: '192.168.2.1', serial: false }, '/dev/ttyS1');
  t.is(edited, HA_CF.replace('keepalive 1', 'keepalive 500ms').replace('warntime 5', 'warntime 2').replace('deadtime 10', 'deadtime 4')
    .replace('baud 19200\nserial /dev/ttyS1\n', '').replace('ping 192.168.2.254', 'ping 192.168.2.1'));
  t.deepEqual(readSettings(edited), { keepalive: '500ms', warntime: '2', deadtime: '4', initdead: '30', pingNode: '192.168.2.1', serial: false });
  // Serial back on, no ping node: the serial lines go before the node lines.
  const back = editHaCf(edited, { ...readSettings(edited), serial: true, pingNode: null }, '/dev/ttyS1');
  t.regex(back, /auto_failback off\nbaud 19200\nserial \/dev\/ttyS1\nnode lbmaster\nnode lbslave\n$/);
  t.notRegex(back, /^ping/m);
  t.is(editHaCf(HA_CF, readSettings(HA_CF), '/dev/ttyS1'), HA_CF, 'the same settings: the same file');
});

test('the form is outside input: times, a ping address or null, serial a boolean', (t) => {
  const good = { keepalive: '1', warntime: '5', deadtime: '10', initdead: '30', pingNode: null, serial: true };
  t.true(decodeSettings(good).ok);
  for (const [bad, why] of [[{ ...good, deadtime: '10 s' }, /deadtime/], [{ ...good, keepalive: '-1' }, /keepalive/], [{ ...good, pingNode: 'gateway' }, /pingNode/],
    [{ ...good, serial: 'yes' }, /serial/], [{ ...good, initdead: '1\nnode evil' }, /initdead/], [null, /expected/]] as const) {
    const r = decodeSettings(bad);
    t.false(r.ok);
    if (!r.ok) t.regex(r.message, why);
  }
});
