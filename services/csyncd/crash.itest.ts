/**
 * kill -9 of the receiver or of the sender at random moments of a 10 MB
 * push (upload, validate, swap, apply): after a restart the peer's file is
 * always whole - the old or the new content, checked by sha256 - and no
 * staging file is left. Seeded, so a failure can be replayed
 * (CSYNCD_CRASH_SEED, CSYNCD_CRASH_ROUNDS).
 */
import test from 'ava';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sleep, waitFor } from '../../scripts/sim/exec';
import type { SimUnit } from '../../scripts/sim/pair';
import { CsyncPair, ETC, must, sha256File, type UnitPaths } from './testing/csync-pair';

const SIZE = 10 * 1024 * 1024;
const SEED = Number(process.env.CSYNCD_CRASH_SEED ?? 20261122);
const ROUNDS = Number(process.env.CSYNCD_CRASH_ROUNDS ?? 10);

/** mulberry32: small, seeded, good enough to pick moments and fill files. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function content(rnd: () => number): Buffer {
  const b = Buffer.alloc(SIZE);
  for (let o = 0; o < SIZE; o += 4) b.writeUInt32LE(Math.floor(rnd() * 2 ** 32), o);
  return b;
}

const registry = (u: SimUnit, _p: UnitPaths): string =>
  `service big\n    file ${ETC}/big.cfg\n    max_size 32M\n    validate /bin/sh -c 'sleep 0.05; test -s "$0"' {file}\n    apply /bin/sh -c 'sleep 0.1; echo "$CSYNCD_PHASE" >> ${path.join(u.dir, 'big-apply.log')}'\n    timeout 20s\n`;

test('kill -9 of receiver and sender during 10 MB pushes: the peer always has the whole old or whole new file', async (t) => {
  const rnd = prng(SEED);
  const cp = await CsyncPair.create({ registry });
  t.teardown(() => cp.stop());
  writeFileSync(cp.etcFile(0, 'big.cfg'), content(rnd));
  writeFileSync(cp.etcFile(1, 'big.cfg'), content(rnd));
  await cp.exchangeKeys();
  await must(cp.ctl(0, ['push', 'big']));
  // How long one push takes on a warm connection: kills are spread over 1.3 times that.
  writeFileSync(cp.etcFile(0, 'big.cfg'), content(rnd));
  const t0 = performance.now();
  await cp.call(0, 'Push', 'big', false);
  const pushMs = performance.now() - t0;
  t.is(sha256File(cp.etcFile(1, 'big.cfg')), sha256File(cp.etcFile(0, 'big.cfg')));
  const outcomes: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const victim: 0 | 1 = round % 2 === 0 ? 1 : 0;
    const next = content(rnd);
    const newSha = createHash('sha256').update(next).digest('hex');
    writeFileSync(cp.etcFile(0, 'big.cfg'), next);
    const oldSha = sha256File(cp.etcFile(1, 'big.cfg'));
    const delay = Math.floor(rnd() * pushMs * 1.3);
    const pushing = cp.call(0, 'Push', 'big', false).then(() => 'completed', (e: unknown) => `failed: ${String(e).split('\n')[0] ?? ''}`);
    await sleep(delay);
    await cp.kill9(victim);
    const result = await pushing;
    cp.start(victim);
    await cp.waitReady(victim);
    await waitFor('u2 idle (no transaction left)', () => cp.leftovers(1).length === 0, 15_000, 50);
    const now = sha256File(cp.etcFile(1, 'big.cfg'));
    const which = now === newSha ? 'new' : now === oldSha ? 'old' : 'MIXED';
    outcomes.push(`round ${round}: kill ${victim === 1 ? 'receiver' : 'sender'} after ${delay} ms -> ${which} (push ${result})`);
    t.not(which, 'MIXED', outcomes.join('\n'));
  }
  const log = cp.log(1, 100_000);
  const count = (re: RegExp): number => (log.match(re) ?? []).length;
  const recoveries = `receiver recoveries at restart: ${count(/recovered an interrupted push: roll-forward/g)} rolled forward, ${count(/recovered an interrupted push: roll-back/g)} rolled back, ${count(/removing an unfinished upload/g)} unfinished uploads dropped`;
  t.log(`seed ${SEED}, full push ${Math.round(pushMs)} ms; ${recoveries}\n${outcomes.join('\n')}`);
  // The pair still syncs normally afterwards, without --force.
  await must(cp.ctl(0, ['push', 'big']));
  t.is(sha256File(cp.etcFile(1, 'big.cfg')), sha256File(cp.etcFile(0, 'big.cfg')));
  t.deepEqual(cp.leftovers(1), []);
  t.deepEqual(cp.leftovers(0), []);
});
