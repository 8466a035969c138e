/**
 * csyncctl push | save | status: ask the local csyncd over D-Bus.
 * A refusal by the peer (conflict, validator, apply, path checks) prints the
 * peer's message - diff or validator output included - and exits 2.
 */
import { AppError, isAppError } from '../../runtime/errors';
import { callMember, connectSystemBus, getServiceProxy, type ServiceProxy } from '../../runtime/dbus';
import { EXIT } from '../../runtime/exit-codes';
import type { PushOutcome } from '../pusher';
import { renderStatus, type StatusView } from '../status-view';

/** Codes that mean "the peer (or this unit's checks) said no", as opposed to "could not ask". */
const REFUSALS = new Set([
  'CONFLICT', 'VALIDATE_FAILED', 'APPLY_FAILED', 'REGISTRY_MISMATCH', 'UNKNOWN_SERVICE', 'NODE_MISMATCH', 'CHECKSUM_MISMATCH', 'PUSH_FRAMING', 'FILE_MISSING',
  'PATH_NOT_ABSOLUTE', 'PATH_TRAVERSAL', 'PATH_UNREGISTERED', 'PATH_SYMLINK', 'PATH_NOT_REGULAR', 'PATH_PARENT_MISSING', 'PAYLOAD_TOO_LARGE',
]);

async function withCsyncd<T>(fn: (p: ServiceProxy) => Promise<T>): Promise<T> {
  const bus = await connectSystemBus();
  try {
    return await fn(await getServiceProxy(bus, 'csyncd'));
  } finally {
    bus.disconnect();
  }
}

function refused(err: unknown, err2: NodeJS.WritableStream): number {
  if (!isAppError(err) || !REFUSALS.has(err.code)) throw err;
  err2.write(`csyncctl: ${err.code}: ${err.message}\n`);
  return EXIT.REFUSED;
}

export async function push(service: string | null, force: boolean, out: NodeJS.WritableStream, errOut: NodeJS.WritableStream): Promise<number> {
  return withCsyncd(async (p) => {
    if (service !== null) {
      try {
        const o = JSON.parse((await callMember(p.iface, 'Push', service, force)) as string) as PushOutcome;
        out.write(`${o.message}\n`);
        return EXIT.OK;
      } catch (err) {
        return refused(err, errOut);
      }
    }
    const all = JSON.parse((await callMember(p.iface, 'PushAll', force)) as string) as PushOutcome[];
    for (const o of all) (o.ok ? out : errOut).write(o.ok ? `${o.message}\n` : `${o.service}: ${o.code ?? 'FAILED'}: ${o.message}\n`);
    if (all.length === 0) out.write('no services in services.conf\n');
    return all.every((o) => o.ok) ? EXIT.OK : EXIT.REFUSED;
  });
}

export async function save(remote: boolean, out: NodeJS.WritableStream): Promise<number> {
  return withCsyncd(async (p) => {
    const saved = JSON.parse((await callMember(p.iface, 'Save', remote)) as string) as { name: string; sha256: string }[];
    const where = remote ? 'on the peer' : 'on this unit';
    out.write(saved.length === 0 ? `nothing to save ${where} (no services)\n` : saved.map((s) => `${s.name}: running configuration saved ${where} (${s.sha256.slice(0, 8)})\n`).join(''));
    return EXIT.OK;
  });
}

export async function status(json: boolean, cached: boolean, out: NodeJS.WritableStream): Promise<number> {
  return withCsyncd(async (p) => {
    const view = JSON.parse((await callMember(p.iface, cached ? 'GetStatus' : 'Check')) as string) as StatusView;
    out.write(json ? `${JSON.stringify(view, null, 2)}\n` : renderStatus(view));
    return EXIT.OK;
  });
}

/** After getkey: let a running csyncd re-check at once (best effort). */
export async function pokeCheck(): Promise<void> {
  await withCsyncd((p) => callMember(p.iface, 'Check')).catch((err: unknown) => {
    if (!(err instanceof AppError)) throw err;
  });
}
