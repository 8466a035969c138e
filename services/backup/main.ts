/**
 * lbos-backup: the appliance's configuration backup and restore (README.md).
 *
 *   lbos-backup create -o FILE [--with-keys] [--passphrase-file PF] [--root DIR]
 *   lbos-backup restore FILE [--passphrase-file PF] [--dry-run] [--only LIST] [--no-restart] [--root DIR] [--bin-dir DIR]
 */
import * as path from 'node:path';
import { stringOpt, type ParsedCli } from '../runtime/cli';
import { isAppError } from '../runtime/errors';
import { EXIT } from '../runtime/exit-codes';
import { runTool } from '../runtime/tool';
import { CATEGORIES, parseOnly } from './core/catalog';
import { askPassphrase, newPassphrase, readPassphraseFile } from './adapters/passphrase';
import { createArchive, formatCreate } from './create';
import { formatRestore, restoreArchive } from './restore';
import { backupError } from './errors';

const USAGE = `Usage:
  lbos-backup create -o FILE [--with-keys] [--passphrase-file PF] [--root DIR]
  lbos-backup restore FILE [--passphrase-file PF] [--dry-run] [--only ${CATEGORIES.join(',')}] [--no-restart] [--root DIR] [--bin-dir DIR]

create   archive this unit's configuration (network, HA, sync, web users); with
         --with-keys also authkeys, csyncd's keys and accounts and statusd's TLS
         key, and the archive is encrypted with a passphrase (AES-256-GCM, scrypt)
restore  check the archive whole, have each owning service check its files on a
         staged copy, then write them all and reload/restart the owning units;
         a refused restore changes nothing

  -o, --output FILE        the archive to write (mode 0600)
      --with-keys          include secrets and keys (needs a passphrase)
      --passphrase-file PF the passphrase is the first line of PF; without it, it is
                           asked on the terminal (never taken from the command line)
      --dry-run            check and report, write nothing
      --only LIST          restore only these categories (comma-separated)
      --no-restart         write the files but only print the reloads/restarts
      --root DIR           the unit's root directory (default /); units are never
                           restarted when it is not /
      --bin-dir DIR        where the services' binaries are (default /opt/lbos/bin)

Exit codes: 0 ok, 1 files restored but a reload/restart failed (or writing failed),
64 usage, 65 archive refused (damaged, altered, unsafe or unknown path, wrong
passphrase), 69 a service's check could not run, 70 internal, 78 a service's
check refused a file.`;

async function run(cli: ParsedCli, out: NodeJS.WritableStream): Promise<number> {
  const [command, ...rest] = cli.positionals;
  const root = path.resolve(stringOpt(cli, 'root', '/'));
  const passphraseFile = stringOpt(cli, 'passphrase-file');
  switch (command) {
    case 'create': {
      if (rest.length > 0) throw backupError('USAGE', `create takes no argument (${rest.join(' ')}): the archive is -o FILE`);
      const output = stringOpt(cli, 'output');
      if (output === undefined) throw backupError('USAGE', 'create needs -o FILE');
      for (const o of ['dry-run', 'only', 'no-restart', 'bin-dir']) if (cli.values[o] !== undefined) throw backupError('USAGE', `--${o} is a restore option`);
      const withKeys = cli.values['with-keys'] === true;
      const passphrase = withKeys || passphraseFile !== undefined ? await newPassphrase(passphraseFile) : null;
      const r = await createArchive({ root, output, withKeys, passphrase, now: new Date() });
      out.write(`${formatCreate(r, output, passphrase !== null).join('\n')}\n`);
      return EXIT.OK;
    }
    case 'restore': {
      if (rest.length !== 1 || rest[0] === undefined) throw backupError('USAGE', 'restore needs exactly one archive: lbos-backup restore FILE');
      for (const o of ['output', 'with-keys']) if (cli.values[o] !== undefined) throw backupError('USAGE', `--${o} is a create option`);
      const onlyText = stringOpt(cli, 'only');
      let only = null;
      if (onlyText !== undefined) {
        const p = parseOnly(onlyText);
        if (!p.ok) throw backupError('USAGE', `--only: unknown ${p.unknown.map((w) => JSON.stringify(w)).join(', ')} (choose from ${CATEGORIES.join(', ')})`);
        only = p.categories;
      }
      const passphrase = async (): Promise<string> => {
        if (passphraseFile !== undefined) return readPassphraseFile(passphraseFile);
        const typed = await askPassphrase(`passphrase of ${rest[0]}: `);
        if (typed === null) throw backupError('PASSPHRASE_NEEDED', `${rest[0]} is encrypted: give --passphrase-file FILE, or run on a terminal to type the passphrase`);
        return typed;
      };
      const dryRun = cli.values['dry-run'] === true;
      const opts = { root, binDir: path.resolve(stringOpt(cli, 'bin-dir', '/opt/lbos/bin')), archive: rest[0], dryRun, only, passphrase, restartUnits: root === '/' && cli.values['no-restart'] !== true };
      const r = await restoreArchive(opts);
      out.write(`${formatRestore(r, opts).join('\n')}\n`);
      const failed = r.actionResults?.filter((a) => !a.ok) ?? [];
      if (failed.length > 0) {
        process.stderr.write(`lbos-backup: the files are restored, but ${failed.map((a) => `systemctl ${a.action.verb} ${a.action.unit}`).join(', ')} failed\n`);
        return EXIT.FAILURE;
      }
      return EXIT.OK;
    }
    default:
      throw backupError('USAGE', command === undefined ? 'a command is needed: create or restore' : `unknown command ${JSON.stringify(command)}: create or restore`);
  }
}

void runTool({
  name: 'lbos-backup',
  usage: USAGE,
  options: {
    output: { type: 'string', short: 'o' },
    'with-keys': { type: 'boolean' },
    'passphrase-file': { type: 'string' },
    'dry-run': { type: 'boolean' },
    only: { type: 'string' },
    'no-restart': { type: 'boolean' },
    root: { type: 'string' },
    'bin-dir': { type: 'string' },
  },
  async run(cli, out) {
    try {
      return await run(cli, out);
    } catch (err) {
      // runTool knows the runtime's codes; these carry their own exit code (errors.ts).
      const exit = isAppError(err) ? err.details.exit : undefined;
      if (typeof exit !== 'number' || !isAppError(err)) throw err;
      process.stderr.write(`lbos-backup: ${err.message}\n`);
      if (err.code === 'USAGE') process.stderr.write("Try 'lbos-backup --help'.\n");
      return exit;
    }
  },
});
