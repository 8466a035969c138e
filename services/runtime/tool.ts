/**
 * Runner for control tools (hactl, csyncctl, ...): parse, run one command,
 * print, exit with a meaningful code. Errors print one line on stderr.
 */
import { parseCli, versionLine, type OptionsConfig, type ParsedCli } from './cli';
import { errorMessage, isAppError } from './errors';
import { EXIT, exitCodeFor } from './exit-codes';
import { ConfigError, formatProblem } from './config/problems';

export interface ToolDefinition {
  name: string;
  usage: string;
  options: OptionsConfig;
  /** Returns the exit code; throw AppError for failures. */
  run(cli: ParsedCli, out: NodeJS.WritableStream): Promise<number>;
}

export async function runTool(def: ToolDefinition, argv = process.argv.slice(2)): Promise<void> {
  let code: number;
  try {
    const cli = parseCli(argv, def.options, true);
    if (cli.values.help === true) {
      process.stdout.write(`${def.usage}\n`);
      code = EXIT.OK;
    } else if (cli.values.version === true) {
      process.stdout.write(`${versionLine(def.name)}\n`);
      code = EXIT.OK;
    } else {
      code = await def.run(cli, process.stdout);
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const p of err.problems) process.stderr.write(`${def.name}: ${formatProblem(p)}\n`);
    } else {
      process.stderr.write(`${def.name}: ${errorMessage(err)}\n`);
    }
    if (isAppError(err, 'USAGE')) process.stderr.write(`Try '${def.name} --help'.\n`);
    code = isAppError(err) ? exitCodeFor(err.code) : EXIT.SOFTWARE;
  }
  process.exitCode = code;
  // Give stdout a chance to drain; D-Bus sockets would otherwise keep us alive.
  setImmediate(() => process.exit(code));
}
