/**
 * csyncctl: the operator's side of csyncd (README "The procedure").
 *   csyncctl genkey | showkey | passwd | getkey      keys (read csyncd.cfg; genkey needs csyncd stopped)
 *   csyncctl push SERVICE|--all [--force]           push to the peer (via csyncd on D-Bus)
 *   csyncctl save [--remote]                         persist the running configuration
 *   csyncctl status [--json] [--cached]              red / orange / green, per service
 */
import { runTool } from '../runtime/tool';
import { stringOpt, type ParsedCli } from '../runtime/cli';
import { AppError } from '../runtime/errors';
import { DEFAULT_CFG, loadSettings } from './load';
import { genkey, passwd, showkey } from './ctl/key-commands';
import { getkey } from './ctl/getkey';
import { readPassword } from './ctl/password';
import { push, save, status, pokeCheck } from './ctl/daemon-commands';

const USAGE = `Usage: csyncctl COMMAND [options]
Keys (read csyncd.cfg, -c FILE, default ${DEFAULT_CFG}):
  genkey                       new Ed25519 host and user keys (refused while csyncd runs)
  showkey                      this unit's key fingerprints (for getkey --fingerprint on the peer)
  passwd [--account NAME]      set the management password that authenticates the peer's getkey
  getkey [--fingerprint SHA256:...] [--password-file FILE|-]
                               fetch the peer's keys, check them (peer's account password, or the
                               fingerprint), store them in ssh_known_hosts and csyncd_authorized
Sync (through the running csyncd):
  push SERVICE [--force]       push one service's files; the peer validates, swaps, applies
  push --all [--force]         every service in services.conf
  save [--remote]              persist the running configuration here (or on the peer)
  status [--json] [--cached]   RED/ORANGE/GREEN and every service (checks the peer first unless --cached)
Options: -c, --config FILE; -h, --help; --version
Exit codes: 0 ok, 1 failure, 2 refused (conflict, validator, apply, path checks), 64 usage,
69 csyncd not running / bus unavailable (genkey: csyncd IS running), 78 invalid csyncd.cfg.
The password comes from --password-file, $CSYNCD_PASSWORD, or a prompt.`;

const COMMANDS = ['genkey', 'showkey', 'passwd', 'getkey', 'push', 'save', 'status'];

function flag(cli: ParsedCli, name: string): boolean {
  return cli.values[name] === true;
}

void runTool({
  name: 'csyncctl',
  usage: USAGE,
  options: {
    config: { type: 'string', short: 'c' },
    json: { type: 'boolean' },
    cached: { type: 'boolean' },
    force: { type: 'boolean' },
    all: { type: 'boolean' },
    remote: { type: 'boolean' },
    fingerprint: { type: 'string' },
    'password-file': { type: 'string' },
    account: { type: 'string' },
  },
  run: async (cli, out) => {
    const [cmd, ...rest] = cli.positionals;
    if (cmd === undefined) throw new AppError('USAGE', `missing command (${COMMANDS.join(', ')})`);
    if (!COMMANDS.includes(cmd)) throw new AppError('USAGE', `unknown command "${cmd}"`);
    const maxArgs = cmd === 'push' ? 1 : 0;
    if (rest.length > maxArgs) throw new AppError('USAGE', `unexpected argument "${rest[maxArgs] ?? ''}"`);
    const settings = async (): Promise<Awaited<ReturnType<typeof loadSettings>>['settings']> => (await loadSettings(stringOpt(cli, 'config', DEFAULT_CFG))).settings;
    switch (cmd) {
      case 'genkey':
        return genkey(await settings(), out);
      case 'showkey':
        return showkey(await settings(), out);
      case 'passwd': {
        const s = await settings();
        return passwd(s, stringOpt(cli, 'account', s.account), stringOpt(cli, 'password-file'), out);
      }
      case 'getkey': {
        const s = await settings();
        const fp = stringOpt(cli, 'fingerprint');
        if (fp !== undefined && !/^SHA256:[A-Za-z0-9+/]{43}$/.test(fp)) throw new AppError('USAGE', `--fingerprint wants OpenSSH's form, SHA256: and 43 base64 characters (csyncctl showkey on the peer)`);
        const code = await getkey(s, { fingerprint: fp, password: () => readPassword({ file: stringOpt(cli, 'password-file'), prompt: `password of ${s.account} on ${s.remoteIp}: ` }) }, out);
        await pokeCheck();
        return code;
      }
      case 'push': {
        const all = flag(cli, 'all');
        if (all === (rest[0] !== undefined)) throw new AppError('USAGE', 'push wants one SERVICE or --all');
        return push(all ? null : (rest[0] ?? ''), flag(cli, 'force'), out, process.stderr);
      }
      case 'save':
        return save(flag(cli, 'remote'), out);
      default:
        return status(flag(cli, 'json'), flag(cli, 'cached'), out);
    }
  },
});
