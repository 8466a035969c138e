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
    '  Network setup: log in as "setup" (or run setup-wizard as root)',
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
