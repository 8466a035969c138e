/**
 * What the console menu talks to, standing in on a test-owned bus: statusd's
 * web admin password members (com.lbos.Statusd1 AdminPassword,
 * InitialPassword(), ResetAdminPassword(): services/statusd/README.md
 * "D-Bus"), logind's Manager.Reboot/PowerOff and systemd's
 * Manager.StartUnit, each call recorded. Not the services' own export code:
 * a service's tests never import another service (statusd), and logind
 * and systemd are not ours. hbd comes from scripts/sim/stand-ins.ts.
 */
import { busNamesOf, connectSystemBus, exportObject, ownName, type ExportedObject, type MessageBus } from '../../runtime/dbus';
import { AppError } from '../../runtime/errors';

export const LOGIN1_NAME = 'org.freedesktop.login1';
export const SYSTEMD_NAME = 'org.freedesktop.systemd1';

/** Who the menu asked to do what, in order: `Reboot(false)`, `StartUnit(lbos-factory-reset.service, replace)`. */
export type Calls = string[];

export class ConsoleStandIns {
  readonly calls: Calls = [];
  private password: string | null;
  private resets = 0;
  private statusd: ExportedObject | null = null;
  private readonly buses: MessageBus[] = [];

  constructor(readonly busAddress: string, initialPassword: string | null) {
    this.password = initialPassword;
  }

  private async connect(): Promise<MessageBus> {
    const b = await connectSystemBus(this.busAddress);
    this.buses.push(b);
    return b;
  }

  /** statusd's password members, owning com.lbos.Statusd. */
  async startStatusd(): Promise<MessageBus> {
    const n = busNamesOf('statusd');
    const b = await this.connect();
    this.statusd = exportObject(b, n.path, {
      iface: n.iface,
      properties: { AdminPassword: { signature: 's', initial: this.password === null ? 'changed' : 'initial' } },
      methods: {
        InitialPassword: {
          outSignature: 's',
          handler: () => {
            this.calls.push('InitialPassword()');
            if (this.password === null) throw new AppError('PASSWORD_CHANGED', 'the initial password was changed; reset it from the console (setup) if it is lost');
            return this.password;
          },
        },
        ResetAdminPassword: {
          outSignature: 's',
          handler: () => {
            this.calls.push('ResetAdminPassword()');
            this.resets += 1;
            this.password = `new${this.resets}-hjkm-npqr-stuv`;
            this.statusd?.update({ AdminPassword: 'initial' });
            return this.password;
          },
        },
      },
    });
    await ownName(b, n.name);
    return b;
  }

  /** The administrator changed it on the web page. */
  passwordChanged(): void {
    this.password = null;
    this.statusd?.update({ AdminPassword: 'changed' });
  }

  /** logind's and systemd's managers (only the methods the menu calls). */
  async startSystem(): Promise<MessageBus> {
    const b = await this.connect();
    exportObject(b, '/org/freedesktop/login1', {
      iface: `${LOGIN1_NAME}.Manager`,
      properties: {},
      methods: {
        Reboot: { inSignature: 'b', handler: (interactive: boolean) => void this.calls.push(`Reboot(${String(interactive)})`) },
        PowerOff: { inSignature: 'b', handler: (interactive: boolean) => void this.calls.push(`PowerOff(${String(interactive)})`) },
      },
    });
    exportObject(b, '/org/freedesktop/systemd1', {
      iface: `${SYSTEMD_NAME}.Manager`,
      properties: {},
      methods: {
        StartUnit: {
          inSignature: 'ss',
          outSignature: 'o',
          handler: (unit: string, mode: string) => {
            this.calls.push(`StartUnit(${unit}, ${mode})`);
            return '/org/freedesktop/systemd1/job/1';
          },
        },
      },
    });
    await ownName(b, LOGIN1_NAME);
    await ownName(b, SYSTEMD_NAME);
    return b;
  }

  /** A bus policy file: the shipped one, plus root owning logind's and systemd's names and everybody calling them (as their own policy files on Debian, polkit deciding). */
  static policy(shipped: string): string {
    return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <include>${shipped}</include>
  <policy user="root">
    <allow own="${LOGIN1_NAME}"/>
    <allow own="${SYSTEMD_NAME}"/>
  </policy>
  <policy context="default">
    <allow send_destination="${LOGIN1_NAME}" send_interface="${LOGIN1_NAME}.Manager"/>
    <allow send_destination="${SYSTEMD_NAME}" send_interface="${SYSTEMD_NAME}.Manager"/>
  </policy>
</busconfig>
`;
  }

  stop(): void {
    for (const b of this.buses.splice(0)) b.disconnect();
  }
}
