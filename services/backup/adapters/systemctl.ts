/** The restore's last, separate step: the owning units take the restored files in. */
import type { UnitAction } from '../core/plan';
import { runCommand } from './run-command';

export interface ActionResult {
  action: UnitAction;
  ok: boolean;
  detail: string;
}

export async function runUnitActions(actions: readonly UnitAction[], systemctl = 'systemctl'): Promise<ActionResult[]> {
  const out: ActionResult[] = [];
  for (const action of actions) {
    const r = await runCommand(systemctl, [action.verb, action.unit], { timeoutMs: 120_000 });
    out.push({ action, ok: r.failure === null && r.code === 0, detail: r.failure ?? (r.code === 0 ? '' : `exit ${r.code}${r.output === '' ? '' : `: ${r.output}`}`) });
  }
  return out;
}
