/**
 * Each owning service judges the files a restore would write, before any is
 * written: a staged copy of what the unit would have afterwards (the unit's
 * current files with the restored ones laid over them) in a private
 * temporary directory, checked by the services' own binaries as separate
 * processes (`hbd --check-config`, `nicd --check-config`, ...), the users
 * file by its line format, a synced service's files by the validator the
 * unit's installed services.conf names (never one from the archive: a
 * restore does not run commands an archive brought before it is accepted).
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  AUTHKEYS, CSYNCD_CFG, CSYNCD_DIR, FIXED_ENTRIES, HA_DIR, NETWORK_CONF, PANELD_CONF, SERVICES_CONF, STATUSD_CONF, STATUSD_STATE, USERS_FILE,
  type Owner,
} from '../core/catalog';
import { csyncdConfigDir, networkHostname } from '../core/conf-lines';
import type { ArchivedFile } from '../core/manifest';
import { checksNeeded } from '../core/plan';
import { expandValidate, parseServicesConf } from '../core/services-conf';
import { usersFileProblems } from '../core/users-file';
import { readUnitFile } from './unit-files';
import { unitHostname } from './identity';
import { runCommand } from './run-command';

export interface CheckResult {
  /** What ran, e.g. "hbd --check-config (node lbmaster)". */
  name: string;
  verdict: 'ok' | 'refused' | 'unavailable' | 'skipped';
  /** The check's own words (its stderr/stdout), or why it was skipped. */
  detail: string;
}

export interface CheckContext {
  root: string;
  binDir: string;
  /** The files being restored. */
  restoring: readonly ArchivedFile[];
  /** The whole archive (a synced service's first file, as its services.conf lists it). */
  archive: readonly ArchivedFile[];
}

const ownerPaths = (o: Owner): string[] => FIXED_ENTRIES.filter((e) => e.owner === o).map((e) => e.path);

/** The staged unit: files as they would be after the restore, under a private directory. */
class Stage {
  private constructor(readonly dir: string, private readonly ctx: CheckContext) {}

  static async make(ctx: CheckContext): Promise<Stage> {
    return new Stage(await fs.mkdtemp(path.join(os.tmpdir(), 'lbos-backup-check-')), ctx);
  }

  at(p: string): string {
    return path.join(this.dir, 'root', p);
  }

  /** After the restore: the archive's file when it is restored, else the unit's, else null. */
  async after(p: string): Promise<{ data: Buffer; mode: number } | null> {
    const r = this.ctx.restoring.find((f) => f.path === p);
    if (r !== undefined) return { data: r.data, mode: r.mode & 0o777 };
    const u = await readUnitFile(this.ctx.root, p);
    return u === null ? null : { data: u.data, mode: u.mode & 0o777 };
  }

  /** Stages a path as it would be; false when it would not exist. */
  async put(p: string, transform?: (text: string) => string): Promise<boolean> {
    const f = await this.after(p);
    if (f === null) return false;
    await this.write(p, transform === undefined ? f.data : Buffer.from(transform(f.data.toString('utf8'))), f.mode);
    return true;
  }

  async write(p: string, data: Buffer | string, mode: number): Promise<void> {
    const file = this.at(p);
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
    await fs.writeFile(file, data, { mode });
    await fs.chmod(file, mode);
  }

  async remove(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

async function serviceCheck(ctx: CheckContext, stage: Stage, name: string, program: string, args: string[]): Promise<CheckResult> {
  const r = await runCommand(path.join(ctx.binDir, program), args);
  // The service names the staged copy; the reader wants the appliance path it stands for.
  const output = r.output.split(`${stage.at('/')}`).join('/');
  if (r.failure !== null) return { name, verdict: 'unavailable', detail: r.failure };
  if (r.code === 0) return { name, verdict: 'ok', detail: output };
  return { name, verdict: r.code === 78 ? 'refused' : 'unavailable', detail: output === '' ? `exit ${r.code}` : output };
}

async function checkHbd(ctx: CheckContext, stage: Stage): Promise<CheckResult[]> {
  if (!(await stage.put(`${HA_DIR}/ha.cf`))) return [{ name: 'hbd --check-config', verdict: 'skipped', detail: 'no ha.cf on the unit nor in the restore: hbd has nothing to check' }];
  await stage.put(`${HA_DIR}/haresources`);
  const notes: CheckResult[] = [];
  if (!(await stage.put(AUTHKEYS))) {
    // ha.cf and haresources can still be judged; hbd will not start until authkeys exists.
    await stage.write(AUTHKEYS, `auth 1\n1 sha256 ${randomBytes(32).toString('hex')}\n`, 0o600);
    notes.push({ name: 'authkeys', verdict: 'skipped', detail: `${AUTHKEYS} is neither in the restore nor on the unit: ha.cf and haresources were checked with a stand-in; hbd will not start until you create it (hbd README "authkeys")` });
  }
  const network = await stage.after(NETWORK_CONF);
  const node = (network === null ? null : networkHostname(network.data.toString('utf8'))) ?? (await unitHostname(ctx.root));
  return [await serviceCheck(ctx, stage, `hbd --check-config (node ${node})`, 'hbd', ['--check-config', '-c', stage.at(HA_DIR), '--node', node]), ...notes];
}

async function checkCsyncd(ctx: CheckContext, stage: Stage): Promise<CheckResult[]> {
  const name = 'csyncd --check-config';
  const cfg = await stage.after(CSYNCD_CFG);
  if (cfg === null) return [{ name, verdict: 'refused', detail: `${CSYNCD_CFG} is neither in the restore nor on the unit: csyncd cannot check services.conf or its keys without it` }];
  const configDir = csyncdConfigDir(cfg.data.toString('utf8'));
  if (configDir !== null && path.posix.normalize(configDir) !== CSYNCD_DIR) {
    return [{ name, verdict: 'refused', detail: `${CSYNCD_CFG}: config_dir ${configDir}: lbos-backup restores csyncd's keys and services.conf to ${CSYNCD_DIR} only` }];
  }
  // config_dir /etc/csyncd said outright: the staged copy points at the staged directory instead.
  await stage.put(CSYNCD_CFG, (text) => text.replace(/^(\s*config_dir\s+)\S+/m, `$1${stage.at(CSYNCD_DIR)}`));
  for (const p of ownerPaths('csyncd')) if (p !== CSYNCD_CFG) await stage.put(p);
  return [await serviceCheck(ctx, stage, name, 'csyncd', ['--check-config', '-c', stage.at(CSYNCD_CFG)])];
}

async function checkStatusd(ctx: CheckContext, stage: Stage): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const users = ctx.restoring.find((f) => f.path === USERS_FILE);
  if (users !== undefined) {
    const problems = usersFileProblems(users.data.toString('utf8'));
    out.push({ name: 'users file format (statusd core/passwords.ts)', verdict: problems.length === 0 ? 'ok' : 'refused', detail: problems.map((p) => `${USERS_FILE}: ${p}`).join('\n') });
  }
  if (!(await stage.put(STATUSD_CONF))) await stage.write(STATUSD_CONF, '', 0o644);
  for (const p of ownerPaths('statusd')) if (p !== STATUSD_CONF) await stage.put(p);
  await fs.mkdir(stage.at(STATUSD_STATE), { recursive: true, mode: 0o755 });
  out.unshift(await serviceCheck(ctx, stage, 'statusd --check-config', 'statusd', ['--check-config', '-c', stage.at(STATUSD_CONF), '--state-dir', stage.at(STATUSD_STATE)]));
  return out;
}

async function checkSynced(ctx: CheckContext, stage: Stage): Promise<CheckResult[]> {
  const installed = await readUnitFile(ctx.root, SERVICES_CONF);
  const validators = new Map(parseServicesConf(installed?.data.toString('utf8') ?? '').map((s) => [s.name, s.validate]));
  const archived = parseServicesConf(ctx.archive.find((f) => f.path === SERVICES_CONF)?.data.toString('utf8') ?? '');
  const services = [...new Set(ctx.restoring.filter((f) => f.owner === 'synced').map((f) => f.service ?? ''))];
  const out: CheckResult[] = [];
  for (const service of services) {
    const files = archived.find((s) => s.name === service)?.files ?? [];
    const validate = validators.get(service) ?? null;
    if (validate === null) {
      out.push({ name: `${service}: validate`, verdict: 'skipped', detail: `this unit's ${SERVICES_CONF} has no validator for ${service}: its files are restored unchecked` });
      continue;
    }
    for (const f of files) await stage.put(f);
    const first = files[0] ?? '';
    const words = expandValidate(validate, { file: stage.at(first), dir: path.dirname(stage.at(first)), service });
    const [program, ...args] = words;
    const name = `${service}: ${words.join(' ')}`;
    if (program === undefined) continue;
    const r = await runCommand(program, args, { env: { ...process.env, CSYNCD_SERVICE: service, CSYNCD_PHASE: 'validate' } });
    out.push(r.failure !== null ? { name, verdict: 'unavailable', detail: r.failure } : { name, verdict: r.code === 0 ? 'ok' : 'refused', detail: r.output });
  }
  return out;
}

/** Every check the restored files need, each on its own staged copy; the staging directory is removed. */
export async function runServiceChecks(ctx: CheckContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const owner of checksNeeded(ctx.restoring)) {
    const stage = await Stage.make(ctx);
    try {
      switch (owner) {
        case 'nicd':
          await stage.put(NETWORK_CONF);
          results.push(await serviceCheck(ctx, stage, 'nicd --check-config', 'nicd', ['--check-config', '-c', stage.at(NETWORK_CONF)]));
          break;
        case 'paneld':
          await stage.put(PANELD_CONF);
          results.push(await serviceCheck(ctx, stage, 'paneld --check-config', 'paneld', ['--check-config', '-c', stage.at(PANELD_CONF)]));
          break;
        case 'hbd':
          results.push(...(await checkHbd(ctx, stage)));
          break;
        case 'csyncd':
          results.push(...(await checkCsyncd(ctx, stage)));
          break;
        case 'statusd':
          results.push(...(await checkStatusd(ctx, stage)));
          break;
        case 'synced':
          results.push(...(await checkSynced(ctx, stage)));
          break;
      }
    } finally {
      await stage.remove();
    }
  }
  return results;
}
