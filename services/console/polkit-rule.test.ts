/**
 * The console's polkit rule (rootfs/overlay/etc/polkit-1/rules.d/
 * 60-lbos-console.rules), evaluated as polkitd would: the file run with a
 * `polkit` object whose addRule keeps the rule, then asked about actions.
 * User setup may reboot and power off (also with other sessions open) and
 * start lbos-factory-reset.service; nothing else, and nobody else through
 * this rule.
 */
import test from 'ava';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { repoRoot } from '../runtime/cli';

type Rule = (action: { id: string; lookup(k: string): string | undefined }, subject: { user: string }) => string;

function loadRule(): Rule {
  const rules: Rule[] = [];
  const Result = { YES: 'yes', NO: 'no', NOT_HANDLED: 'not-handled', AUTH_ADMIN: 'auth_admin' };
  const text = readFileSync(path.join(repoRoot(), 'rootfs', 'overlay', 'etc', 'polkit-1', 'rules.d', '60-lbos-console.rules'), 'utf8');
  vm.runInNewContext(text, { polkit: { Result, addRule: (r: Rule) => rules.push(r) } });
  const [rule] = rules;
  if (rules.length !== 1 || rule === undefined) throw new Error(`expected one rule, got ${rules.length}`);
  return rule;
}

test('polkit: setup may reboot, power off and start the factory reset unit; nothing more', (t) => {
  const rule = loadRule();
  const ask = (user: string, id: string, details: Record<string, string> = {}): string => rule({ id, lookup: (k) => details[k] }, { user });
  const unit = (u: string, verb: string): Record<string, string> => ({ unit: u, verb });
  const table: [string, string, Record<string, string>, string][] = [
    ['setup', 'org.freedesktop.login1.reboot', {}, 'yes'],
    ['setup', 'org.freedesktop.login1.reboot-multiple-sessions', {}, 'yes'],
    ['setup', 'org.freedesktop.login1.power-off', {}, 'yes'],
    ['setup', 'org.freedesktop.login1.power-off-multiple-sessions', {}, 'yes'],
    ['setup', 'org.freedesktop.login1.reboot-ignore-inhibit', {}, 'not-handled'],
    ['setup', 'org.freedesktop.login1.halt', {}, 'not-handled'],
    ['setup', 'org.freedesktop.systemd1.manage-units', unit('lbos-factory-reset.service', 'start'), 'yes'],
    ['setup', 'org.freedesktop.systemd1.manage-units', unit('lbos-factory-reset.service', 'stop'), 'not-handled'],
    ['setup', 'org.freedesktop.systemd1.manage-units', unit('statusd.service', 'start'), 'not-handled'],
    ['setup', 'org.freedesktop.systemd1.manage-units', unit('ssh.service', 'restart'), 'not-handled'],
    ['setup', 'org.freedesktop.systemd1.manage-unit-files', {}, 'not-handled'],
    ['statusd', 'org.freedesktop.login1.reboot', {}, 'not-handled'],
    ['statusd', 'org.freedesktop.systemd1.manage-units', unit('lbos-factory-reset.service', 'start'), 'not-handled'],
    ['nobody', 'org.freedesktop.login1.power-off', {}, 'not-handled'],
  ];
  for (const [user, id, details, want] of table) t.is(ask(user, id, details), want, `${user} ${id} ${JSON.stringify(details)}`);
});
