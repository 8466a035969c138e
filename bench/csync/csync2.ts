/**
 * csync2 (LINBIT, Debian's csync2 2.0) for comparison: a stand-alone server
 * (-ii) on unit 2 and `csync2 -x` on unit 1, both in private mount
 * namespaces where the unit's directory is /etc/haproxy (csync2 syncs the
 * same absolute path on both hosts). Config and key live in a scratch
 * CSYNC2_SYSTEM_DIR; `nossl` because csync2's TLS needs certificates per
 * host (it makes csync2 faster, not slower, than it would be in production).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { sleep } from '../../scripts/sim/exec';
import type { SimPair, SimProcess, SimUnit } from '../../scripts/sim/pair';

export const CSYNC2_PORT = 30865;
export const CSYNC2_FILE = 'bench-csync2.cfg';

export interface Csync2 {
  server: SimProcess;
  /** argv for one `csync2 -x` run on unit 1 (inside `ip netns exec`). */
  clientArgv: string[];
  env: NodeJS.ProcessEnv;
}

const inMountNs = (etcDir: string, cmd: string): string[] => ['unshare', '-m', '--propagation', 'private', 'sh', '-c', `mount --bind ${etcDir} /etc/haproxy && exec ${cmd}`];

export async function startCsync2(pair: SimPair, etcDirs: [string, string]): Promise<Csync2> {
  const dir = path.join(pair.dir, 'csync2');
  mkdirSync(dir, { recursive: true });
  execFileSync('csync2', ['-k', path.join(dir, 'key')]);
  const [u1, u2] = pair.units;
  writeFileSync(path.join(dir, 'csync2.cfg'), `nossl * *;\ngroup bench {\n  host ${u1.lanIp} ${u2.lanIp};\n  key ${path.join(dir, 'key')};\n  include /etc/haproxy/${CSYNC2_FILE};\n}\n`);
  const db = (u: SimUnit): string => {
    const d = path.join(dir, `db-${u.name}`);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const env = { CSYNC2_SYSTEM_DIR: dir };
  const [cmd, ...args] = inMountNs(etcDirs[1], `csync2 -ii -N ${u2.lanIp} -D ${db(u2)} -p ${CSYNC2_PORT}`);
  const server = pair.spawnIn(u2.ns, cmd ?? 'unshare', args, { env, logName: 'u2-csync2' });
  await sleep(300);
  return { server, clientArgv: inMountNs(etcDirs[0], `csync2 -x -N ${u1.lanIp} -D ${db(u1)} -p ${CSYNC2_PORT}`), env };
}
