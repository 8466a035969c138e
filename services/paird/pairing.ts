/**
 * Pairing in one step, run by the unit the user works on (unit 0) with the
 * peer (unit 1) reached through its web API:
 *
 *   connect  pin the peer's certificate (the fingerprint the user confirmed)
 *   login    the peer's admin password
 *   check    both offers -> the plan (core/plan.ts), or the reason not to
 *   keys     prepare both at once: csyncd.cfg staged, keys made if none; public keys back
 *   write    commit both at once (files checked by hbd and csyncd, peer keys
 *            pinned, hbd and csyncd started); either failing undoes both
 *   wait     both units: every heartbeat link up, csyncd reaching the peer
 *
 * Any failure undoes what was done on both units (unpair), so a refused or
 * broken pairing leaves two unpaired units. Progress goes out after every
 * step (the CLI prints it, the HA page shows it).
 */
import { randomBytes } from 'node:crypto';
import { AppError, errorMessage, isAppError } from '../runtime/errors';
import type { Logger } from '../runtime/log';
import { decodeOffer, type UnitOffer } from './core/offer';
import { makePlan, type PairOptions } from './core/plan';
import { finished, started, stepChanged, type PairingProgress, type StepId } from './core/progress';
import { renderUnitFiles } from './core/render';
import { decodeKeys, type CommitRequest, type PeerWeb, type PrepareRequest, type PublicKeys } from './core/requests';
import type { UnitState } from './adapters/local-unit';

/** This unit, as pairing uses it (adapters/local-unit.ts). */
export interface LocalSide {
  offer(): Promise<UnitOffer>;
  prepare(r: PrepareRequest): Promise<PublicKeys>;
  commit(r: CommitRequest): Promise<string[]>;
  state(): Promise<UnitState>;
  unpair(): Promise<string[]>;
}

/** The peer through its web API (adapters/peer-client.ts + the statusd routes). */
export interface PeerSide {
  login(password: string): Promise<{ mustChangePassword: boolean }>;
  offer(): Promise<unknown>;
  prepare(r: PrepareRequest): Promise<unknown>;
  commit(r: CommitRequest): Promise<unknown>;
  state(): Promise<UnitState>;
  unpair(): Promise<unknown>;
}

export interface PairRequest {
  peer: string;
  password: string;
  options: PairOptions;
  /** The peer certificate's fingerprint the user confirmed (kept on this unit for unpairing both). */
  fingerprint: string;
}

export interface PairingDeps {
  local: LocalSide;
  /** Connects with the confirmed fingerprint pinned. */
  connect(): Promise<PeerSide>;
  /** This unit's own web UI certificate as seen at `address` (the peer keeps it to reach this unit later). */
  ownFingerprint(address: string): Promise<string>;
  log: Logger;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Every change of the progress. */
  onProgress(p: PairingProgress): void;
  /** How long the wait step may take. */
  waitMs: number;
}

/** Both units hear each other on every link, and csyncd reaches the peer. */
export function pairUp(s: UnitState): boolean {
  return s.hbd.running && s.hbd.links.length > 0 && s.hbd.links.every(([, status]) => status === 'up') && s.csyncd.running && s.csyncd.peerReachable;
}

function describe(s: UnitState): string {
  const links = s.hbd.links.map(([id, st]) => `${id} ${st}`).join(', ') || 'no links yet';
  return `${s.node}: hbd ${s.hbd.running ? s.hbd.state || 'starting' : 'not running'} (${links}), csyncd ${s.csyncd.running ? (s.csyncd.peerReachable ? 'reaches the peer' : 'does not reach the peer yet') : 'not running'}`;
}

export async function pair(req: PairRequest, d: PairingDeps): Promise<PairingProgress> {
  let p = started(req.peer, d.now());
  const emit = (): void => d.onProgress(p);
  const step = async <T>(id: StepId, run: () => Promise<{ value: T; detail: string }>): Promise<T> => {
    p = stepChanged(p, id, 'running', d.now());
    emit();
    try {
      const r = await run();
      p = stepChanged(p, id, 'done', d.now(), r.detail);
      emit();
      return r.value;
    } catch (err) {
      p = stepChanged(p, id, 'failed', d.now(), errorMessage(err));
      emit();
      throw err;
    }
  };
  emit();
  let peer: PeerSide | null = null;
  const touched = { local: false, peer: false };
  try {
    peer = await step('connect', async () => ({ value: await d.connect(), detail: `${req.peer} reached` }));
    const pp = peer;
    await step('login', async () => {
      const r = await pp.login(req.password);
      if (r.mustChangePassword) throw new AppError('PEER_PASSWORD_INITIAL', "the peer's admin password is still its initial one: log in to the peer's web UI once and choose a password, then pair with that");
      return { value: null, detail: 'logged in' };
    });
    const plan = await step('check', async () => {
      const local = await d.local.offer();
      const theirs = decodeOffer(await pp.offer());
      if (!theirs.ok) throw new AppError('PEER_BAD_ANSWER', `the peer's offer: ${theirs.message}`);
      const r = makePlan(local, theirs.value, req.peer, req.options);
      if (!r.ok) throw new AppError(r.code, r.reason);
      p = { ...p, warnings: r.plan.warnings };
      const media = [...new Set(r.plan.links.map((l) => `ucast ${l.localIface}`)), ...(r.plan.serial === null ? [] : [`serial ${r.plan.serial[0]}`])];
      return { value: r.plan, detail: `${r.plan.nodes[0]} + ${r.plan.nodes[1]}; ${media.join(', ')}; ping node ${r.plan.pingNode ?? 'none'}; floating IPs ${r.plan.vips.map((v) => v.cidr.address).join(' ')}` };
    });
    const stamp = new Date(d.now()).toISOString();
    const secret = randomBytes(32).toString('hex');
    const files = [renderUnitFiles(plan, 0, secret, stamp), renderUnitFiles(plan, 1, secret, stamp)] as const;
    const keys = await step('keys', async () => {
      touched.local = true;
      touched.peer = true;
      // Both units at once (each may make its keys: a program start, seconds on a slow CPU).
      const [mine, answer] = await Promise.all([
        d.local.prepare({ node: files[0].node, csyncdCfg: files[0].csyncdCfg }),
        pp.prepare({ node: files[1].node, csyncdCfg: files[1].csyncdCfg }),
      ]);
      const theirs = decodeKeys(answer);
      if (!theirs.ok) throw new AppError('PEER_BAD_ANSWER', `the peer's keys: ${theirs.message}`);
      return { value: { mine, theirs: theirs.value }, detail: `pinned both ways (${mine.host.split(' ')[0] ?? ''})` };
    });
    await step('write', async () => {
      const commit = (f: (typeof files)[number], peerIp: string, peerKeys: PublicKeys, peerWeb: PeerWeb | null): CommitRequest => ({ node: f.node, rename: f.rename, haCf: f.haCf, haresources: f.haresources, authkeys: f.authkeys, peerIp, peerKeys, peerWeb });
      // Each unit keeps where the other's web UI is and its certificate: `hactl unpair` undoes both later.
      const mineWeb = await d.ownFingerprint(plan.sync.localIp).then((fingerprint) => ({ address: plan.sync.localIp, fingerprint }), () => null);
      const theirWeb = { address: req.peer, fingerprint: req.fingerprint };
      // Both at once; either failing undoes both (below).
      const results = await Promise.allSettled([pp.commit(commit(files[1], plan.sync.localIp, keys.mine, mineWeb)), d.local.commit(commit(files[0], plan.sync.peerIp, keys.theirs, theirWeb))]);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      return { value: null, detail: `${plan.nodes[0]} and ${plan.nodes[1]} written; hbd and csyncd started` };
    });
    await step('wait', async () => {
      const until = d.now() + d.waitMs;
      let last = '';
      for (;;) {
        const [a, b] = await Promise.all([d.local.state(), pp.state()]);
        last = `${describe(a)}; ${describe(b)}`;
        if (pairUp(a) && pairUp(b)) return { value: null, detail: last };
        if (d.now() >= until) throw new AppError('PAIR_NOT_UP', `not every medium up after ${Math.round(d.waitMs / 1000)} s: ${last}`);
        await d.sleep(500);
      }
    });
    p = finished(p, d.now(), null);
    emit();
    d.log.info({ audit: 'pair', peer: req.peer, result: 'ok', warnings: p.warnings }, 'paired');
    return p;
  } catch (err) {
    const code = isAppError(err) ? err.code : 'PAIR_FAILED';
    // Undo on both units: the pair is left as two unpaired units.
    if (touched.peer && peer !== null) await peer.unpair().catch((e: unknown) => d.log.warn({ err: e }, 'undo on the peer failed'));
    if (touched.local) await d.local.unpair().catch((e: unknown) => d.log.warn({ err: e }, 'undo here failed'));
    p = finished(p, d.now(), { code, reason: errorMessage(err) });
    emit();
    d.log.warn({ audit: 'pair', peer: req.peer, result: 'failed', code, reason: errorMessage(err) }, 'pairing failed');
    return p;
  }
}
