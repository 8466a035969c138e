/** statusctl's exit codes without a statusd: a password file it cannot read is bad input (65), not bad usage (64). */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from '../runtime/cli';
import { EXIT } from '../runtime/exit-codes';

const CTL = path.join(repoRoot(), 'dist', 'services', 'statusd', 'statusctl.js');
const ctl = (...args: string[]) => spawnSync(process.execPath, [CTL, ...args], { encoding: 'utf8', env: { ...process.env, STATUSD_STATE_DIR: '' } });

test('watch without the initial password file: exit 65, and the message names --password-file and --state-dir', (t) => {
  const r = ctl('watch', '--state-dir', '/nonexistent/statusd-state');
  t.is(r.status, EXIT.DATA);
  t.regex(r.stderr, /cannot read the initial password \/nonexistent\/statusd-state\/initial-password: ENOENT.*; give the password with --password-file FILE, or .* --state-dir DIR/);
});

test('watch --password-file that is missing: exit 65, naming the option', (t) => {
  const r = ctl('watch', '--password-file', '/nonexistent/pw');
  t.is(r.status, EXIT.DATA);
  t.regex(r.stderr, /cannot read --password-file \/nonexistent\/pw: .*ENOENT/);
});

test('a wrong command line is still a usage error (64)', (t) => {
  t.is(ctl('watch', 'extra').status, EXIT.USAGE);
  t.is(ctl('watch', '--url', 'http://x').status, EXIT.USAGE);
});
