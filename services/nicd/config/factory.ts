/**
 * Unconfigured first boot: the reference appliance answers on 192.168.2.21/24
 * on its first NIC, so an operator with the manual can always reach it.
 * "First NIC" is the first non-loopback Ethernet interface by name in natural
 * order (eth2 before eth10), not counting bonds, VLANs and bridges nicd or
 * anyone else made.
 */
import { FACTORY_ADDRESS } from '../../runtime/netconf/types';
import { byName } from '../core/model';

/** What we need to know about a link to pick the first NIC. */
export interface NicCandidate {
  name: string;
  linkType: string;
  kind: string;
}

const VIRTUAL_KINDS = new Set(['bond', 'vlan', 'bridge', 'macvlan', 'ipvlan', 'dummy', 'tun', 'tap', 'vxlan', 'wireguard']);

/** The management interface: the first NIC, or null on a box without one. */
export function firstNic(links: readonly NicCandidate[]): string | null {
  const nics = links.filter((l) => l.linkType === 'ether' && !VIRTUAL_KINDS.has(l.kind)).map((l) => l.name);
  return nics.sort(byName)[0] ?? null;
}

/** The factory default network.conf for that NIC (empty of interfaces when there is none). */
export function factoryConfigText(nic: string | null): string {
  const head = ['# Factory default: no network configuration has been saved yet.', '# Run the setup wizard (log in as `setup`) or `nicctl apply FILE`.'];
  if (nic === null) return `${head.join('\n')}\n`;
  return `${head.join('\n')}\ninterface ${nic}\n    address ${FACTORY_ADDRESS}\n`;
}
