/**
 * The menu's actions, carried out through the other services' D-Bus
 * methods: nicd GetConfig/Apply/Confirm/Rollback, hbd Standby/Takeover.
 * Each returns what the panel says next (core/menu.ts ActionDone).
 */
import { callMember, callService, getServiceProxy, type MessageBus } from '../../runtime/dbus';
import { errorMessage } from '../../runtime/errors';
import { parseNetworkConfig } from '../../runtime/netconf/parse';
import { renderConfig } from '../../runtime/netconf/render';
import { defaultGateway4, setDefaultGateway, setManagementAddress } from '../core/net-edit';
import type { MenuAction } from '../core/menu';

export interface ActionResult {
  ok: boolean;
  text: string;
  /** Unix ms until which nicd waits for keep-network; 0 when the change is final. */
  pendingUntil: number;
}

/** nicd's default IPv4 gateway, read at every nicd generation (a plain call: no introspection). */
export async function readGateway(bus: MessageBus): Promise<string | null> {
  const [, text] = (await callService(bus, 'nicd', 'GetConfig')) as [number, string];
  return defaultGateway4(parseNetworkConfig(text, 'configuration in force').config);
}

export async function runAction(bus: MessageBus, a: MenuAction, confirmTimeoutS: number): Promise<ActionResult> {
  try {
    switch (a.kind) {
      case 'standby':
      case 'takeover': {
        const hbd = await getServiceProxy(bus, 'hbd');
        await callMember(hbd.iface, a.kind === 'standby' ? 'Standby' : 'Takeover');
        return { ok: true, text: a.kind === 'standby' ? 'Going standby' : 'Taking over', pendingUntil: 0 };
      }
      case 'set-address':
      case 'set-gateway': {
        const nicd = await getServiceProxy(bus, 'nicd');
        const [, text] = (await callMember(nicd.iface, 'GetConfig')) as [number, string];
        const base = parseNetworkConfig(text, 'configuration in force').config;
        const edit = a.kind === 'set-address' ? setManagementAddress(base, a.iface, { address: a.address, prefix: a.prefix, family: 4 }) : setDefaultGateway(base, a.iface, a.gateway);
        const next = renderConfig(edit.config, [`Written by paneld (front panel) on ${new Date().toISOString()}.`]);
        const [, , pending, until] = (await callMember(nicd.iface, 'Apply', next, confirmTimeoutS)) as [number, string[], boolean, bigint];
        const what = a.kind === 'set-address' ? `${a.address}/${a.prefix}` : `gateway ${a.gateway}`;
        return { ok: true, text: [`Applied ${what}`, ...edit.notes].join('; '), pendingUntil: pending ? Number(until) : 0 };
      }
      case 'keep-network': {
        const nicd = await getServiceProxy(bus, 'nicd');
        await callMember(nicd.iface, 'Confirm');
        return { ok: true, text: 'Kept: the new settings stay', pendingUntil: 0 };
      }
      case 'undo-network': {
        const nicd = await getServiceProxy(bus, 'nicd');
        await callMember(nicd.iface, 'Rollback');
        return { ok: true, text: 'Undone: the old settings are back', pendingUntil: 0 };
      }
    }
  } catch (err) {
    return { ok: false, text: `Failed: ${errorMessage(err)}`.slice(0, 120), pendingUntil: 0 };
  }
}
