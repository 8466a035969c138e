/**
 * This unit's side of pairing, as root: what it offers, the files it
 * installs and the services it starts, and how it is undone. Files are
 * staged beside their place, checked by their owners (hbd and csyncd
 * --check-config, run as programs), and only then renamed into place,
 * ha.cf last (its presence is "paired": hbd.service and csyncd.service are
 * conditioned on their files). Every method is safe to call again.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../../runtime/atomic-file';
import { callService, getServiceProxy, type MessageBus } from '../../runtime/dbus';
import { callRaw } from '../../runtime/dbus-raw';
import { firmwareVersion } from '../../runtime/cli';
import { AppError } from '../../runtime/errors';
import type { Logger } from '../../runtime/log';
import { DEFAULTS, nodeName, presentSerialPorts, type PairdConfig } from '../config';
import type { UnitOffer } from '../core/offer';
import { editHaCf, readSettings, type HeartbeatSettings } from '../core/heartbeat-settings';
import { decodePeerWeb, type CommitRequest, type PeerWeb, type PrepareRequest, type PublicKeys, type UnitStateView } from '../core/requests';
import { defaultGateway, Programs } from './programs';

const MANAGER = { destination: 'org.freedesktop.systemd1', path: '/org/freedesktop/systemd1', iface: 'org.freedesktop.systemd1.Manager' };
const CSYNCD_PORT = 24;
const STAGED = '.pairing';

/** What the pairing waits for: both services up, every heartbeat link hearing the peer, the peer reachable for sync. */
export type UnitState = UnitStateView;

const exists = (p: string): Promise<boolean> => fs.access(p).then(() => true, () => false);

/** rename, or copy and remove across file systems (/etc and /var/lib may be on different ones). */
async function moveFile(from: string, to: string): Promise<void> {
  try {
    await fs.rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await fs.copyFile(from, to);
    await fs.rm(from);
  }
}

export class LocalUnit {
  private readonly programs: Programs;

  constructor(private readonly c: PairdConfig, private readonly bus: MessageBus, private readonly systemdBus: MessageBus, private readonly log: Logger) {
    this.programs = new Programs(c.binDir);
  }

  private get haCf(): string {
    return path.join(this.c.haDir, 'ha.cf');
  }

  /** The peer named in ha.cf (paired), or null. */
  async pairedWith(): Promise<string | null> {
    let text: string;
    try {
      text = await fs.readFile(this.haCf, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    const me = nodeName(this.c);
    const nodes = text.split('\n').map((l) => /^\s*node\s+(\S+)/.exec(l)?.[1]).filter((n): n is string => n !== undefined);
    return nodes.find((n) => n !== me) ?? '?';
  }

  async offer(): Promise<UnitOffer> {
    const interfaces = Object.entries(os.networkInterfaces())
      .filter(([name]) => name !== 'lo')
      .map(([name, addrs]) => ({ name, addresses: (addrs ?? []).filter((a) => !a.internal && !(a.family === 'IPv6' && a.address.startsWith('fe80'))).map((a) => a.cidr ?? `${a.address}/32`) }))
      .filter((i) => i.addresses.length > 0);
    return { version: firmwareVersion(), node: nodeName(this.c), pairedWith: await this.pairedWith(), interfaces, gateway: await defaultGateway(), serialPorts: presentSerialPorts(this.c) };
  }

  /** Inside the HA directory (the only place of /etc/ha.d's file system paird may write), renamed from there. */
  private haStage(): string {
    return path.join(this.c.haDir, STAGED);
  }

  private stagedCsyncdCfg(): string {
    return `${this.c.csyncdCfg}${STAGED}`;
  }

  /** Phase 1: the staged csyncd.cfg (with this unit's own directories), and csyncd's keys made if none. */
  async prepare(req: PrepareRequest): Promise<PublicKeys> {
    if ((await this.pairedWith()) !== null) throw new AppError('ALREADY_PAIRED', 'this unit is already paired: unpair it first');
    const local = [
      ...(this.c.csyncdDir === DEFAULTS.csyncdDir ? [] : [`config_dir ${this.c.csyncdDir}`]),
      ...(this.c.csyncdStateDir === null ? [] : [`state_dir ${this.c.csyncdStateDir}`]),
    ];
    await fs.mkdir(path.dirname(this.c.csyncdCfg), { recursive: true, mode: 0o755 });
    await writeFileAtomic(this.stagedCsyncdCfg(), `${req.csyncdCfg}${local.map((l) => `${l}\n`).join('')}`, { mode: 0o644 });
    const host = path.join(this.c.csyncdDir, 'host_key');
    const user = path.join(this.c.csyncdDir, 'user_key');
    if (!(await exists(host)) && !(await exists(user))) {
      await this.programs.genkey(this.stagedCsyncdCfg());
      this.log.info({ dir: this.c.csyncdDir }, 'csyncd keys made for pairing');
    }
    const read = async (f: string): Promise<string> => (await fs.readFile(`${f}.pub`, 'utf8')).trim();
    return { host: await read(host), user: await read(user) };
  }

  /** Phase 2: pin the peer's keys, stage and check the HA files, rename, install, start hbd and csyncd. */
  async commit(req: CommitRequest): Promise<string[]> {
    if ((await this.pairedWith()) !== null) throw new AppError('ALREADY_PAIRED', 'this unit is already paired: unpair it first');
    if (!(await exists(this.stagedCsyncdCfg()))) throw new AppError('NOT_PREPARED', 'pairing was not prepared on this unit (prepare first)');
    const done: string[] = [];
    const known = path.join(this.c.csyncdDir, 'ssh_known_hosts');
    const authorized = path.join(this.c.csyncdDir, 'csyncd_authorized');
    await writeFileAtomic(known, `[${req.peerIp}]:${CSYNCD_PORT} ${req.peerKeys.host}\n`, { mode: 0o644 });
    await writeFileAtomic(authorized, `${req.peerKeys.user}\n`, { mode: 0o644 });
    done.push(`pinned the peer's csyncd keys (${known}, ${authorized})`);
    const stage = this.haStage();
    await fs.rm(stage, { recursive: true, force: true });
    await fs.mkdir(stage, { recursive: true, mode: 0o755 });
    await writeFileAtomic(path.join(stage, 'ha.cf'), req.haCf, { mode: 0o644 });
    await writeFileAtomic(path.join(stage, 'haresources'), req.haresources, { mode: 0o644 });
    await writeFileAtomic(path.join(stage, 'authkeys'), req.authkeys, { mode: 0o600 });
    const node = req.rename ?? req.node;
    // Both checks at once: each is a program start (seconds on a slow CPU).
    await Promise.all([this.programs.checkHbd(stage, node), this.programs.checkCsyncd(this.stagedCsyncdCfg())]);
    done.push('hbd and csyncd accepted the new files');
    if (req.rename !== null && req.rename !== nodeName(this.c)) {
      await this.renameHost(req.rename);
      done.push(`named this unit ${req.rename}`);
    }
    await fs.rename(this.stagedCsyncdCfg(), this.c.csyncdCfg);
    await fs.mkdir(this.c.haDir, { recursive: true, mode: 0o755 });
    for (const f of ['authkeys', 'haresources', 'ha.cf']) await fs.rename(path.join(stage, f), path.join(this.c.haDir, f));
    await fs.rm(stage, { recursive: true, force: true });
    done.push(`installed ${this.c.csyncdCfg} and ${this.c.haDir}/{ha.cf,haresources,authkeys}`);
    if (req.peerWeb !== null) {
      await fs.mkdir(this.c.stateDir, { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.peerFile(), `${JSON.stringify(req.peerWeb)}\n`, { mode: 0o600 });
    }
    for (const unit of ['csyncd.service', 'hbd.service']) await this.systemd('StartUnit', unit);
    done.push('started csyncd and hbd');
    this.log.info({ audit: 'pair', node, peerIp: req.peerIp }, 'paired: files installed, hbd and csyncd started');
    return done;
  }

  private peerFile(): string {
    return path.join(this.c.stateDir, 'peer.json');
  }

  /** Where the peer's web UI is and its certificate's fingerprint (kept at pairing), or null. */
  async peerWeb(): Promise<PeerWeb | null> {
    let text: string;
    try {
      text = await fs.readFile(this.peerFile(), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      parsed = null;
    }
    const r = decodePeerWeb(parsed);
    return r.ok ? r.value : null;
  }

  /** The node name is the hostname, which nicd owns (network.conf's `hostname`): through nicd's Apply. */
  private async renameHost(name: string): Promise<void> {
    if (this.c.node !== null) return; // a node name given on the command line (the simulated pair) is not the hostname
    const [, text] = (await callService(this.bus, 'nicd', 'GetConfig')) as [number, string];
    const lines = text.split('\n');
    const at = lines.findIndex((l) => /^\s*hostname\s/.test(l));
    if (at >= 0) lines[at] = `hostname ${name}`;
    else lines.unshift(`hostname ${name}`);
    await callService(this.bus, 'nicd', 'Apply', 'su', [lines.join('\n'), 0]);
  }

  /**
   * The HA page's heartbeat settings: ha.cf edited (core/heartbeat-settings.ts),
   * checked by hbd with this unit's other files, installed, pushed to the peer
   * through csyncd (service `heartbeat`: the peer's csyncd checks it with its
   * hbd and restarts hbd there), hbd restarted here, then saved on both units.
   */
  async setHeartbeat(next: HeartbeatSettings): Promise<{ changed: boolean; steps: string[] }> {
    let current: string;
    try {
      current = await fs.readFile(this.haCf, 'utf8');
    } catch {
      throw new AppError('NOT_PAIRED', 'this unit is not paired: pair it first');
    }
    const port = presentSerialPorts(this.c)[0] ?? null;
    if (next.serial && !readSettings(current).serial && port === null) throw new AppError('NO_SERIAL_PORT', 'this unit has no serial port for the heartbeat cable');
    const text = editHaCf(current, next, port);
    if (text === current) return { changed: false, steps: ['nothing to change'] };
    const stage = this.haStage();
    await fs.rm(stage, { recursive: true, force: true });
    await fs.mkdir(stage, { recursive: true, mode: 0o755 });
    for (const [f, mode] of [['haresources', 0o644], ['authkeys', 0o600]] as const) {
      await writeFileAtomic(path.join(stage, f), await fs.readFile(path.join(this.c.haDir, f)), { mode });
    }
    await writeFileAtomic(path.join(stage, 'ha.cf'), text, { mode: 0o644 });
    try {
      await this.programs.checkHbd(stage, nodeName(this.c));
    } finally {
      await fs.rm(stage, { recursive: true, force: true });
    }
    await writeFileAtomic(this.haCf, text, { mode: 0o644 });
    const steps = ['hbd accepted the new ha.cf; installed here'];
    const [pushed] = await callService(this.bus, 'csyncd', 'Push', 'sb', ['heartbeat', false]);
    const outcome = JSON.parse(String(pushed)) as { ok?: boolean; message?: string; code?: string };
    if (outcome.ok !== true) throw new AppError(outcome.code ?? 'PUSH_FAILED', `the peer did not take the new ha.cf: ${outcome.message ?? ''}`);
    steps.push(`pushed to the peer: ${outcome.message ?? 'ok'}`);
    await this.systemd('RestartUnit', 'hbd.service');
    steps.push('hbd restarted here');
    for (const remote of [false, true]) await callService(this.bus, 'csyncd', 'Save', 'b', [remote]);
    steps.push('saved on both units');
    this.log.info({ audit: 'heartbeat-settings', settings: next }, 'heartbeat settings changed on both units');
    return { changed: true, steps };
  }

  /** The heartbeat settings ha.cf has now. */
  async heartbeat(): Promise<HeartbeatSettings & { serialPort: string | null }> {
    const text = await fs.readFile(this.haCf, 'utf8').catch(() => {
      throw new AppError('NOT_PAIRED', 'this unit is not paired: pair it first');
    });
    return { ...readSettings(text), serialPort: presentSerialPorts(this.c)[0] ?? null };
  }

  private async systemd(member: 'StartUnit' | 'StopUnit' | 'RestartUnit', unit: string): Promise<void> {
    try {
      await callRaw(this.systemdBus, MANAGER, member, 'ss', [unit, 'replace']);
    } catch (err) {
      throw new AppError('SYSTEMD_FAILED', `systemd ${member} ${unit}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async state(): Promise<UnitState> {
    const props = (service: string): Promise<Record<string, unknown> | null> =>
      getServiceProxy(this.bus, service).then((p) => p.getAll()).catch(() => null);
    const [hbd, csyncd] = await Promise.all([props('hbd'), props('csyncd')]);
    if (csyncd !== null && csyncd.PeerReachable !== true) this.nudgeCsyncd();
    const links = Array.isArray(hbd?.Links) ? (hbd.Links as unknown[][]).map((l) => [String(l[0]), String(l[2])] as [string, string]) : [];
    return {
      node: nodeName(this.c), paired: (await this.pairedWith()) !== null,
      hbd: { running: hbd !== null, state: String(hbd?.State ?? ''), peerStatus: String(hbd?.PeerStatus ?? ''), links },
      csyncd: { running: csyncd !== null, status: String(csyncd?.Status ?? ''), peerReachable: csyncd?.PeerReachable === true },
    };
  }

  private lastNudge = 0;

  /** A freshly started csyncd checks the peer every check_interval (10 s): ask it now (at most every 2 s). */
  private nudgeCsyncd(): void {
    if (Date.now() - this.lastNudge < 2000) return;
    this.lastNudge = Date.now();
    callService(this.bus, 'csyncd', 'Check').catch((err: unknown) => this.log.debug({ err }, 'csyncd Check failed'));
  }

  /** Undo: stop hbd and csyncd, move the pairing's files to STATE/unpaired-TIME/; what was moved. */
  async unpair(): Promise<string[]> {
    for (const unit of ['hbd.service', 'csyncd.service']) await this.systemd('StopUnit', unit).catch((err: unknown) => this.log.warn({ err, unit }, 'stop failed'));
    const keep = path.join(this.c.stateDir, `unpaired-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    await fs.mkdir(keep, { recursive: true, mode: 0o700 });
    const moved: string[] = [];
    const files = [
      this.haCf, path.join(this.c.haDir, 'haresources'), path.join(this.c.haDir, 'authkeys'), this.c.csyncdCfg, this.stagedCsyncdCfg(),
      path.join(this.c.csyncdDir, 'ssh_known_hosts'), path.join(this.c.csyncdDir, 'csyncd_authorized'), this.peerFile(),
    ];
    for (const f of files) {
      if (!(await exists(f))) continue;
      await moveFile(f, path.join(keep, f.replace(/\//g, '_')));
      moved.push(f);
    }
    await fs.rm(this.haStage(), { recursive: true, force: true });
    this.log.info({ audit: 'unpair', moved, kept: keep }, 'unpaired: hbd and csyncd stopped, files kept');
    return moved;
  }
}
