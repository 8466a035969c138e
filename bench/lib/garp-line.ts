/**
 * Decoder for one line of `tcpdump -l -tt -n -e arp`: is it a gratuitous ARP
 * for a given address, sent when and from which MAC? Pure, never throws.
 *
 * Gratuitous ARP comes in two forms on the wire (RFC 5227 §3, RFC 5944 §4.6):
 *   request  "Request who-has VIP [(ff:..)] tell VIP"   keepalived, arping -U, send_arp
 *   reply    "Reply VIP is-at MAC"                      send_arp alternates both
 * A reply about the VIP is gratuitous here because nothing on the benchmark
 * LAN ever asks for the VIP.
 */

/** One gratuitous ARP seen on the LAN bridge. */
export interface GarpEvent {
  /** Capture time, wall-clock milliseconds (tcpdump -tt, CLOCK_REALTIME). */
  tMs: number;
  /** Ethernet source address, lower case. */
  srcMac: string;
  kind: 'request' | 'reply';
}

const HEAD = /^(\d+)\.(\d{6}) ([0-9a-f]{2}(?::[0-9a-f]{2}){5}) > /i;
const REQUEST = /: Request who-has (\S+) (?:\([^)]*\) )?tell (\S+),/;
const REPLY = /: Reply (\S+) is-at ([0-9a-f:]+),/i;

/** The gratuitous ARP for `vip` in `line`, or undefined for anything else. */
export function parseGarpLine(line: string, vip: string): GarpEvent | undefined {
  const head = HEAD.exec(line);
  if (head === null) return undefined;
  const tMs = Number(head[1]) * 1000 + Number(head[2]) / 1000;
  const srcMac = (head[3] ?? '').toLowerCase();
  const req = REQUEST.exec(line);
  if (req !== null) return req[1] === vip && req[2] === vip ? { tMs, srcMac, kind: 'request' } : undefined;
  const rep = REPLY.exec(line);
  if (rep !== null) return rep[1] === vip ? { tMs, srcMac, kind: 'reply' } : undefined;
  return undefined;
}
