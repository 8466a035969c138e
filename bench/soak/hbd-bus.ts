/**
 * hbd's D-Bus face on both units, as hactl and statusd see it: one
 * connection per unit's private bus, properties on demand, and a record of
 * every State / PeerStatus change signalled (PropertiesChanged).
 */
import type { SimUnit } from '../../scripts/sim/pair';
import { connectSystemBus, getServiceProxy, type MessageBus, type ServiceProxy } from '../../services/runtime/dbus';
import { errorMessage } from '../../services/runtime/errors';

/** One signalled change of State or PeerStatus on a unit. */
export interface BusChange {
  tMs: number;
  unit: string;
  key: 'State' | 'PeerStatus';
  from: string;
  to: string;
}

export class HbdBus {
  private readonly proxies: (ServiceProxy | null)[] = [null, null];
  readonly changes: BusChange[] = [];
  private readonly last: Record<string, string>[] = [{}, {}];

  private constructor(private readonly units: readonly [SimUnit, SimUnit], private readonly buses: [MessageBus, MessageBus]) {}

  static async open(units: readonly [SimUnit, SimUnit]): Promise<HbdBus> {
    const b1 = await connectSystemBus(units[0].busAddress);
    try {
      return new HbdBus(units, [b1, await connectSystemBus(units[1].busAddress)]);
    } catch (err) {
      b1.disconnect();
      throw err;
    }
  }

  private async proxy(i: 0 | 1): Promise<ServiceProxy> {
    const p = this.proxies[i] ?? (await getServiceProxy(this.buses[i], 'hbd'));
    this.proxies[i] = p;
    return p;
  }

  /** hbd's properties on unit i; after a restart of hbd the proxy is made anew. */
  async props(i: 0 | 1): Promise<Record<string, unknown>> {
    try {
      return await (await this.proxy(i)).getAll();
    } catch (err) {
      this.proxies[i] = null;
      throw err;
    }
  }

  /** State as published, or `down (why)` while hbd does not answer. */
  async state(i: 0 | 1): Promise<{ state: string; peer: string }> {
    try {
      const p = await this.props(i);
      return { state: String(p.State), peer: String(p.PeerStatus) };
    } catch (err) {
      return { state: `down (${errorMessage(err).slice(0, 80)})`, peer: 'unknown' };
    }
  }

  /** Start recording State/PeerStatus changes of both units; call once hbd runs on both. */
  async watch(): Promise<void> {
    for (const i of [0, 1] as const) {
      const p = await this.proxy(i);
      const first = await p.getAll();
      this.last[i] = { State: String(first.State), PeerStatus: String(first.PeerStatus) };
      p.onChanged((changed) => {
        for (const key of ['State', 'PeerStatus'] as const) {
          if (!(key in changed)) continue;
          const to = String(changed[key]);
          const from = this.last[i]?.[key] ?? '?';
          if (to === from) continue;
          this.last[i] = { ...this.last[i], [key]: to };
          this.changes.push({ tMs: Date.now(), unit: this.units[i].name, key, from, to });
        }
      });
    }
  }

  close(): void {
    for (const b of this.buses) b.disconnect();
  }
}
