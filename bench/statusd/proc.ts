/**
 * Memory and CPU of the statusd process from /proc: VmRSS, and on-CPU time
 * from schedstat (nanoseconds, finer than utime+stime's 10 ms ticks).
 */
import { readFileSync } from 'node:fs';

export function rssMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m?.[1] === undefined ? NaN : Number(m[1]) / 1024;
}

/** On-CPU time of the whole process so far, ms (all threads: /proc/PID/task/* schedstat). */
export function cpuMs(pid: number): number {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
}

/** Samples RSS every `everyMs` until stop(); returns the samples. */
export function sampleRss(pid: number, everyMs = 100): { stop(): number[] } {
  const out: number[] = [];
  const t = setInterval(() => {
    try {
      out.push(rssMiB(pid));
    } catch {
      /* gone */
    }
  }, everyMs);
  return {
    stop: () => {
      clearInterval(t);
      return out;
    },
  };
}

/** The q-quantile (0..1) of samples, nearest rank. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
}

/** The open-files limit of a process (soft). */
export function fdLimit(pid: number | 'self'): number {
  const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return m?.[1] === undefined ? NaN : m[1] === 'unlimited' ? Infinity : Number(m[1]);
}
