/**
 * The setup wizard's answer checks: each returns the value or a short reason
 * the operator can act on. IPv4 only, as on the reference appliance; IPv6 and
 * more interfaces are configured later with nicctl or the web UI.
 */
import { familyOf, fromBigint, isV4NetworkOrBroadcast, netmaskToPrefix, networkOf, networkText, subnetContains, unusableReason, type Cidr } from '../../runtime/netconf/ip';
import { canonicalIp } from '../../runtime/netconf/ip';

export type Answer<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Answer<T> => ({ ok: true, value });
const no = <T>(reason: string): Answer<T> => ({ ok: false, reason });

/** "192.168.67.23/18" or "192.168.67.23/255.255.192.0". */
export function checkAddress(text: string): Answer<Cidr> {
  const t = text.trim();
  if (t === '') return no('an address is required, e.g. 192.168.2.21/24');
  const [addr = '', mask, extra] = t.split('/');
  if (extra !== undefined) return no(`"${t}" has more than one "/"`);
  const family = familyOf(addr);
  if (family === 6) return no('enter an IPv4 address here; IPv6 addresses can be added later with nicctl or the web UI');
  if (family !== 4) return no(`"${addr}" is not an IPv4 address (four numbers 0-255 separated by dots)`);
  if (mask === undefined || mask === '') return no(`add the prefix length or netmask, e.g. ${addr}/24 or ${addr}/255.255.255.0`);
  const prefix = /^\d{1,2}$/.test(mask) ? Number(mask) : netmaskToPrefix(mask);
  if (prefix === null) return no(`"${mask}" is neither a prefix length (1-30) nor a netmask like 255.255.255.0`);
  if (prefix < 1 || prefix > 30) return no(`the prefix length must be between 1 and 30 (there must be room for a gateway), not ${prefix}`);
  const c: Cidr = { address: canonicalIp(addr), prefix, family: 4 };
  const why = unusableReason(c.address);
  if (why !== null) return no(`${c.address} ${why}`);
  if (isV4NetworkOrBroadcast(c)) return no(`${c.address} is the network or broadcast address of ${networkText(c)}; choose a host address`);
  return ok(c);
}

/** The default gateway: an IPv4 host in the subnet of `address`. */
export function checkGateway(text: string, address: Cidr): Answer<string> {
  const t = text.trim();
  if (t === '') return no(`a default gateway is required, e.g. ${exampleGateway(address)}`);
  if (familyOf(t) !== 4) return no(`"${t}" is not an IPv4 address`);
  const gw = canonicalIp(t);
  if (gw === address.address) return no(`${gw} is the appliance's own address; enter the router's address`);
  if (!subnetContains(address, gw)) return no(`${gw} is not in ${networkText(address)}, the subnet of ${address.address}/${address.prefix}`);
  if (isV4NetworkOrBroadcast({ ...address, address: gw })) return no(`${gw} is the network or broadcast address of ${networkText(address)}`);
  return ok(gw);
}

/** A DNS server: IPv4 or IPv6; blank allowed when optional. */
export function checkDns(text: string, optional: boolean, other?: string): Answer<string | null> {
  const t = text.trim();
  if (t === '') return optional ? ok(null) : no('a DNS server is required, e.g. 192.168.2.1');
  if (familyOf(t) === null) return no(`"${t}" is not an IP address`);
  const a = canonicalIp(t);
  if (a === other) return no(`${a} is already the primary DNS server; leave this blank to have only one`);
  return ok(a);
}

/** The first host of the subnet: a plausible gateway to show as an example. */
export function exampleGateway(address: Cidr): string {
  return fromBigint(networkOf(address) + 1n, 4);
}
