/**
 * A strict in-memory NetSystem for unit tests. It keeps the kernel's rules
 * that matter to the planner: routes need their next hop on a subnet of an
 * up link, VLANs and bonds need kernel support, a bond takes only links that
 * are down, a link going down loses its IPv6 addresses and routes, deleting a
 * link takes its addresses and routes with it. A step that breaks a rule
 * throws, like iproute2 would. `failOn` injects a failure for one step.
 */
import { AppError } from '../../runtime/errors';
import { isLinkLocal6, subnetContains } from '../../runtime/netconf/ip';
import type { LiveLink, LiveState, Step } from '../core/model';
import type { KernelSupport } from '../core/probe';
import { StepFailed, type NetSystem } from './net';

export const fakeLink = (name: string, extra: Partial<LiveLink> = {}): LiveLink => ({
  name,
  index: 0,
  kind: 'veth',
  linkType: 'ether',
  mtu: 1500,
  maxMtu: 65535,
  adminUp: true,
  carrier: true,
  operstate: 'up',
  mac: '02:00:00:00:00:01',
  master: null,
  speedMbps: 10000,
  duplex: 'full',
  ...extra,
});

const fail = (s: Step, message: string): never => {
  throw new AppError('IP_COMMAND_FAILED', `${s.kind}: ${message}`);
};

export class FakeNet implements NetSystem {
  readonly executed: Step[] = [];
  failOn: ((s: Step) => boolean) | null = null;

  constructor(
    public live: LiveState,
    public kernel: KernelSupport = { vlan: true, bond: true },
  ) {}

  static withLinks(names: string[]): FakeNet {
    return new FakeNet({ links: names.map((n, i) => fakeLink(n, { index: i + 2 })), addresses: [], routes: [], resolvConf: null, hostname: { kernel: 'localhost', file: null } });
  }

  readLive(): Promise<LiveState> {
    return Promise.resolve(structuredClone(this.live));
  }

  kernelSupport(): Promise<KernelSupport> {
    return Promise.resolve({ ...this.kernel });
  }

  private link(s: Step, name: string): LiveLink {
    return this.live.links.find((l) => l.name === name) ?? fail(s, `Cannot find device "${name}"`);
  }

  async run(steps: readonly Step[], onDone: (index: number) => void): Promise<void> {
    for (const [i, s] of steps.entries()) {
      await this.execute(s).catch((err: unknown) => {
        throw new StepFailed(i, err);
      });
      onDone(i);
    }
  }

  /** One step, as the real system would: throws when it cannot work. */
  execute(s: Step): Promise<void> {
    if (this.failOn?.(s) === true) return Promise.reject(new AppError('IP_COMMAND_FAILED', `${s.kind}: injected failure`));
    this.apply(s);
    this.executed.push(s);
    return Promise.resolve();
  }

  private apply(s: Step): void {
    const L = this.live;
    switch (s.kind) {
      case 'AddAddress': {
        this.link(s, s.ifname);
        if (!L.addresses.some((a) => a.ifname === s.ifname && a.address === s.cidr.address)) L.addresses.push({ ...s.cidr, ifname: s.ifname, scope: 'global', tentative: false });
        return;
      }
      case 'RemoveAddress':
        L.addresses = L.addresses.filter((a) => !(a.ifname === s.ifname && a.address === s.cidr.address && a.prefix === s.cidr.prefix));
        L.routes = L.routes.filter((r) => r.dev !== s.ifname || L.addresses.some((a) => a.ifname === r.dev && subnetContains(a, r.via)) || isLinkLocal6(r.via));
        return;
      case 'AddRoute': {
        const dev = this.link(s, s.route.dev);
        if (!dev.adminUp) fail(s, 'Nexthop device is not up');
        const onLink = isLinkLocal6(s.route.via) || L.addresses.some((a) => a.ifname === dev.name && subnetContains(a, s.route.via));
        if (!onLink) fail(s, 'Nexthop has invalid gateway');
        L.routes = L.routes.filter((r) => !(r.family === s.route.family && r.dst === s.route.dst));
        L.routes.push({ ...s.route, protocol: 'static' });
        return;
      }
      case 'RemoveRoute':
        L.routes = L.routes.filter((r) => !(r.family === s.route.family && r.dst === s.route.dst && r.via === s.route.via && r.dev === s.route.dev));
        return;
      case 'CreateVlan':
        if (!this.kernel.vlan) fail(s, 'Unknown device type');
        this.link(s, s.parent);
        if (L.links.some((l) => l.name === s.name)) fail(s, 'File exists');
        L.links.push(fakeLink(s.name, { kind: 'vlan', adminUp: false, carrier: false, vlan: { parent: s.parent, id: s.id } }));
        return;
      case 'CreateBond':
        if (!this.kernel.bond) fail(s, 'Unknown device type');
        if (L.links.some((l) => l.name === s.name)) fail(s, 'File exists');
        L.links.push(fakeLink(s.name, { kind: 'bond', adminUp: false, carrier: false, bond: { mode: s.mode } }));
        return;
      case 'EnslaveLink': {
        const slave = this.link(s, s.name);
        if (this.link(s, s.master).kind !== 'bond') fail(s, `${s.master} is not a bond`);
        slave.adminUp = false;
        slave.master = s.master;
        L.addresses = L.addresses.filter((a) => a.ifname !== s.name || a.family === 4);
        return;
      }
      case 'ReleaseSlave':
        this.link(s, s.name).master = null;
        return;
      case 'DeleteLink':
        this.link(s, s.name);
        L.links = L.links.filter((l) => l.name !== s.name && l.vlan?.parent !== s.name).map((l) => (l.master === s.name ? { ...l, master: null } : l));
        L.addresses = L.addresses.filter((a) => a.ifname !== s.name);
        L.routes = L.routes.filter((r) => r.dev !== s.name);
        return;
      case 'SetMtu': {
        const l = this.link(s, s.name);
        if (s.mtu < 68 || (l.maxMtu !== null && s.mtu > l.maxMtu)) fail(s, 'Invalid argument');
        l.mtu = s.mtu;
        return;
      }
      case 'SetLinkUp':
        Object.assign(this.link(s, s.name), { adminUp: true, carrier: true, operstate: 'up' });
        return;
      case 'SetLinkDown': {
        Object.assign(this.link(s, s.name), { adminUp: false, carrier: false, operstate: 'down' });
        L.addresses = L.addresses.filter((a) => a.ifname !== s.name || a.family === 4);
        L.routes = L.routes.filter((r) => r.dev !== s.name);
        return;
      }
      case 'WriteResolvConf':
        L.resolvConf = s.text;
        return;
      case 'SetHostname':
        L.hostname = { kernel: s.name, file: `${s.name}\n` };
        return;
    }
  }
}
