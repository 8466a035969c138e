/**
 * The sync page's buttons: csyncd's Push(service, force=false) and
 * Save(remote) (services/csyncd/README.md "D-Bus API"); statusd may call
 * them as a member of group appliance. The result is csyncd's own line.
 */
import { callService, type MessageBus } from '../../runtime/dbus';
import type { SyncControl } from '../ports/controls';

export class CsyncdSync implements SyncControl {
  constructor(private readonly bus: MessageBus) {}

  /** csyncd's own sentence of the outcome (as csyncctl push prints it). */
  async push(service: string): Promise<string> {
    const [r] = await callService(this.bus, 'csyncd', 'Push', 'sb', [service, false]);
    return pushSentence(String(r), service);
  }

  /** "haproxy: running configuration saved on the peer (01a9d880)", one per service. */
  async save(remote: boolean): Promise<string> {
    const [r] = await callService(this.bus, 'csyncd', 'Save', 'b', [remote]);
    return saveSentence(String(r), remote);
  }
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function pushSentence(text: string, service: string): string {
  const o = parsed(text) as { message?: unknown } | null;
  return typeof o?.message === 'string' && o.message !== '' ? o.message : `${service}: pushed`;
}

export function saveSentence(text: string, remote: boolean): string {
  const where = remote ? 'on the peer' : 'on this unit';
  const saved = parsed(text);
  if (!Array.isArray(saved)) return `saved ${where}`;
  if (saved.length === 0) return `nothing to save ${where} (no services)`;
  return saved.map((x: { name?: unknown; sha256?: unknown }) => `${String(x.name)}: running configuration saved ${where} (${String(x.sha256).slice(0, 8)})`).join('; ');
}
