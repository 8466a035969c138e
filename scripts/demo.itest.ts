/**
 * make demo stays working: it brings up the pair, shows one active unit,
 * every command it prints works as printed, the status line follows a
 * killed and restarted hbd, the System Overview's Services are the demo's
 * real processes (RestartUnit restarts one), and Ctrl-C removes everything.
 */
import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../services/runtime/cli';
import { run, waitFor } from './sim/exec';
import { simNamespaces } from './sim/registry';
import { printedCommands } from './sim/demo-text';
import { changeInitialPassword, login, request } from '../services/statusd/testing/harness';
import { DEFAULT_UNITS } from '../services/statusd/config/types';

interface Shell {
  code: number | null;
  stdout: string;
  /** stdout and stderr as they came. */
  out: string;
}

/** `bash -c CMD` from the repository root, as the demo tells a user to run it; `untilOutput`: Ctrl-C once it printed a line. */
function sh(cmd: string, untilOutput = false): Promise<Shell> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', cmd], { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    let stdout = '';
    const timer = setTimeout(() => process.kill(-(child.pid ?? 0), 'SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      stdout += d.toString();
      if (untilOutput && out.includes('\n')) process.kill(-(child.pid ?? 0), 'SIGINT');
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, out });
    });
  });
}

/** The timestamped status lines ("u1: ... | u2: ...") of `text`, in order. */
const statusLines = (text: string): string[] => text.split('\n').filter((l) => /^\S+ u1: .* \| +u2: /.test(l));

test('demo: the pair comes up, every printed command works, the status line follows a killed hbd, Services restart, Ctrl-C cleans up', async (t) => {
  const child = spawn(process.execPath, [path.join(repoRoot(), 'dist', 'scripts', 'demo.js')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  t.teardown(() => child.kill('SIGKILL'));
  await waitFor(`the banner:\n${out}`, () => out.includes('Status changes appear below'), 120_000, 100);
  await waitFor(`u1 active, u2 passive:\n${out}`, () => /u1: master active +Link +\| +u2: slave +passive Link/.test(out), 60_000, 100);
  t.regex(out, /u1: sync green/);
  t.regex(out, /u2: sync green/);
  const id = /Simulated pair (\w+) is up/.exec(out)?.[1] ?? '';
  const dir = `/tmp/lbsim-${id}`;
  t.true(simNamespaces().some((n) => n.includes(id)));
  // Every log the demo writes is named.
  for (const u of ['u1', 'u2']) t.true(out.includes(`${dir}/${u}-{csyncd,hbd,nicd,paird,paneld,statusd}.log`), `logs of ${u}`);
  for (const f of ['hbd', 'nicd', 'csyncd', 'statusd', 'paneld', 'paird']) t.true(existsSync(`${dir}/u1-${f}.log`), `${f} log exists`);
  t.regex(readFileSync(`${dir}/u1-nicd.log`, 'utf8'), /198\.18\.0\.1\/24/);
  // Both System Overviews answer on loopback; both front panels are printed, unit 1 the master.
  for (const ip of ['127.0.0.1', '127.0.0.2']) {
    t.regex((await run('curl', ['-sk', '--max-time', '5', `https://${ip}:9443/`])).stdout, /<html/i, `page of ${ip}`);
    // Plain HTTP on the forward redirects to the forwarded HTTPS (redirect_to), not to the unit's LAN address.
    const where = (await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code} %{redirect_url}', '--max-time', '5', `http://${ip}:9080/`])).stdout;
    t.is(where, `308 https://${ip}:9443/`, `redirect of ${ip}`);
  }
  await waitFor(`front panels printed:\n${out}`, () => /front panels:\nu1 LCD +u2 LCD\n.*\n\|u1 +ACTIVE\| +\|u2 +STANDBY\|\n/.test(out), 30_000);

  const cmds = printedCommands(out);
  t.is(cmds[0], `cd ${repoRoot()}`);
  for (const c of cmds) t.notRegex(c, /\bnode |dist\/|ip netns exec \S+ env /, `short form: ${c}`);
  for (const tool of ['hactl status', 'nicctl show', 'csyncctl push haproxy', 'statusctl watch', 'panelctl show']) t.true(cmds.some((c) => c.includes(`bin/${tool}`)), tool);
  const kill = cmds.find((c) => c.startsWith('kill -9 '));
  const pidFile = /^kill -9 \$\(cat (\S+)\)$/.exec(kill ?? '')?.[1] ?? '';
  t.is(pidFile, `${dir}/u1/hbd.pid`);

  // The first login on each unit's page changes its initial password (as the demo text says); the
  // printed watch commands then get the new one with --password-file, as the text says too.
  const pwFile = path.join(dir, 'web-password');
  const own = 'demo test password';
  writeFileSync(pwFile, `${own}\n`, { mode: 0o600 });
  for (const [n, ip] of [[1, '127.0.0.1'], [2, '127.0.0.2']] as const) {
    const initial = new RegExp(`unit ${n}: https://${ip.replace(/\./g, '\\.')}:9443/ +password (\\S+)`).exec(out)?.[1] ?? '';
    await changeInitialPassword(`https://${ip}:9443`, initial, own);
  }
  const withPassword = (c: string): string => (c.includes('statusctl watch') ? `${c} --password-file ${pwFile}` : c);
  // Every command as printed, in order; kill -9 last.
  for (const c of cmds.filter((x) => x !== kill).map(withPassword)) {
    const r = await sh(c, c.includes('statusctl watch'));
    t.is(r.code, 0, `${c}\n${r.out}`);
    if (c.includes('statusctl watch')) t.regex(r.out, /\S/, `${c} printed the feed`);
  }

  // The Services panel's data: the five units active, from statusd's feed (the printed watch, as JSON).
  const watch = cmds.find((c) => c.includes('statusctl watch --url https://127.0.0.1:9443')) ?? '';
  const snap = JSON.parse((await sh(`${withPassword(watch)} --json --count 1`)).stdout.split('\n')[0] ?? '{}') as { t: string; state: { systemd: { connected: boolean; units: Record<string, { active: string; sub: string }> } } };
  t.is(snap.t, 'snapshot');
  t.true(snap.state.systemd.connected);
  for (const u of DEFAULT_UNITS) t.is(snap.state.systemd.units[u]?.active, 'active', u);

  // kill -9 as printed: u1 shows DOWN before any status line shows it back; the restart line gives the new pid, the pid file follows.
  await waitFor(`u1 active again after the commands:\n${out}`, () => /u1: master active +Link +\| +u2: slave +passive Link$/.test(statusLines(out).slice(-1)[0] ?? ''), 30_000, 100);
  const oldPid = Number(readFileSync(pidFile, 'utf8'));
  const mark = out.length;
  t.is((await sh(kill ?? 'false')).code, 0);
  const restarted = await waitFor(`hbd restarted:\n${out.slice(mark)}`, () => /u1: hbd restarted \(Restart=on-failure\), new pid (\d+)/.exec(out.slice(mark)) ?? undefined, 30_000, 100);
  const newPid = Number(restarted[1]);
  t.not(newPid, oldPid);
  t.regex(out.slice(mark), new RegExp(`u1: hbd killed by SIGKILL \\(status=9/KILL\\), pid ${oldPid}; VIPs released`));
  await waitFor(`u1 back:\n${out.slice(mark)}`, () => statusLines(out.slice(mark)).some((l) => /u1: master active/.test(l)), 30_000, 100);
  const after = statusLines(out.slice(mark));
  const down = after.findIndex((l) => /u1: hbd DOWN/.test(l));
  t.true(down >= 0, after.join('\n'));
  t.false(after.slice(0, down).some((l) => /u1: master/.test(l)), `a line showed u1 up before it showed it down:\n${after.join('\n')}`);
  await waitFor('pid file updated', () => existsSync(pidFile) && Number(readFileSync(pidFile, 'utf8')) === newPid, 10_000);

  // The Restart button: RestartUnit hbd.service through statusd's API restarts the real hbd.
  const base = 'https://127.0.0.1:9443';
  const session = await login(base, own);
  const mark2 = out.length;
  const r = await request(base, 'POST', '/api/units/restart', { body: { unit: 'hbd.service' }, headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, origin: base } });
  t.is(r.status, 202, JSON.stringify(r.body));
  const again = await waitFor(`hbd restarted by RestartUnit:\n${out.slice(mark2)}`, () => /u1: hbd restarted \(RestartUnit\), new pid (\d+)/.exec(out.slice(mark2)) ?? undefined, 30_000, 100);
  t.not(Number(again[1]), newPid);
  t.regex(out.slice(mark2), new RegExp(`u1: hbd stopped \\(pid ${newPid}\\)`));
  await waitFor('pid file after RestartUnit', () => existsSync(pidFile) && Number(readFileSync(pidFile, 'utf8')) === Number(again[1]), 10_000);

  child.kill('SIGINT');
  t.is(await exited, 0);
  t.regex(out, /Cleaned up/);
  t.deepEqual(simNamespaces().filter((n) => n.includes(id)), []);
  t.false(existsSync(dir));
});
