/**
 * What one unit tells the other before pairing (paird's Offer(), the peer's
 * GET /api/pair/offer): its firmware, name, whether it is paired, its
 * addresses, gateway, heartbeat serial ports and csyncd's public keys.
 * An offer from the peer is outside input: decodeOffer checks every field
 * and never throws.
 */
import { parseHostCidr } from '../../runtime/netconf/directives';
import { parseIpAddress } from '../../runtime/config/values';

/** One network interface and its addresses (CIDR). */
export interface OfferInterface {
  name: string;
  addresses: string[];
}

export interface UnitOffer {
  version: string;
  /** The node name hbd would use (hostname, or --node). */
  node: string;
  /** Set when ha.cf exists: the peer's node name, else "?" */
  pairedWith: string | null;
  interfaces: OfferInterface[];
  gateway: string | null;
  /** Heartbeat serial ports present on this unit (e.g. /dev/ttyS1). */
  serialPorts: string[];
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; message: string };

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const IFNAME = /^[A-Za-z0-9_.:-]{1,15}$/;
const VERSION = /^[0-9A-Za-z.+~-]{1,64}$/;
const DEVICE = /^(?!.*\.\.)\/[A-Za-z0-9_./-]{1,200}$/;

const bad = <T>(message: string): Decoded<T> => ({ ok: false, message });

function strings(v: unknown, max: number): string[] | null {
  return Array.isArray(v) && v.length <= max && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
}

/** The peer's offer, checked field by field. */
export function decodeOffer(v: unknown): Decoded<UnitOffer> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad('the offer is not a JSON object');
  const o = v as Record<string, unknown>;
  if (typeof o.version !== 'string' || !VERSION.test(o.version)) return bad('version: missing or not a version');
  if (typeof o.node !== 'string' || !NAME.test(o.node)) return bad('node: not a host name (a-z, 0-9, -)');
  if (o.pairedWith !== null && (typeof o.pairedWith !== 'string' || o.pairedWith.length > 64)) return bad('pairedWith: not a name or null');
  if (o.gateway !== null && (typeof o.gateway !== 'string' || !parseIpAddress(o.gateway).ok)) return bad('gateway: not an IP address or null');
  const serial = strings(o.serialPorts, 8);
  if (serial === null || !serial.every((d) => DEVICE.test(d))) return bad('serialPorts: not a list of absolute device paths');
  if (!Array.isArray(o.interfaces) || o.interfaces.length > 64) return bad('interfaces: not a list');
  const interfaces: OfferInterface[] = [];
  for (const i of o.interfaces as unknown[]) {
    const r = i as Record<string, unknown> | null;
    const addresses = strings(r?.addresses, 64);
    if (r === null || typeof r.name !== 'string' || !IFNAME.test(r.name) || addresses === null) return bad('interfaces: each needs a name and a list of addresses');
    for (const a of addresses) if (!parseHostCidr(a).ok) return bad(`interfaces: ${a.slice(0, 64)} on ${r.name} is not an address/prefix`);
    interfaces.push({ name: r.name, addresses });
  }
  return { ok: true, value: { version: o.version, node: o.node, pairedWith: (o.pairedWith as string | null), interfaces, gateway: o.gateway as string | null, serialPorts: serial } };
}
