/**
 * A stand-in for statusd's web admin password on D-Bus (com.lbos.Statusd1,
 * services/statusd/README.md "D-Bus"): the AdminPassword property and the
 * InitialPassword() / ResetAdminPassword() methods, for paneld's tests. Not
 * statusd's own export code: a service's tests never import another
 * service; the members and the error code are the README's.
 */
import { busNamesOf, connectSystemBus, exportObject, ownName, type ExportedObject, type MessageBus } from '../../runtime/dbus';
import { AppError } from '../../runtime/errors';

const NAMES = busNamesOf('statusd');

export class StatusdPasswordStandIn {
  /** Calls of InitialPassword() so far. */
  reads = 0;
  private obj: ExportedObject | null = null;

  private constructor(readonly bus: MessageBus, private password: string | null) {}

  /** On `address`, owning com.lbos.Statusd; `password` null: already changed. */
  static async start(address: string, password: string | null): Promise<StatusdPasswordStandIn> {
    const bus = await connectSystemBus(address);
    const s = new StatusdPasswordStandIn(bus, password);
    s.obj = exportObject(bus, NAMES.path, {
      iface: NAMES.iface,
      properties: {
        Clients: { signature: 'u', initial: 0 },
        Seq: { signature: 't', initial: 0n },
        AdminPassword: { signature: 's', initial: password === null ? 'changed' : 'initial' },
      },
      methods: {
        InitialPassword: {
          outSignature: 's',
          handler: () => {
            s.reads += 1;
            if (s.password === null) throw new AppError('PASSWORD_CHANGED', 'the initial password was changed');
            return s.password;
          },
        },
        ResetAdminPassword: { outSignature: 's', handler: () => s.reset(`rst${s.reads % 10}-aaaa-bbbb-cccc`) },
      },
    });
    await ownName(bus, NAMES.name);
    return s;
  }

  /** The administrator changed the password (the web page, statusctl passwd). */
  changed(): void {
    this.password = null;
    this.obj?.update({ AdminPassword: 'changed' });
  }

  /** A new initial password, as ResetAdminPassword() makes (AdminPassword unchanged when it already was initial). */
  reset(password: string): string {
    this.password = password;
    this.obj?.update({ AdminPassword: 'initial' });
    return password;
  }

  /** statusd publishes Seq every second. */
  tick(seq: number): void {
    this.obj?.update({ Seq: BigInt(seq) });
  }

  stop(): void {
    this.bus.disconnect();
  }
}
