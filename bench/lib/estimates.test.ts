import test from 'ava';
import { expectedMinutes, formatMinutes, KNOBS } from './estimates';

const withEnv = <T>(env: Record<string, string>, fn: () => T): T => {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
};

test('estimates follow the knobs', (t) => {
  const soak = expectedMinutes('soak');
  t.is(withEnv({ BENCH_SOAK_MINUTES: '1' }, () => expectedMinutes('soak')), soak - 27);
  const failover = expectedMinutes('failover');
  t.true(withEnv({ BENCH_FAILOVER_ONLY: 'hbd' }, () => expectedMinutes('failover')) < failover);
  t.true(withEnv({ BENCH_REPS: '1' }, () => expectedMinutes('failover')) < failover);
  t.true(withEnv({ BENCH_IMAGES_COLD: '0', BENCH_IMAGES_PAIR: '0' }, () => expectedMinutes('images')) < expectedMinutes('images'));
  t.is(withEnv({ BENCH_SOAK_MINUTES: 'ten' }, () => expectedMinutes('soak')), soak, 'a bad knob falls back to the default, as the benchmark does');
});

test('every knob a benchmark reads is listed', (t) => {
  for (const k of ['BENCH_REPS', 'BENCH_FAILOVER_ONLY', 'BENCH_SOAK_MINUTES', 'BENCH_IMAGES_CASES', 'BENCH_STATUSD_CLIENTS', 'BENCH_PANELD_CHANGES']) t.truthy(KNOBS[k], k);
});

test('minutes read as a person would say them', (t) => {
  t.is(formatMinutes(0.2), '1 min');
  t.is(formatMinutes(12), '12 min');
  t.is(formatMinutes(65), '1 h 05 min');
});
