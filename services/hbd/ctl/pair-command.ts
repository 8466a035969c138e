/**
 * `hactl pair PEER` and `hactl unpair`: the CLI of pairing, a client of
 * paird on D-Bus (services/paird/README.md). As ssh does with a new host
 * key, pair shows the peer certificate's fingerprint and asks to confirm it
 * (or takes --fingerprint); the peer's admin password is asked with no echo
 * (or read from --password-file); then every step is printed as paird
 * reports it. Exit 0 paired, 2 refused (with the reason), 1 failed.
 */
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { ParsedCli } from '../../runtime/cli';
import { callService, getServiceProxy, type MessageBus } from '../../runtime/dbus';
import { AppError, isAppError } from '../../runtime/errors';
import { EXIT } from '../../runtime/exit-codes';

interface Step { title: string; status: string; detail: string; ms?: number }
interface Progress { state: string; steps: Step[]; error: { code: string; reason: string } | null; warnings: string[]; startedAt: number; finishedAt: number }

/** Refusals the user can act on (exit 2), as opposed to failures (exit 1). */
const REFUSALS = new Set(['VERSION_MISMATCH', 'ALREADY_PAIRED', 'PEER_PAIRED', 'NO_ROUTE', 'SELF', 'NO_VIP', 'BAD_VIP', 'VIP_CONFLICT', 'BAD_PING_NODE',
  'PEER_BAD_PASSWORD', 'PEER_PASSWORD_INITIAL', 'FINGERPRINT_MISMATCH', 'PEER_UNREACHABLE', 'PEER_RATE_LIMITED', 'NO_PEER_KNOWN']);

const FP = /^(SHA256:)?([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/;
const norm = (f: string): string => f.replace(/^SHA256:/i, '').toUpperCase();

/** One line from the terminal; `hidden`: no echo (a password). */
export async function ask(question: string, hidden: boolean): Promise<string> {
  process.stderr.write(question);
  const muted = new Writable({ write: (_c, _e, cb) => cb() });
  const rl = createInterface({ input: process.stdin, output: hidden ? muted : process.stderr, terminal: hidden && process.stdin.isTTY === true });
  try {
    const line = await new Promise<string | null>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(null));
    });
    if (hidden) process.stderr.write('\n');
    if (line === null) throw new AppError('USAGE', 'no answer (input ended)');
    return line;
  } finally {
    rl.close();
  }
}

const stepMark = (s: string): string => (s === 'done' ? ' ok ' : s === 'failed' ? 'FAIL' : s === 'running' ? ' .. ' : '    ');

export async function pairCommand(cli: ParsedCli, out: NodeJS.WritableStream, bus: MessageBus): Promise<number> {
  const peer = cli.positionals[1];
  if (peer === undefined) throw new AppError('USAGE', "pair: which peer? hactl pair PEER_ADDRESS --vip ADDRESS (the other unit's address on the heartbeat or LAN network)");
  const vips = (cli.values.vip as string[] | undefined) ?? [];
  const [probe] = await callService(bus, 'paird', 'Probe', 's', [peer]);
  const cert = JSON.parse(String(probe)) as { fingerprint: string; subject: string };
  let fingerprint = cli.values.fingerprint as string | undefined;
  if (fingerprint !== undefined) {
    if (!FP.test(fingerprint)) throw new AppError('USAGE', '--fingerprint: SHA256:AB:CD:... (32 bytes, as hactl pair shows it)');
    if (norm(fingerprint) !== norm(cert.fingerprint)) {
      process.stderr.write(`hactl: the peer ${peer} presents ${cert.fingerprint}, not ${fingerprint}: another machine, or a man in the middle; nothing was sent\n`);
      return EXIT.REFUSED;
    }
  } else {
    out.write(`The web UI certificate of ${peer} (${cert.subject}) has the fingerprint\n  ${cert.fingerprint}\n`);
    out.write("Compare it with the one the peer shows (its System Overview, or `openssl x509 -fingerprint -sha256` of its certificate).\n");
    const answer = (await ask('Pair with this unit (yes/no, or paste the fingerprint)? ', false)).trim();
    const ok = answer === 'yes' || (FP.test(answer) && norm(answer) === norm(cert.fingerprint));
    if (!ok) {
      process.stderr.write(FP.test(answer) ? 'hactl: that is not the fingerprint shown; nothing was sent\n' : 'hactl: not confirmed; nothing was sent\n');
      return EXIT.REFUSED;
    }
    fingerprint = cert.fingerprint;
  }
  const file = cli.values['password-file'] as string | undefined;
  const password = file !== undefined
    ? ((await readFile(file, 'utf8').catch(() => { throw new AppError('FILE_UNREADABLE', `cannot read --password-file ${file}`); })).split('\n')[0] ?? '')
    : await ask(`admin password of ${peer}: `, true);
  const ping = cli.values['ping-node'] as string | undefined;
  const request = {
    peer, password, fingerprint, vips,
    ...(ping === undefined ? {} : { pingNode: ping === 'none' ? null : ping }),
    ...(cli.values['no-serial'] === true ? { serial: false } : {}),
  };
  const paird = await getServiceProxy(bus, 'paird');
  let printed = new Map<string, string>();
  const show = (p: Progress): void => {
    const next = new Map<string, string>();
    for (const s of p.steps) {
      const took = (s.status === 'done' || s.status === 'failed') && typeof s.ms === 'number' ? ` (${(s.ms / 1000).toFixed(1)} s)` : '';
      const line = `[${stepMark(s.status)}] ${s.title}${s.detail === '' ? '' : `: ${s.detail}`}${took}`;
      next.set(s.title, line);
      if (printed.get(s.title) !== line && s.status !== 'pending') out.write(`${line}\n`);
    }
    printed = next;
  };
  const done = new Promise<Progress>((resolve) => {
    let seenRunning = false;
    paird.onChanged((c) => {
      if (typeof c.Pairing !== 'string') return;
      const p = JSON.parse(c.Pairing) as Progress;
      if (p.state === 'running') seenRunning = true;
      if (!seenRunning) return;
      show(p);
      if (p.state === 'done' || p.state === 'failed') resolve(p);
    });
  });
  await new Promise((r) => setTimeout(r, 100)); // the match rule reaches the daemon before Pair starts
  await callService(bus, 'paird', 'Pair', 's', [JSON.stringify(request)]);
  const result = await done;
  for (const w of result.warnings) out.write(`warning: ${w}\n`);
  if (result.state === 'done') {
    out.write(`Paired in ${((result.finishedAt - result.startedAt) / 1000).toFixed(1)} s. hactl status shows the pair; test a failover with hactl standby.\n`);
    return EXIT.OK;
  }
  const e = result.error ?? { code: 'PAIR_FAILED', reason: 'unknown' };
  process.stderr.write(`hactl: pairing ${REFUSALS.has(e.code) ? 'refused' : 'failed'} (${e.code}): ${e.reason}\nBoth units were left unpaired.\n`);
  return REFUSALS.has(e.code) ? EXIT.REFUSED : EXIT.FAILURE;
}

/** `hactl unpair`: both units (the peer's admin password asked, or --password-file); --local-only: this unit. */
export async function unpairCommand(cli: ParsedCli, out: NodeJS.WritableStream, bus: MessageBus): Promise<number> {
  const said = (moved: string[], who: string): string => (moved.length === 0 ? `${who} was not paired` : `unpaired ${who}: hbd and csyncd stopped; moved aside ${moved.join(', ')}`);
  if (cli.values['local-only'] === true) {
    const [r] = await callService(bus, 'paird', 'Unpair');
    out.write(`${said((JSON.parse(String(r)) as { moved: string[] }).moved, 'this unit')}\n`);
    return EXIT.OK;
  }
  const file = cli.values['password-file'] as string | undefined;
  const password = file !== undefined
    ? ((await readFile(file, 'utf8').catch(() => { throw new AppError('FILE_UNREADABLE', `cannot read --password-file ${file}`); })).split('\n')[0] ?? '')
    : await ask("the peer's admin password (or run with --local-only when the peer is gone): ", true);
  try {
    const [r] = await callService(bus, 'paird', 'UnpairBoth', 's', [JSON.stringify({ password })]);
    const o = JSON.parse(String(r)) as { peer: string; peerMoved: string[]; moved: string[] };
    out.write(`${said(o.peerMoved, `the peer (${o.peer})`)}\n${said(o.moved, 'this unit')}\n`);
    return EXIT.OK;
  } catch (err) {
    if (isAppError(err) && REFUSALS.has(err.code)) {
      process.stderr.write(`hactl: unpair refused (${err.code}): ${err.message}\nNothing was changed here; with the peer gone: hactl unpair --local-only\n`);
      return EXIT.REFUSED;
    }
    throw err;
  }
}
