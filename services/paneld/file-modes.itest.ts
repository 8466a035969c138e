/**
 * paneld refuses to start (exit 78) when paneld.conf or its LED map is
 * writable by others or owned by another user, naming the chmod/chown to
 * run; and a 10 MB junk line is answered with a short quote.
 */
import test from 'ava';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../runtime/cli';
import { runServiceOffline } from '../../scripts/sim/exec';

const MAIN = path.join(repoRoot(), 'dist', 'services', 'paneld', 'main.js');
const paneld = (...args: string[]) => runServiceOffline(MAIN, args);

function files(t: { teardown(fn: () => void): void }): { conf: string; map: string } {
  const dir = mkdtempSync('/tmp/paneld-modes-');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const map = path.join(dir, 'box.conf');
  writeFileSync(map, 'status led0\n');
  chmodSync(map, 0o644);
  const conf = path.join(dir, 'paneld.conf');
  writeFileSync(conf, `lcd no\nled_model ${map}\nbanner no\n`);
  chmodSync(conf, 0o644);
  return { conf, map };
}

test('good modes pass; a world-writable paneld.conf and a foreign LED map exit 78 with the fix', (t) => {
  const { conf, map } = files(t);
  t.is(paneld('--check-config', '-c', conf).status, 0);
  chmodSync(conf, 0o666);
  chownSync(map, 1000, 1000);
  for (const args of [['--check-config'], []]) {
    const r = paneld(...args, '-c', conf);
    t.is(r.status, 78, r.stderr);
    t.true(r.stderr.includes(`paneld: ${conf}: mode 0666 lets group and others write it; run: chmod 644 ${conf}`), r.stderr);
    t.true(r.stderr.includes(`paneld: ${map}: owned by uid 1000, not root; run: chown root:root ${map}`), r.stderr);
  }
});

test('a 10 MB junk line and lcdproc_host 127.0.-0.1: exit 78, quoted in at most 80 characters', (t) => {
  const { conf } = files(t);
  writeFileSync(conf, `lcdproc_host 127.0.-0.1\n${'z'.repeat(10 * 1024 * 1024)}\n`);
  const r = paneld('--check-config', '-c', conf);
  t.is(r.status, 78);
  const lines = r.stderr.split('\n').filter(Boolean);
  t.true(lines.every((l) => l.length < 300), 'nothing echoed whole');
  const quoted = /it starts "(z*)"/.exec(r.stderr)?.[1] ?? '';
  t.true(quoted.length > 0 && quoted.length <= 80);
  t.regex(r.stderr, /paneld\.conf:1: lcdproc_host: "127\.0\.-0\.1" is not a host name/);
});
