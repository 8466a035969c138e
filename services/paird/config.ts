/**
 * paird's settings, from its command line (the unit file names them; the
 * defaults are the appliance's paths). Checked like a config file: every
 * problem reported at once.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ParsedCli } from '../runtime/cli';
import { ConfigError, type ConfigProblem } from '../runtime/config/problems';

export interface PairdConfig {
  /** This unit's node name (hbd's: the hostname unless --node). */
  node: string | null;
  haDir: string;
  csyncdCfg: string;
  /** Where csyncd's keys and pinned peer keys live (its config_dir). */
  csyncdDir: string;
  /** csyncd's state_dir when not its default (the simulated pair). */
  csyncdStateDir: string | null;
  /** Heartbeat serial ports of this model, those that exist are offered. */
  serialPorts: string[];
  /** The programs run to check the files (hbd, csyncd, csyncctl). */
  binDir: string;
  /** Bus of org.freedesktop.systemd1 (null: the system bus). */
  systemdBus: string | null;
  /** The peer's web UI port. */
  peerPort: number;
  /** Where an unpaired unit's old files are kept. */
  stateDir: string;
}

export const DEFAULTS = {
  haDir: '/etc/ha.d',
  csyncdCfg: '/etc/csyncd/csyncd.cfg',
  csyncdDir: '/etc/csyncd',
  binDir: '/opt/lbos/bin',
  peerPort: 9443,
  stateDir: '/var/lib/lbos/paird',
} as const;

const NODE = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function pairdConfigFrom(cli: ParsedCli): PairdConfig {
  const v = cli.values;
  const problems: ConfigProblem[] = [];
  const str = (k: string): string | undefined => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const abs = (k: string, fallback: string): string => {
    const p = str(k) ?? fallback;
    if (!path.isAbsolute(p)) problems.push({ file: 'paird', key: `--${k}`, message: `"${p}" must be an absolute path` });
    return p;
  };
  const node = str('node') ?? null;
  if (node !== null && !NODE.test(node)) problems.push({ file: 'paird', key: '--node', message: `"${node.slice(0, 64)}" is not a node name (a-z, 0-9, -)` });
  const port = Number(str('peer-port') ?? DEFAULTS.peerPort);
  if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push({ file: 'paird', key: '--peer-port', message: 'must be a port number 1..65535' });
  const serial = (Array.isArray(v.serial) ? v.serial : typeof v.serial === 'string' ? [v.serial] : []) as string[];
  for (const s of serial) if (!/^\/[A-Za-z0-9_./-]{1,200}$/.test(s)) problems.push({ file: 'paird', key: '--serial', message: `"${s.slice(0, 64)}" is not an absolute device path` });
  const csyncdCfg = abs('csyncd-cfg', DEFAULTS.csyncdCfg);
  const c: PairdConfig = {
    node, haDir: abs('ha-dir', DEFAULTS.haDir), csyncdCfg, csyncdDir: abs('csyncd-dir', DEFAULTS.csyncdDir),
    csyncdStateDir: str('csyncd-state-dir') === undefined ? null : abs('csyncd-state-dir', ''),
    serialPorts: serial, binDir: abs('bin-dir', DEFAULTS.binDir), systemdBus: str('systemd-bus') ?? null, peerPort: port,
    stateDir: abs('state-dir', DEFAULTS.stateDir),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return c;
}

/** The node name this unit has now. */
export function nodeName(c: PairdConfig): string {
  return c.node ?? (os.hostname().split('.')[0] ?? '').toLowerCase();
}

/**
 * The serial ports offered: those of the model that exist and, for a
 * 16550-style /dev/ttySN, have a UART behind them (the 8250 driver makes
 * ttyS0-3 whether or not the hardware is there: a VM has /dev/ttyS1 with
 * type 0, PORT_UNKNOWN, in /sys/class/tty/ttyS1/type).
 */
export function presentSerialPorts(c: PairdConfig, sysfs = '/sys/class/tty'): string[] {
  return c.serialPorts.filter((p) => {
    if (!existsSync(p)) return false;
    const uart = /^\/dev\/(ttyS\d+)$/.exec(p)?.[1];
    if (uart === undefined) return true;
    try {
      return readFileSync(path.join(sysfs, uart, 'type'), 'utf8').trim() !== '0';
    } catch {
      return false;
    }
  });
}
