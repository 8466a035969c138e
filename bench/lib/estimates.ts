/**
 * How long each benchmark takes on the reference machine (2 cores), from its
 * knobs, so `make bench` can say what it is in for before it starts. A guide,
 * not a promise: the runner also records each run's real duration in
 * bench/results/<name>.json and prints the last one beside the estimate.
 *
 * The per-step figures below are rounded from runs on the 2-core machine
 * (e.g. one image boot ~0.6 min under TCG, a cold image build ~5.5 min).
 */
import { intFromEnv } from './env';
import { selectedSeries, idleSeconds, DEFAULT_IDLE_S, DEFAULT_REPS as FAILOVER_REPS } from '../failover/settings';
import { DEFAULT_REPS as SOAK_REPS, DEFAULT_SOAK_MINUTES } from '../soak/env';

const env = (name: string, dflt: number): number => intFromEnv(name, dflt, 1).value;
const words = (name: string, dflt: string): number => (process.env[name] ?? dflt).split(/[\s,]+/).filter((w) => w !== '').length;

/** Every knob a user can turn, with what it does: printed by the runner and listed in README. */
export const KNOBS: Record<string, string> = {
  BENCH_REPS: 'trials per series: failover (10), soak failover series (10), csync pushes per size (10)',
  BENCH_IDLE_S: 'failover: idle window at the 1 s timers (30 s; <= 10 s at the faster ones)',
  BENCH_FAILOVER_ONLY: 'failover: only the series whose "system setting" contains one of these comma-separated words, e.g. hbd,keepalived',
  BENCH_FAILOVER_LOGS: 'failover: keep the daemons\' logs in this directory',
  BENCH_SOAK_MINUTES: 'soak: minutes of CPU/memory stress per soak (10)',
  BENCH_SOAK_FULL: 'soak: 1 adds the 100 ms timing under chrt -r 10',
  BENCH_SOAK_LOGS: 'soak: keep every pair\'s daemon logs in this directory',
  BENCH_STATUSD_CLIENTS: 'statusd: WebSocket clients (1000)',
  BENCH_STATUSD_CHANGES: 'statusd: state changes timed (300)',
  BENCH_STATUSD_SLOW: 'statusd: slow clients that never read (100)',
  BENCH_STATUSD_CLIENT_THREADS: 'statusd: client worker threads (2)',
  BENCH_STATUSD_NODE_ARGS: 'statusd: extra node flags for statusd, e.g. --cpu-prof',
  BENCH_PANELD_CHANGES: 'paneld: state changes timed (40)',
  BENCH_IMAGES_CASES: 'images: boot cases timed ("kvm-bios kvm-uefi")',
  BENCH_IMAGES_BOOTS: 'images: boots per case (3)',
  BENCH_IMAGES_COLD: 'images: 0 skips the cold build (empty Debian base cache)',
  BENCH_IMAGES_PAIR: 'images: 0 skips the booted pair failover',
};

/** Minutes each benchmark should take with the current environment. */
export function expectedMinutes(name: string): number {
  switch (name) {
    case 'runtime':
      return 1;
    case 'failover': {
      const reps = env('BENCH_REPS', FAILOVER_REPS);
      const idle = env('BENCH_IDLE_S', DEFAULT_IDLE_S);
      // A trial: kill, failover, restart and settle, ~4 deadtimes + 2 s of process start; then the idle window.
      const seconds = selectedSeries().reduce((a, s) => a + reps * (2 + (4 * s.timing.deadtimeMs) / 1000) + idleSeconds(s, idle), 0);
      return Math.ceil(seconds / 60);
    }
    case 'soak': {
      const soaks = process.env.BENCH_SOAK_FULL === '1' ? 4 : 3;
      return soaks * env('BENCH_SOAK_MINUTES', DEFAULT_SOAK_MINUTES) + Math.ceil((env('BENCH_REPS', SOAK_REPS) * 3 * 8) / 60);
    }
    case 'csync':
      return Math.ceil((env('BENCH_REPS', 10) * 3 * 6 * 0.7) / 60) + 1;
    case 'statusd':
      return Math.ceil(3 + env('BENCH_STATUSD_CLIENTS', 1000) / 1000 + env('BENCH_STATUSD_CHANGES', 300) / 150);
    case 'images': {
      const cold = process.env.BENCH_IMAGES_COLD !== '0' ? 5.5 : 2;
      const boots = words('BENCH_IMAGES_CASES', 'kvm-bios kvm-uefi') * env('BENCH_IMAGES_BOOTS', 3) * 0.6;
      return Math.ceil(cold + boots + (process.env.BENCH_IMAGES_PAIR === '0' ? 0 : 2));
    }
    case 'paneld':
      return Math.ceil(1 + env('BENCH_PANELD_CHANGES', 40) / 40);
    case 'hwtest':
      return 2;
    case 'quickstart':
      return 8;
    default:
      return 5;
  }
}

/** "3 min", "1 h 05 min". */
export function formatMinutes(min: number): string {
  const m = Math.round(min);
  return m >= 60 ? `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min` : `${Math.max(1, m)} min`;
}
