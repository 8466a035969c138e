/**
 * statusd on D-Bus: com.lbos.Statusd at /com/lbos/Statusd, interface
 * com.lbos.Statusd1 (README "D-Bus API"): how many feed clients, the feed's
 * epoch and sequence number, Stats() for monitoring and the benchmark, and
 * the web admin password's state for the console banner, the front panel
 * and the console's setup menu: AdminPassword, InitialPassword(),
 * ResetAdminPassword(). The bus policy (com.lbos.conf) lets only root and
 * the console's `setup` user call the two password methods: console access
 * is physical access.
 */
import { busNamesOf, exportObject, type ExportedObject, type MessageBus } from '../../runtime/dbus';
import { AppError } from '../../runtime/errors';

export const STATUSD_NAMES = busNamesOf('statusd');

export interface StatusdProperties {
  Clients: number;
  StalledClients: number;
  Epoch: string;
  Seq: bigint;
  /** "initial": admin still has the unit's initial password (shown on the console); "changed". */
  AdminPassword: AdminPasswordState;
}

export type AdminPasswordState = 'initial' | 'changed';

/** What the password methods do. */
export interface PasswordActions {
  /** The initial password, or null once it was changed. */
  initialPassword(): Promise<string | null>;
  resetAdminPassword(): Promise<string>;
}

export function exportStatusd(bus: MessageBus, initial: StatusdProperties, stats: () => unknown, passwords: PasswordActions): ExportedObject {
  return exportObject(bus, STATUSD_NAMES.path, {
    iface: STATUSD_NAMES.iface,
    properties: {
      Clients: { signature: 'u', initial: initial.Clients },
      StalledClients: { signature: 'u', initial: initial.StalledClients },
      Epoch: { signature: 's', initial: initial.Epoch },
      Seq: { signature: 't', initial: initial.Seq },
      AdminPassword: { signature: 's', initial: initial.AdminPassword },
    },
    methods: {
      Stats: { outSignature: 's', handler: () => JSON.stringify(stats()) },
      InitialPassword: {
        outSignature: 's',
        handler: async () => {
          const p = await passwords.initialPassword();
          if (p === null) throw new AppError('PASSWORD_CHANGED', 'the initial password was changed; reset it from the console (setup) if it is lost');
          return p;
        },
      },
      ResetAdminPassword: { outSignature: 's', handler: () => passwords.resetAdminPassword() },
    },
  });
}
