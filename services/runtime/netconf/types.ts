/**
 * The network configuration as parsed from network.conf. Every item keeps its
 * line so the validator can name it; the planner ignores lines.
 */
import type { Cidr, Family } from './ip';

export const DEFAULT_CONFIG_FILE = '/etc/lbos/network.conf';

/** Factory default of the reference appliance: on the first NIC. */
export const FACTORY_ADDRESS = '192.168.2.21/24';

export const MTU_MIN = 68;
export const MTU_MAX = 9000;
/** RFC 8200 section 5: IPv6 needs links with an MTU of at least 1280. */
export const MTU_MIN_IPV6 = 1280;
/** glibc's resolver reads at most MAXNS (3) nameservers. */
export const MAX_DNS = 3;
export const MAX_SEARCH = 6;

export const BOND_MODES = ['active-backup', '802.3ad'] as const;
export type BondMode = (typeof BOND_MODES)[number];

/** Something from a given line of the file. */
export interface Located {
  line: number;
}

export interface AddressDecl extends Cidr, Located {}

export interface GatewayDecl extends Located {
  via: string;
  family: Family;
}

export interface RouteDecl extends Located {
  /** Destination network, canonical (host bits clear). */
  dst: Cidr;
  via: string;
}

export type LinkKind = 'ethernet' | 'vlan' | 'bond';

/** One `interface`, `vlan` or `bond` block. */
export interface LinkDecl extends Located {
  name: string;
  kind: LinkKind;
  addresses: AddressDecl[];
  mtu: (Located & { value: number }) | null;
  /** `up` (default) or `down`, with the line that said so (0 = default). */
  admin: Located & { value: 'up' | 'down' };
  gateways: GatewayDecl[];
  routes: RouteDecl[];
  vlan?: { parent: string; id: number };
  bond?: { mode: BondMode; slaves: string[] };
}

/** The whole file. */
export interface NetConfig {
  file: string;
  /** `generation N`: the file is generation N (written by nicd); null when absent. */
  generation: number | null;
  hostname: (Located & { value: string }) | null;
  dns: (Located & { address: string })[];
  search: (Located & { domain: string })[];
  links: LinkDecl[];
}
