/**
 * statusctl: the feed in a terminal, and the web users' passwords.
 *   statusctl watch [--url URL] [--user U --password-file F] [--json] [--count N] [--ca FILE | --insecure] [--no-reconnect]
 *   statusctl passwd [--user U] [--password-file F] [--state-dir DIR]
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { runTool } from '../runtime/tool';
import { stringOpt, type ParsedCli } from '../runtime/cli';
import { AppError, errorMessage } from '../runtime/errors';
import { EXIT } from '../runtime/exit-codes';
import { DEFAULT_STATE_DIR } from './config/types';
import { INITIAL_PASSWORD_FILE, INITIAL_USER, UsersFile, USERS_FILE } from './adapters/users-file';
import { TLS_DIR } from './adapters/tls-cert';
import { newPasswordProblem, USER_NAME } from './core/passwords';
import { encode } from './core/messages';
import { follow, loginCookie, type Trust } from './ctl/feed-session';
import { humanLine } from './ctl/feed-lines';

const USAGE = `Usage: statusctl COMMAND [options]
  watch     print statusd's live feed: the snapshot, then every change
    --url URL            statusd's HTTPS address (default https://127.0.0.1:9443)
    --user U             web user (default ${INITIAL_USER})
    --password-file F    first line is the password (default: STATE_DIR/${INITIAL_PASSWORD_FILE}, readable by root)
    --json               one JSON line per feed message, as sent (heartbeats included)
    --count N            exit 0 after N feed messages
    --ca FILE            accept exactly this certificate (default: STATE_DIR/tls/cert.pem when readable)
    --insecure           do not check the certificate at all
    --no-reconnect       exit when the feed is lost instead of resuming
  passwd    set a web user's password (users file, 0600); removes the initial-password file for ${INITIAL_USER}
    --user U             (default ${INITIAL_USER})
    --password-file F    first line is the new password (default: read from stdin)
  --state-dir DIR        statusd's state directory (default $STATUSD_STATE_DIR or ${DEFAULT_STATE_DIR})

Exit codes: 0 ok, 1 failure, 2 login refused, 64 usage, 65 password or --ca file unreadable, 69 statusd not reachable.`;

const stateDir = (cli: ParsedCli): string => stringOpt(cli, 'state-dir', process.env.STATUSD_STATE_DIR ?? DEFAULT_STATE_DIR);

/** A file statusctl was pointed at (or defaults to) cannot be read: bad input, not bad usage. */
const UNREADABLE = 'FILE_UNREADABLE';

/** The first line of `file` (stdin when null); `what` names the file, `hint` says how to give another one. */
async function firstLine(file: string | null, what = file ?? '', hint = ''): Promise<string> {
  const text = file === null ? await readStdin() : await fs.readFile(file, 'utf8').catch((err: unknown) => {
    throw new AppError(UNREADABLE, `cannot read ${what}: ${errorMessage(err)}${hint === '' ? '' : `; ${hint}`}`);
  });
  return (text.split('\n')[0] ?? '').replace(/\r$/, '');
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function trustFor(cli: ParsedCli): Promise<Trust> {
  if (cli.values.insecure === true) return { insecure: true, pinned: null };
  const ca = stringOpt(cli, 'ca');
  const file = ca ?? path.join(stateDir(cli), TLS_DIR, 'cert.pem');
  try {
    return { insecure: false, pinned: await fs.readFile(file) };
  } catch (err) {
    if (ca !== undefined) throw new AppError(UNREADABLE, `cannot read --ca ${ca}: ${errorMessage(err)}`);
    return { insecure: false, pinned: null };
  }
}

async function watch(cli: ParsedCli, out: NodeJS.WritableStream): Promise<number> {
  const base = stringOpt(cli, 'url', 'https://127.0.0.1:9443');
  if (!/^https:\/\//.test(base)) throw new AppError('USAGE', '--url must be https://HOST:PORT (statusd redirects plain HTTP)');
  const user = stringOpt(cli, 'user', INITIAL_USER);
  const given = stringOpt(cli, 'password-file');
  const password = given !== undefined
    ? await firstLine(given, `--password-file ${given}`)
    : await firstLine(path.join(stateDir(cli), INITIAL_PASSWORD_FILE), `the initial password ${path.join(stateDir(cli), INITIAL_PASSWORD_FILE)}`,
      'give the password with --password-file FILE, or the state directory of the statusd to watch with --state-dir DIR'
      + ' (statusd writes initial-password at its first start; `statusctl passwd` removes it)');
  const count = Number(stringOpt(cli, 'count', '0'));
  if (!Number.isSafeInteger(count) || count < 0) throw new AppError('USAGE', '--count takes a whole number');
  const json = cli.values.json === true;
  const trust = await trustFor(cli);
  const cookie = await loginCookie(base, user, password, trust);
  let seen = 0;
  const f = follow({
    base, cookie, trust, reconnect: cli.values['no-reconnect'] !== true,
    events: {
      message: (m, state) => {
        const line = json ? encode(m) : humanLine(m, state, new Date());
        if (line !== null) out.write(`${line}\n`);
        seen += 1;
        if (count > 0 && seen >= count) f.stop();
      },
      status: (text) => process.stderr.write(`statusctl: ${text}\n`),
    },
  });
  process.once('SIGINT', () => f.stop());
  process.once('SIGTERM', () => f.stop());
  await f.done;
  return EXIT.OK;
}

async function passwd(cli: ParsedCli, out: NodeJS.WritableStream): Promise<number> {
  const user = stringOpt(cli, 'user', INITIAL_USER);
  if (!USER_NAME.test(user)) throw new AppError('USAGE', `"${user}" is not a valid user name (lower case, digits, . _ -; up to 32)`);
  const given = stringOpt(cli, 'password-file');
  const password = await firstLine(given ?? null, `--password-file ${given ?? ''}`);
  const problem = newPasswordProblem(password, null);
  if (problem !== null) throw new AppError('USAGE', problem);
  const file = path.join(stateDir(cli), USERS_FILE);
  await new UsersFile(file).setPassword(user, password);
  out.write(`password of ${user} set in ${file}\n`);
  return EXIT.OK;
}

/** The command line's command; a file it cannot read is exit 65 (sysexits EX_DATAERR), not a usage error (64). */
async function command(cli: ParsedCli, out: NodeJS.WritableStream): Promise<number> {
  const [cmd, ...rest] = cli.positionals;
  if (rest.length > 0) throw new AppError('USAGE', `unexpected argument ${rest[0] ?? ''}`);
  switch (cmd) {
    case 'watch':
      return watch(cli, out).catch((err: unknown) => {
        if (!(err instanceof AppError && err.code === 'LOGIN_REFUSED')) throw err;
        process.stderr.write(`statusctl: ${err.message}\n`);
        return EXIT.REFUSED;
      });
    case 'passwd':
      return passwd(cli, out);
    default:
      throw new AppError('USAGE', cmd === undefined ? 'which command? (watch, passwd)' : `unknown command "${cmd}" (watch, passwd)`);
  }
}

void runTool({
  name: 'statusctl',
  usage: USAGE,
  options: {
    url: { type: 'string' }, user: { type: 'string' }, 'password-file': { type: 'string' }, json: { type: 'boolean' }, count: { type: 'string' },
    ca: { type: 'string' }, insecure: { type: 'boolean' }, 'no-reconnect': { type: 'boolean' }, 'state-dir': { type: 'string' },
  },
  run: (cli, out) => command(cli, out).catch((err: unknown) => {
    if (!(err instanceof AppError && err.code === UNREADABLE)) throw err;
    process.stderr.write(`statusctl: ${err.message}\n`);
    return EXIT.DATA;
  }),
});
