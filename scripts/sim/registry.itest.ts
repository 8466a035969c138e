/** destroyRecord returns only when every process it killed is gone, even ones that ignore SIGTERM. */
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { destroyRecord, processStart, saveRecord, SIM_PREFIX, type SimRecord } from './registry';
import { runSync, waitFor } from './exec';

/** A process that ignores SIGTERM (the trap survives exec), started in `ns` or here. */
function stubborn(ns: string | null, marker: string): number {
  const sh = ['sh', '-c', `trap '' TERM; exec sleep ${marker}`];
  const argv = ns === null ? sh : ['ip', 'netns', 'exec', ns, ...sh];
  const child = spawn(argv[0] ?? 'sh', argv.slice(1), { stdio: 'ignore' });
  if (child.pid === undefined) throw new Error('spawn failed');
  return child.pid;
}

const running = (pid: number): boolean => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '');
  } catch {
    return false;
  }
};

test('teardown kills processes that ignore SIGTERM, in a namespace and outside, and none is left when it returns', async (t) => {
  const id = `regtest${process.pid}`;
  const ns = `${SIM_PREFIX}${id}-ns`;
  const rec: SimRecord = { id, ownerPid: process.pid, dir: mkdtempSync(path.join(os.tmpdir(), `${SIM_PREFIX}${id}-`)), namespaces: [ns], pids: [] };
  saveRecord(rec);
  t.teardown(() => {
    try {
      destroyRecord(rec);
    } catch {
      /* already destroyed by the test */
    }
  });
  runSync('ip', ['netns', 'add', ns]);
  const marker = `1000.${process.pid}`; // a sleep time no other process has: finds ours in ps
  const inside = stubborn(ns, `${marker}1`);
  const outside = stubborn(null, `${marker}2`);
  await waitFor('both sleeping', () => running(inside) && running(outside) && runSync('ps', ['-eo', 'args']).split('\n').filter((l) => l.includes(marker)).length === 2);
  // A SIGTERM changes nothing: they really ignore it.
  process.kill(inside, 'SIGTERM');
  process.kill(outside, 'SIGTERM');
  await new Promise((r) => setTimeout(r, 200));
  t.true(running(inside) && running(outside), 'the test processes should ignore SIGTERM');
  const start = processStart(outside);
  if (start === null) return t.fail('no start time');
  rec.pids.push({ pid: outside, start });
  saveRecord(rec);

  destroyRecord(rec);

  t.false(running(inside), 'the namespace process still runs after destroyRecord returned');
  t.false(running(outside), 'the recorded process still runs after destroyRecord returned');
  t.false(runSync('ps', ['-eo', 'args']).includes(marker), 'ps still lists a killed process');
  t.false(runSync('ip', ['netns', 'list']).includes(ns), 'namespace left');
});
