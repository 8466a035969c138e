import test from 'ava';
import pino from 'pino';
import { SystemSource } from './system-source';
import type { Json } from '../core/json';

const quiet = pino({ level: 'silent' });

/** The real sampler on this machine: when the first figures are published, and what. */
async function firstPublish(src: SystemSource): Promise<{ afterMs: number; path: string[]; value: Json | undefined }> {
  const t0 = Date.now();
  const keepAlive = setInterval(() => undefined, 1000); // statusd's servers do this in the service (the timer is unref'd)
  try {
    return await new Promise((resolve) => {
      void src.start((path, value) => resolve({ afterMs: Date.now() - t0, path, value }));
    });
  } finally {
    clearInterval(keepAlive);
    await src.stop();
  }
}

test('the first sample is taken after the first delay, then the system figures are published', async (t) => {
  const r = await firstPublish(new SystemSource(200, quiet, 600));
  t.true(r.afterMs >= 600, `published ${r.afterMs} ms after start: before the delay`);
  t.deepEqual(r.path, ['system']);
  t.true(typeof r.value === 'object' && r.value !== null && 'cpu' in r.value, JSON.stringify(r.value));
});

test('stopped before the delay: nothing sampled, nothing published', async (t) => {
  const src = new SystemSource(100, quiet, 300);
  let published = false;
  await src.start(() => (published = true));
  await src.stop();
  await new Promise((r) => setTimeout(r, 800));
  t.false(published);
});
