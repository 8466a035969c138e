import test from 'ava';
import { alertsOf } from './alerts';
import { bannerText, issueEscape } from './banner';
import { healthy, withHa, withNet } from '../testing/inputs';
import type { PanelInput } from './panel-input';

const banner = (i: PanelInput): string => bannerText(i, alertsOf(i));

test('active master with an IPv4 address', (t) => {
  t.is(banner(healthy()), [
    'LBOS 1.2.0 - load-balancer appliance (lb1)',
    '',
    '  Management:    eth0 192.168.2.21/24',
    '  Web UI:        https://192.168.2.21:9443/',
    '  HA:            master active, peer lb2 up',
    '  Config sync:   green',
    '',
    '  Console setup (network, web password, reboot, factory reset): log in as "setup"',
    '',
    '',
  ].join('\n'));
});

test('floating IPs are listed apart, not as management addresses', (t) => {
  const b = banner(withNet({ addresses: ['192.168.2.21/24', '192.168.2.100/24'] }));
  t.true(b.includes('  Management:    eth0 192.168.2.21/24\n  Floating IPs:  192.168.2.100/24 (held by this unit)\n  Web UI:        https://192.168.2.21:9443/\n  HA:'));
});

test('IPv6: bracketed URL, link-local left out of the URLs', (t) => {
  const b = banner(withNet({ addresses: ['192.168.2.21/24', '2001:db8:2::21/64', 'fe80::5054:ff:fe12:3456/64'] }));
  t.true(b.includes('  Management:    eth0 192.168.2.21/24, 2001:db8:2::21/64, fe80::5054:ff:fe12:3456/64\n'));
  t.true(b.includes('  Web UI:        https://192.168.2.21:9443/\n                 https://[2001:db8:2::21]:9443/\n'));
  t.false(b.includes('https://[fe80'));
});

test('no address yet: says so and points at network setup', (t) => {
  const b = banner(withNet({ addresses: [] }));
  t.true(b.includes('  Management:    eth0: no address yet\n'));
  t.true(b.includes('  Web UI:        not reachable yet (no address): set one up as below\n'));
  t.true(b.includes('log in as "setup"'));
});

test('standby slave, hbd down, nicd down, alerts listed', (t) => {
  t.true(banner(withHa({ role: 'slave', state: 'passive' })).includes('  HA:            slave standby, peer lb2 up\n'));
  const down = banner(withNet({ running: false }, withHa({ running: false })));
  t.true(down.includes('  HA:            not running\n'));
  t.true(down.includes('  Management:    unknown (the network service nicd is not running)\n'));
  t.true(down.includes('  Alerts:        HA service down (hbd is not running); NET service down (nicd is not running)\n'));
});

test('agetty escapes: backslashes doubled', (t) => {
  t.is(issueEscape('a\\nb'), 'a\\\\nb');
  t.true(issueEscape(banner(healthy({ hostname: 'lb\\n1' }))).includes('(lb\\\\n1)'));
});

test('web UI login: the initial password until it is changed, then how to reset it; none without statusd', (t) => {
  const line = (web: PanelInput['web']): string | undefined => banner(healthy({ web })).split('\n').find((l) => l.startsWith('  Web UI login:'));
  const table: [PanelInput['web'], string | undefined][] = [
    [{ kind: 'unknown' }, undefined],
    [{ kind: 'initial', password: 'abcd-efgh-jkmn-pqrs' }, '  Web UI login:  admin / abcd-efgh-jkmn-pqrs  (initial password: you will be asked to change it)'],
    [{ kind: 'initial-hidden' }, '  Web UI login:  admin / (on the console)  (initial password: you will be asked to change it)'],
    [{ kind: 'initial-unread' }, '  Web UI login:  admin / (the initial password could not be read from statusd yet)'],
    [{ kind: 'changed' }, '  Web UI login:  admin, password changed by the administrator (to reset it: log in here as "setup")'],
  ];
  for (const [web, want] of table) t.is(line(web), want, web.kind);
  // Right below the URLs.
  t.true(banner(healthy({ web: { kind: 'changed' } })).includes('  Web UI:        https://192.168.2.21:9443/\n  Web UI login:  admin, password changed'));
});

test('a unit never paired: no HA or sync alert, the banner says how to pair; paird absent: alerts as before', (t) => {
  const fresh: PanelInput = { ...withHa({ running: false }), sync: { running: false, status: 'unknown', reason: '' }, paired: false };
  t.deepEqual(alertsOf(fresh), []);
  const text = banner(fresh);
  t.regex(text, /^ {2}HA: +not paired \(pair it on the web UI's HA page, or: hactl pair PEER --vip ADDRESS\)$/m);
  t.regex(text, /^ {2}Config sync: +not paired$/m);
  t.notRegex(text, /Alerts:/);
  const noPaird: PanelInput = { ...fresh, paired: null };
  t.deepEqual(alertsOf(noPaird).map((a) => a.title), ['HA service down', 'SYNC service down']);
  t.deepEqual(alertsOf({ ...fresh, paired: true }).map((a) => a.title), ['HA service down', 'SYNC service down'], 'paired: hbd and csyncd must run');
});
