/**
 * Health inputs of the election: ping nodes (split-brain arbitration) and
 * tracked interfaces/scripts (VRRP track_interface / track_script).
 * Both report changes only; the core decides what they mean.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export interface PingSettings {
  hosts: readonly string[];
  /** How often each host is probed. */
  intervalMs: number;
  /** A host counts as reachable if it answered within this window. */
  windowMs: number;
}

/**
 * Probe interval and window from the deadtime. The window must close well
 * before the peer is declared dead: when both heartbeat links and our LAN
 * go at once, we must already know the ping node is gone by the time the
 * peer's silence would make us take over (split-brain protection). So the
 * window is at most half the deadtime, whatever deadping says.
 */
export function pingSettingsFor(hosts: readonly string[], deadtimeMs: number, deadpingMs: number | null): PingSettings {
  const intervalMs = Math.min(1000, Math.max(100, Math.floor(deadtimeMs / 4)));
  const windowMs = Math.min(deadpingMs ?? Infinity, Math.max(2 * intervalMs, Math.floor(deadtimeMs / 2)));
  return { hosts, intervalMs, windowMs };
}

export interface Stoppable {
  stop(): void;
}

/** Probe every host with one `ping -c 1` at a time; report the reachable count when it changes. */
export function startPingMonitor(s: PingSettings, now: () => number, onChange: (reachable: number) => void): Stoppable {
  const lastOk = new Map<string, number>();
  let reported = -1;
  let stopped = false;
  const evaluate = (): void => {
    const t = now();
    const n = s.hosts.filter((h) => t - (lastOk.get(h) ?? -Infinity) <= s.windowMs).length;
    if (n !== reported) {
      reported = n;
      onChange(n);
    }
  };
  const probe = (host: string): void => {
    if (stopped) return;
    const started = now();
    execFile('ping', ['-n', '-c', '1', '-W', '1', host], { timeout: s.intervalMs + 1000 }, (err) => {
      if (!err) lastOk.set(host, now());
      evaluate();
      const wait = Math.max(0, s.intervalMs - (now() - started));
      if (!stopped) setTimeout(() => probe(host), wait);
    });
  };
  s.hosts.forEach(probe);
  const ticker = setInterval(evaluate, s.intervalMs);
  return {
    stop: () => {
      stopped = true;
      clearInterval(ticker);
    },
  };
}

export interface TrackSettings {
  interfaces: readonly string[];
  scripts: readonly { path: string; intervalMs: number }[];
}

const INTERFACE_POLL_MS = 200;

/** Aggregate health: every tracked interface up and every track script exiting 0. */
export function startTrackMonitor(s: TrackSettings, onChange: (ok: boolean, why: string) => void): Stoppable {
  const failing = new Map<string, string>();
  let reported: boolean | null = null;
  const set = (key: string, problem: string | null): void => {
    if (problem === null) failing.delete(key);
    else failing.set(key, problem);
    const ok = failing.size === 0;
    if (ok !== reported) {
      reported = ok;
      onChange(ok, ok ? 'all tracked items healthy' : [...failing.values()].join('; '));
    }
  };
  const timers: NodeJS.Timeout[] = [];
  const pollIfaces = async (): Promise<void> => {
    for (const i of s.interfaces) {
      const state = await readFile(`/sys/class/net/${i}/operstate`, 'utf8').then((x) => x.trim(), () => 'missing');
      set(`if:${i}`, state === 'up' || state === 'unknown' ? null : `interface ${i} is ${state}`);
    }
  };
  if (s.interfaces.length > 0) {
    void pollIfaces();
    timers.push(setInterval(() => void pollIfaces(), INTERFACE_POLL_MS));
  }
  for (const sc of s.scripts) {
    const check = (): void => {
      execFile(sc.path, [], { timeout: sc.intervalMs }, (err) => set(`script:${sc.path}`, err ? `track script ${sc.path} failed: ${err.message.split('\n')[0]}` : null));
    };
    check();
    timers.push(setInterval(check, sc.intervalMs));
  }
  if (s.interfaces.length === 0 && s.scripts.length === 0) set('none', null);
  return { stop: () => timers.forEach((t) => clearInterval(t)) };
}
