import test from 'ava';
import { parseGarpLine } from './garp-line';

const VIP = '198.18.0.100';
// Recorded on the simulation kit's br0 (keepalived 2.2.7, send_arp of resource-agents 4.12).
const KEEPALIVED =
  '1795304096.429984 0a:e6:60:e3:43:fd > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 198.18.0.100 (ff:ff:ff:ff:ff:ff) tell 198.18.0.100, length 28';
const SEND_ARP_REQ =
  '1795304055.614598 c6:73:38:e9:1e:38 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 198.18.0.100 tell 198.18.0.100, length 28';
const SEND_ARP_REPLY =
  '1795304055.864834 c6:73:38:e9:1e:38 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Reply 198.18.0.100 is-at c6:73:38:e9:1e:38, length 28';
const ORDINARY =
  '1795304055.900000 c6:73:38:e9:1e:38 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42: Request who-has 198.18.0.254 tell 198.18.0.2, length 28';

test('keepalived request with target MAC is a GARP', (t) => {
  const ev = parseGarpLine(KEEPALIVED, VIP);
  t.is(ev?.srcMac, '0a:e6:60:e3:43:fd');
  t.is(ev?.kind, 'request');
  t.true(Math.abs((ev?.tMs ?? 0) - 1795304096429.984) < 0.001);
});

test('send_arp request and reply forms are GARPs', (t) => {
  t.is(parseGarpLine(SEND_ARP_REQ, VIP)?.kind, 'request');
  t.is(parseGarpLine(SEND_ARP_REPLY, VIP)?.kind, 'reply');
});

test('an upper-case source MAC comes out lower case', (t) => {
  t.is(parseGarpLine(SEND_ARP_REPLY.replace('c6:73:38:e9:1e:38 >', 'C6:73:38:E9:1E:38 >'), VIP)?.srcMac, 'c6:73:38:e9:1e:38');
});

test('ordinary ARP, other addresses and noise are not', (t) => {
  t.is(parseGarpLine(ORDINARY, VIP), undefined);
  t.is(parseGarpLine(SEND_ARP_REQ, '198.18.0.101'), undefined);
  t.is(parseGarpLine('listening on br0, link-type EN10MB (Ethernet)', VIP), undefined);
  t.is(parseGarpLine('', VIP), undefined);
});
