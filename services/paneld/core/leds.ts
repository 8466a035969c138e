/**
 * LED roles -> what each does (README "LEDs"):
 *   status  on when healthy, blinking when degraded (any alert), off never (power)
 *   ha      on when this unit is active, blinking while hbd starts (init), else off
 *   fault   on while a fault-severity alert is active
 * The mapping file says which LED of the hardware model plays which role.
 */
import type { Alert } from './alerts';
import type { PanelInput } from './panel-input';

export type LedRole = 'status' | 'ha' | 'fault';
export const LED_ROLES: readonly LedRole[] = ['status', 'ha', 'fault'];

export type RoleState = 'on' | 'off' | 'blink';

export function ledStates(i: PanelInput, alerts: readonly Alert[]): Record<LedRole, RoleState> {
  return {
    status: alerts.length === 0 ? 'on' : 'blink',
    ha: i.ha.running && i.ha.state === 'active' ? 'on' : i.ha.running && i.ha.state === 'init' ? 'blink' : 'off',
    fault: alerts.some((a) => a.severity === 'fault') ? 'on' : 'off',
  };
}
