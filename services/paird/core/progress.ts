/**
 * The progress of one pairing, as the CLI and the HA page show it: fixed
 * steps, each pending -> running -> done | failed, and the outcome. Pure:
 * the orchestrator feeds events, the D-Bus property carries the JSON.
 */

export type StepId = 'connect' | 'login' | 'check' | 'keys' | 'write' | 'wait';
export type StepStatus = 'pending' | 'running' | 'done' | 'failed';

export const STEP_TITLES: Record<StepId, string> = {
  connect: "Connect to the peer's web UI and pin its certificate",
  login: 'Log in to the peer as admin',
  check: 'Check both units (firmware, not paired, addresses, floating IPs)',
  keys: 'Exchange the configuration sync keys',
  write: 'Write the HA and sync settings on both units and start hbd and csyncd',
  wait: 'Wait until each unit hears the other on every medium',
};

export const STEP_ORDER: StepId[] = ['connect', 'login', 'check', 'keys', 'write', 'wait'];

export interface PairingStep {
  id: StepId;
  title: string;
  status: StepStatus;
  detail: string;
  /** Unix ms when it started running (0: not yet), and how long it took once done or failed. */
  startedAt: number;
  ms: number;
}

export interface PairingProgress {
  /** idle: never ran since paird started. */
  state: 'idle' | 'running' | 'done' | 'failed';
  peer: string;
  steps: PairingStep[];
  /** Set when failed: a stable code and the reason in words. */
  error: { code: string; reason: string } | null;
  warnings: string[];
  startedAt: number;
  finishedAt: number;
}

export const IDLE: PairingProgress = { state: 'idle', peer: '', steps: [], error: null, warnings: [], startedAt: 0, finishedAt: 0 };

export function started(peer: string, now: number): PairingProgress {
  return { state: 'running', peer, steps: STEP_ORDER.map((id) => ({ id, title: STEP_TITLES[id], status: 'pending', detail: '', startedAt: 0, ms: 0 })), error: null, warnings: [], startedAt: now, finishedAt: 0 };
}

export function stepChanged(p: PairingProgress, id: StepId, status: StepStatus, now: number, detail = ''): PairingProgress {
  return {
    ...p,
    steps: p.steps.map((s) => {
      if (s.id !== id) return s;
      const startedAt = status === 'running' ? now : s.startedAt;
      return { ...s, status, detail, startedAt, ms: status === 'done' || status === 'failed' ? now - startedAt : 0 };
    }),
  };
}

export function finished(p: PairingProgress, now: number, error: { code: string; reason: string } | null): PairingProgress {
  return { ...p, state: error === null ? 'done' : 'failed', error, finishedAt: now };
}

/** One line per step for a terminal: "[done] Log in to the peer as admin". */
export function stepLine(s: PairingStep): string {
  const took = s.status === 'done' || s.status === 'failed' ? ` (${(s.ms / 1000).toFixed(1)} s)` : '';
  return `[${s.status === 'done' ? ' ok ' : s.status === 'failed' ? 'FAIL' : s.status === 'running' ? ' .. ' : '    '}] ${s.title}${s.detail === '' ? '' : `: ${s.detail}`}${took}`;
}
