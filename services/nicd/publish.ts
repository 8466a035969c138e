/** Controller status + link snapshot -> D-Bus properties and the Status() JSON. */
import type { ControllerStatus } from './controller';
import { interfacesView, type InterfaceView, type LinkSnapshot } from './core/link-events';
import type { Owned } from './core/model';
import { toTuple, type NicdProperties } from './adapters/dbus-api';

/** What `nicctl show --json` prints (Status()). */
export interface NicdStatusView extends ControllerStatus {
  managementInterface: string;
  interfaces: InterfaceView[];
  owned: Owned;
}

export function statusView(status: ControllerStatus, snapshot: LinkSnapshot, managementInterface: string, owned: Owned): NicdStatusView {
  return { ...status, managementInterface, interfaces: interfacesView(snapshot), owned };
}

export function dbusProperties(status: ControllerStatus, snapshot: LinkSnapshot, managementInterface: string): NicdProperties {
  return {
    Interfaces: interfacesView(snapshot).map(toTuple),
    ManagementInterface: managementInterface,
    Generation: status.generation,
    ConfigSource: status.source,
    ConfigFile: status.configFile,
    State: status.state,
    PendingGeneration: status.pendingGeneration,
    PendingUntil: BigInt(status.pendingUntilWallMs),
    LastResult: status.lastResult,
  };
}
