/**
 * The sync page's buttons: csyncd's Push(service, force=false) and
 * Save(remote) (services/csyncd/README.md "D-Bus API"); statusd may call
 * them as a member of group appliance. The result is csyncd's own line.
 */
import { callService, type MessageBus } from '../../runtime/dbus';
import type { SyncControl } from '../ports/controls';

export class CsyncdSync implements SyncControl {
  constructor(private readonly bus: MessageBus) {}

  async push(service: string): Promise<string> {
    const [r] = await callService(this.bus, 'csyncd', 'Push', 'sb', [service, false]);
    return String(r);
  }

  async save(remote: boolean): Promise<string> {
    const [r] = await callService(this.bus, 'csyncd', 'Save', 'b', [remote]);
    return String(r);
  }
}
