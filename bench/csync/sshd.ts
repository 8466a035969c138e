/**
 * A stock OpenSSH sshd on unit 2 for the rsync and scp series: its own host
 * key, authorized_keys and config in a scratch directory, on 198.18.0.2:2222.
 * sshd wants /run/sshd; it gets a private tmpfs /run in its own mount
 * namespace so nothing on the host is touched.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { waitFor } from '../../scripts/sim/exec';
import type { SimPair, SimProcess } from '../../scripts/sim/pair';

export const SSHD_PORT = 2222;

export interface Sshd {
  proc: SimProcess;
  /** ssh options for the client side (-e of rsync, options of scp). */
  sshOptions: string[];
  target: string;
}

export async function startSshd(pair: SimPair, run: (argv: string[]) => Promise<number | null>): Promise<Sshd> {
  const u2 = pair.units[1];
  const dir = path.join(pair.dir, 'sshd');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const hostKey = path.join(dir, 'ssh_host_ed25519_key');
  const userKey = path.join(dir, 'client_key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', userKey]);
  writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(`${userKey}.pub`));
  const knownHosts = path.join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[${u2.lanIp}]:${SSHD_PORT} ${readFileSync(`${hostKey}.pub`, 'utf8')}`);
  const conf = path.join(dir, 'sshd_config');
  writeFileSync(
    conf,
    [
      `Port ${SSHD_PORT}`,
      `ListenAddress ${u2.lanIp}`,
      `HostKey ${hostKey}`,
      'PidFile none',
      'UsePAM no',
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'UseDNS no',
      'PrintMotd no',
      'Subsystem sftp internal-sftp',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const proc = pair.spawnIn(u2.ns, 'unshare', ['-m', '--propagation', 'private', 'sh', '-c', 'mount -t tmpfs -o mode=0755 none /run && mkdir -m 0755 /run/sshd && /usr/sbin/sshd -t -f "$0" && exec /usr/sbin/sshd -D -e -f "$0"', conf], { logName: 'u2-sshd' });
  const sshOptions = ['-F', '/dev/null', '-p', String(SSHD_PORT), '-i', userKey, '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes'];
  const target = `root@${u2.lanIp}`;
  await waitFor(`sshd on u2 (log ${proc.logFile})`, async () => {
    if (proc.child.exitCode !== null) throw new Error(`sshd exited: ${readFileSync(proc.logFile, 'utf8')}`);
    return (await run(['ssh', ...sshOptions, target, 'true'])) === 0;
  }, 10_000, 100);
  return { proc, sshOptions, target };
}
