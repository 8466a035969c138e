/**
 * Manual failover from the page: hbd's Standby() / Takeover() / RestartPair() methods
 * (services/hbd/README.md). statusd needs the right to call them: root or
 * the `appliance` group (rootfs com.lbos.conf).
 */
import { callMember, getServiceProxy, type MessageBus } from '../../runtime/dbus';
import type { FailoverControl, FailoverKind } from '../ports/controls';

export class HbdFailover implements FailoverControl {
  constructor(private readonly bus: MessageBus) {}

  async request(kind: FailoverKind): Promise<void> {
    const hbd = await getServiceProxy(this.bus, 'hbd');
    await callMember(hbd.iface, kind === 'standby' ? 'Standby' : kind === 'takeover' ? 'Takeover' : 'RestartPair');
  }
}
