/**
 * The HTTPS request handler (README "HTTP API"): the page's files, login,
 * logout, session, and the two actions. State-changing requests pass
 * core/request-checks (Origin, session, CSRF header); actions are audited.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../runtime/log';
import { errorMessage, isAppError } from '../../runtime/errors';
import type { Auth } from '../auth';
import type { Session } from '../core/sessions';
import { decodeFailover, decodeLogin, decodePasswordChange, decodePush, decodeRestart, decodeSave } from '../core/api-requests';
import { actionVerdict, checkOrigin, CSRF_HEADER, parseCookies, rateKey, SESSION_COOKIE, sessionCookie } from '../core/request-checks';
import type { FailoverControl, PairControl, PairMember, SyncControl, UnitControl } from '../ports/controls';
import { readBody, remoteAddress, sendBodyError, sendError, sendJson } from './http-util';
import type { StaticFiles } from './static-files';

export interface WebAppDeps {
  auth: Auth;
  files: StaticFiles;
  units: readonly string[];
  unitControl: UnitControl;
  failover: FailoverControl;
  /** paird (pairing): the HA page's Pair button, and the peer's side when another unit pairs with this one. */
  pair: PairControl;
  /** csyncd: the sync page's Push and Save. */
  sync: SyncControl;
  /** SHA256:.. of the web UI's certificate now (the HA page shows it: the peer's pairing confirms it). */
  fingerprint(): string;
  allowOrigins: readonly string[];
  sessionMaxAgeS: number;
  log: Logger;
  /** Close the feeds of a session that ended. */
  endSession(token: string): void;
  /** A user changed their password (statusd republishes AdminPassword). */
  passwordChanged?(user: string): void;
}

const BODY_LIMIT = 4096;
/** The pairing's commit carries ha.cf, haresources and authkeys. */
const PAIR_BODY_LIMIT = 64 * 1024;

/** HTTP status of an action's error code (a refusal of the target, not a failure of statusd). */
function actionErrorStatus(code: string): number {
  switch (code) {
    case 'ACTION_DENIED': return 403;
    case 'UNIT_NOT_ALLOWED': case 'INVALID_ARGUMENT': return 400;
    case 'ALREADY_PAIRED': case 'NOT_PREPARED': case 'PAIRING_RUNNING': case 'NOT_PAIRED': case 'NO_SERIAL_PORT': return 409;
    case 'HA_CONFIG_REFUSED': case 'SYNC_CONFIG_REFUSED': return 422;
    case 'SERVICE_UNAVAILABLE': return 503;
    default: return 502;
  }
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export function createWebApp(d: WebAppDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const token = (req: IncomingMessage): string | undefined => parseCookies(req.headers.cookie).get(SESSION_COOKIE);
  const origin = (req: IncomingMessage) => checkOrigin(req.headers.origin, req.headers.host, 'https', d.allowOrigins);

  /** Gate, body, audit: the shape every action shares. */
  const action = (name: string, run: (body: string, user: string, req: IncomingMessage) => Promise<{ status: number; body: unknown; target: string }>, limit = BODY_LIMIT): Handler => async (req, res) => {
    const session = d.auth.check(token(req));
    const gate = actionVerdict({ origin: origin(req), session, csrfHeader: req.headers[CSRF_HEADER] as string | undefined });
    const from = remoteAddress(req);
    if (!gate.ok) {
      d.log.warn({ audit: name, from, result: 'refused', code: gate.code, reason: gate.reason }, 'action refused');
      return sendError(res, gate.status, gate.code, gate.reason);
    }
    const user = session.ok ? session.session.user : '?';
    const body = await readBody(req, limit);
    if (!body.ok) return sendBodyError(res, body);
    try {
      const r = await run(body.text, user, req);
      d.log.info({ audit: name, user, from, target: r.target, result: r.status < 300 ? 'ok' : 'refused', status: r.status }, `action ${name}`);
      sendJson(res, r.status, r.body);
    } catch (err) {
      const code = isAppError(err) ? err.code : 'ACTION_FAILED';
      d.log.error({ audit: name, user, from, result: 'failed', code, err }, `action ${name} failed`);
      sendError(res, actionErrorStatus(code), code, errorMessage(err));
    }
  };

  /** A read for logged-in users whose password is not the initial one (GET: no CSRF token needed). */
  const read = (run: () => Promise<unknown>): Handler => async (req, res) => {
    const s = d.auth.check(token(req));
    if (!s.ok) return sendError(res, 401, 'NOT_LOGGED_IN', `session ${s.reason}`);
    if (s.session.mustChangePassword) return sendError(res, 403, 'PASSWORD_CHANGE_REQUIRED', 'change the initial password first (POST /api/password)');
    try {
      sendJson(res, 200, await run());
    } catch (err) {
      const code = isAppError(err) ? err.code : 'ACTION_FAILED';
      sendError(res, actionErrorStatus(code), code, errorMessage(err));
    }
  };

  /** A pairing action forwarded to paird: the body is its JSON argument (decoded by paird, as outside input). */
  const pairAction = (name: string, member: PairMember, limit = BODY_LIMIT): Handler => action(name, async (text) => {
    let arg: unknown = undefined;
    if (text.trim() !== '') {
      try {
        arg = JSON.parse(text) as unknown;
      } catch {
        return { status: 400, body: { error: 'BAD_REQUEST', message: 'the body is not JSON' }, target: '?' };
      }
    }
    const out = await d.pair.call(member, member === 'Probe' ? String((arg as { peer?: unknown } | undefined)?.peer ?? '') : arg);
    const peer = (arg as { peer?: unknown } | undefined)?.peer;
    return { status: 200, body: out, target: typeof peer === 'string' ? peer.slice(0, 64) : member };
  }, limit);

  const sessionView = (s: Session) => ({ user: s.user, csrf: s.csrf, units: d.units, mustChangePassword: s.mustChangePassword, fingerprint: d.fingerprint() });

  const routes: Record<string, Handler> = {
    'GET /api/session': async (req, res) => {
      const s = d.auth.check(token(req));
      if (!s.ok) return sendError(res, 401, 'NOT_LOGGED_IN', `session ${s.reason}`);
      sendJson(res, 200, sessionView(s.session));
    },
    'POST /api/login': async (req, res) => {
      if (origin(req) === 'foreign') return sendError(res, 403, 'FOREIGN_ORIGIN', 'foreign origin');
      const body = await readBody(req, BODY_LIMIT);
      if (!body.ok) return sendBodyError(res, body);
      const login = decodeLogin(body.text);
      if (!login.ok) return sendError(res, 400, login.code, login.message);
      const from = remoteAddress(req);
      const r = await d.auth.login(login.value.user, login.value.password, rateKey(from));
      if (!r.ok && r.reason === 'rate-limited') {
        d.log.warn({ audit: 'login', user: login.value.user.slice(0, 32), from, result: 'rate-limited', scope: r.scope }, 'login rate-limited');
        return sendError(res, 429, 'RATE_LIMITED', 'too many login attempts; try again later', { 'retry-after': String(Math.ceil(r.retryAfterMs / 1000)) });
      }
      if (!r.ok) {
        d.log.warn({ audit: 'login', user: login.value.user.slice(0, 32), from, result: 'bad-credentials' }, 'login failed');
        return sendError(res, 401, 'BAD_CREDENTIALS', 'wrong user name or password');
      }
      d.log.info({ audit: 'login', user: r.session.user, from, result: 'ok' }, 'login');
      sendJson(res, 200, sessionView(r.session), { 'set-cookie': sessionCookie(r.token, d.sessionMaxAgeS) });
    },
    'POST /api/logout': async (req, res) => {
      // Idempotent, no body: whatever the state, the answer is 200 and a
      // cleared cookie. A live session still needs same origin + CSRF token
      // (nobody else may end it); without one there is nothing to protect.
      const t = token(req);
      const session = d.auth.check(t, false);
      const from = remoteAddress(req);
      const gate = actionVerdict({ origin: origin(req), session, csrfHeader: req.headers[CSRF_HEADER] as string | undefined });
      if (!gate.ok && (session.ok || gate.code === 'FOREIGN_ORIGIN')) {
        d.log.warn({ audit: 'logout', from, result: 'refused', code: gate.code, reason: gate.reason }, 'action refused');
        return sendError(res, gate.status, gate.code, gate.reason);
      }
      if (t !== undefined) {
        // An expired session's token too: its feeds go with it.
        d.auth.logout(t);
        d.endSession(t);
      }
      d.log.info({ audit: 'logout', user: session.ok ? session.session.user : '-', from, target: '-', result: session.ok ? 'ok' : 'no-session' }, 'action logout');
      sendJson(res, 200, { ok: true, ended: session.ok }, { 'set-cookie': sessionCookie('', 0) });
    },
    'POST /api/password': async (req, res) => {
      // Allowed while the password is still the initial one: it is how that ends.
      const t = token(req) ?? '';
      const session = d.auth.check(t);
      const from = remoteAddress(req);
      const gate = actionVerdict({ origin: origin(req), session, csrfHeader: req.headers[CSRF_HEADER] as string | undefined, whilePasswordInitial: true });
      if (!gate.ok || !session.ok) {
        const g = gate.ok ? { status: 401 as const, code: 'NOT_LOGGED_IN', reason: 'no session' } : gate;
        d.log.warn({ audit: 'password', from, result: 'refused', code: g.code, reason: g.reason }, 'action refused');
        return sendError(res, g.status, g.code, g.reason);
      }
      const body = await readBody(req, BODY_LIMIT);
      if (!body.ok) return sendBodyError(res, body);
      const v = decodePasswordChange(body.text);
      if (!v.ok) return sendError(res, 400, v.code, v.message);
      const user = session.session.user;
      const r = await d.auth.changePassword(t, session.session, v.value.current, v.value.password, rateKey(from));
      if (!r.ok) {
        d.log.warn({ audit: 'password', user, from, result: r.reason }, 'password change refused');
        if (r.reason === 'rate-limited') return sendError(res, 429, 'RATE_LIMITED', 'too many attempts; try again later', { 'retry-after': String(Math.ceil(r.retryAfterMs / 1000)) });
        if (r.reason === 'bad-credentials') return sendError(res, 403, 'BAD_CREDENTIALS', 'the current password is wrong');
        return sendError(res, 400, 'BAD_PASSWORD', r.message);
      }
      for (const gone of r.endedTokens) d.endSession(gone);
      d.log.info({ audit: 'password', user, from, target: user, result: 'ok', endedSessions: r.endedTokens.length }, 'action password');
      d.passwordChanged?.(user);
      sendJson(res, 200, { ...sessionView(session.session), endedSessions: r.endedTokens.length });
    },
    // Pairing (services/paird): this unit's side, and the peer's when another unit pairs with it.
    'GET /api/pair/offer': read(() => d.pair.call('Offer')),
    'GET /api/pair/state': read(() => d.pair.call('State')),
    'POST /api/pair/probe': pairAction('pair-probe', 'Probe'),
    'POST /api/pair/start': pairAction('pair', 'Pair'),
    'POST /api/pair/prepare': pairAction('pair-prepare', 'Prepare', PAIR_BODY_LIMIT),
    'POST /api/pair/commit': pairAction('pair-commit', 'Commit', PAIR_BODY_LIMIT),
    'POST /api/pair/unpair': pairAction('unpair', 'Unpair'),
    // The HA page's heartbeat settings (ha.cf on both units, through paird and csyncd).
    'GET /api/ha/settings': read(() => d.pair.call('Heartbeat')),
    'POST /api/ha/settings': pairAction('heartbeat-settings', 'SetHeartbeat'),
    'POST /api/sync/push': action('sync-push', async (text) => {
      const v = decodePush(text);
      if (!v.ok) return { status: 400, body: { error: v.code, message: v.message }, target: '?' };
      return { status: 200, body: { ok: true, result: await d.sync.push(v.value.service) }, target: v.value.service };
    }),
    'POST /api/sync/save': action('sync-save', async (text) => {
      const v = decodeSave(text);
      if (!v.ok) return { status: 400, body: { error: v.code, message: v.message }, target: '?' };
      return { status: 200, body: { ok: true, result: await d.sync.save(v.value.remote) }, target: v.value.remote ? 'remote' : 'local' };
    }),
    'POST /api/units/restart': action('restart-unit', async (text) => {
      const v = decodeRestart(text, d.units);
      if (!v.ok) return { status: 400, body: { error: v.code, message: v.message }, target: '?' };
      await d.unitControl.restart(v.value.unit);
      return { status: 202, body: { ok: true, unit: v.value.unit }, target: v.value.unit };
    }),
    'POST /api/failover': action('failover', async (text) => {
      const v = decodeFailover(text);
      if (!v.ok) return { status: 400, body: { error: v.code, message: v.message }, target: '?' };
      await d.failover.request(v.value.action);
      return { status: 202, body: { ok: true, action: v.value.action }, target: v.value.action };
    }),
  };

  return (req, res) => {
    const urlPath = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routes[`${req.method ?? ''} ${urlPath}`];
    if (route !== undefined) {
      route(req, res).catch((err: unknown) => {
        d.log.error({ err, path: urlPath }, 'request failed');
        sendError(res, 500, 'INTERNAL', 'internal error');
      });
      return;
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && d.files.serve(urlPath, req, res)) return;
    const known = Object.keys(routes).some((r) => r.endsWith(` ${urlPath}`)) || d.files.has(urlPath);
    sendError(res, known ? 405 : 404, known ? 'METHOD_NOT_ALLOWED' : 'NOT_FOUND', known ? 'method not allowed' : 'not found');
  };
}
