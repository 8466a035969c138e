/**
 * Stand-ins for hbd, nicd, csyncd and paneld on a private bus, exported with
 * the services' own D-Bus API code (their adapters/dbus-api.ts), for tests
 * that drive a consumer (paneld, statusd) through states the real services
 * reach only slowly. They live in the kit, not beside one service, because
 * they speak for several: a service's tests never import another service.
 * nicd's stand-in parses what it is given with nicd's own parser
 * (services/runtime/netconf) and answers Apply with a pending
 * (commit-confirmed) change when asked to.
 */
import { connectSystemBus, ownName, type ExportedObject, type MessageBus } from '../../services/runtime/dbus';
import { AppError } from '../../services/runtime/errors';
import { exportHbd, HBD_NAMES, type HbdProperties } from '../../services/hbd/adapters/dbus-api';
import { exportNicd, NICD_NAMES, type InterfaceTuple, type NicdProperties } from '../../services/nicd/adapters/dbus-api';
import { exportCsyncd, CSYNCD_NAMES } from '../../services/csyncd/adapters/dbus-api';
import { exportPaneld, PANELD_NAMES, type PaneldProperties } from '../../services/paneld/adapters/dbus-api';
import { parseNetworkConfig } from '../../services/runtime/netconf/parse';
import type { StatusView } from '../../services/csyncd/status-view';

export const HBD_ACTIVE: HbdProperties = {
  Node: 'lb1', Peer: 'lb2', Role: 'master', State: 'active', PeerStatus: 'up', PeerState: 'standby',
  Links: [['ucast eth1', 'udp', 'up', BigInt(Date.now()), 10n, 0n], ['serial ttyS0', 'serial', 'up', BigInt(Date.now()), 10n, 0n]],
  Drops: {}, Resources: [['198.18.0.100', 'held', '']], PingReachable: 1, Healthy: true, Generation: 1,
};

export const NETWORK_CONF = `hostname lb1
interface eth0
    address 192.168.2.21/24
    gateway 192.168.2.1
interface eth1
    address 10.0.1.1/24
`;

/** eth0 with the given addresses, carrier up; eth1 up. */
export function interfaces(eth0: string[], carrier = true): InterfaceTuple[] {
  return [
    ['eth0', 'ethernet', carrier ? 'up' : 'down', true, carrier, 1500, '52:54:00:00:00:01', 1000, 'full', eth0],
    ['eth1', 'ethernet', 'up', true, true, 1500, '52:54:00:00:00:02', 1000, 'full', ['10.0.1.1/24']],
  ];
}

export interface NicdCalls {
  applied: { text: string; timeoutSec: number }[];
  confirms: number;
  rollbacks: number;
}

export class StandIns {
  hbd: ExportedObject | null = null;
  nicd: ExportedObject | null = null;
  csyncd: ExportedObject | null = null;
  paneld: ExportedObject | null = null;
  readonly hbdCalls: string[] = [];
  readonly nicdCalls: NicdCalls = { applied: [], confirms: 0, rollbacks: 0 };
  private config = NETWORK_CONF;
  private generation = 1;
  private readonly buses: MessageBus[] = [];

  constructor(readonly busAddress: string) {}

  private async connect(): Promise<MessageBus> {
    const b = await connectSystemBus(this.busAddress);
    this.buses.push(b);
    return b;
  }

  async startHbd(props: Partial<HbdProperties> = {}): Promise<MessageBus> {
    const b = await this.connect();
    this.hbd = exportHbd(b, { ...HBD_ACTIVE, ...props }, {
      standby: () => void this.hbdCalls.push('standby'),
      takeover: () => void this.hbdCalls.push('takeover'),
      statusJson: () => '{}',
    });
    await ownName(b, HBD_NAMES.name);
    return b;
  }

  async startNicd(eth0 = ['192.168.2.21/24']): Promise<MessageBus> {
    const b = await this.connect();
    const initial: NicdProperties = {
      Interfaces: interfaces(eth0), ManagementInterface: 'eth0', Generation: this.generation, ConfigSource: 'file', ConfigFile: '/etc/lbos/network.conf',
      State: 'idle', PendingGeneration: 0, PendingUntil: 0n, LastResult: '',
    };
    this.nicd = exportNicd(b, initial, {
      apply: async (text, timeoutSec) => {
        const c = parseNetworkConfig(text, 'applied').config;
        this.nicdCalls.applied.push({ text, timeoutSec });
        this.config = text;
        this.generation += 1;
        const eth = c.links.find((l) => l.name === 'eth0');
        const until = timeoutSec > 0 ? Date.now() + timeoutSec * 1000 : 0;
        this.nicd?.update({
          Interfaces: interfaces((eth?.addresses ?? []).map((a) => `${a.address}/${a.prefix}`)), Generation: this.generation,
          State: timeoutSec > 0 ? 'pending' : 'idle', PendingUntil: BigInt(until),
        });
        return { generation: this.generation, steps: ['stand-in'], pending: timeoutSec > 0, pendingUntilWallMs: until };
      },
      plan: () => Promise.resolve([]),
      confirm: () => {
        this.nicdCalls.confirms += 1;
        this.nicd?.update({ State: 'idle', PendingUntil: 0n });
        return Promise.resolve(this.generation);
      },
      rollback: () => {
        this.nicdCalls.rollbacks += 1;
        this.nicd?.update({ State: 'idle', PendingUntil: 0n });
        return Promise.resolve(this.generation);
      },
      getConfig: () => ({ generation: this.generation, text: this.config }),
      statusJson: () => Promise.resolve('{}'),
    });
    await ownName(b, NICD_NAMES.name);
    return b;
  }

  async startCsyncd(status: 'green' | 'orange' | 'red' = 'green', reason = ''): Promise<MessageBus> {
    const b = await this.connect();
    const view: StatusView = { status, reason, node: 1, peerNode: 2, listen: '', peer: '', reachable: true, linkError: null, lastCheck: null, autoSync: true, services: [], stuck: [] };
    const fail = (): Promise<string> => Promise.reject(new AppError('NOT_SUPPORTED', 'stand-in'));
    this.csyncd = exportCsyncd(b, view, { push: fail, pushAll: fail, save: fail, check: fail, status: () => '{}' });
    await ownName(b, CSYNCD_NAMES.name);
    return b;
  }

  /** A panel showing `props`; its keys do nothing. */
  async startPaneld(props: PaneldProperties): Promise<MessageBus> {
    const b = await this.connect();
    this.paneld = exportPaneld(b, props, { pressKey: () => undefined, statusJson: () => '{}' });
    await ownName(b, PANELD_NAMES.name);
    return b;
  }

  /** Drop one service's bus connection: its name goes away as when it dies. */
  async stopService(bus: MessageBus): Promise<void> {
    bus.disconnect();
    const k = this.buses.indexOf(bus);
    if (k !== -1) this.buses.splice(k, 1);
    await new Promise((r) => setTimeout(r, 50));
  }

  stop(): void {
    for (const b of this.buses.splice(0)) b.disconnect();
  }
}
