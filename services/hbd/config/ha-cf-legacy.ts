/**
 * Heartbeat directives that hbd recognises but does not implement: some are
 * harmless and only warned about (logging, client daemons, compression),
 * others change the cluster's meaning and are refused.
 */
import type { DirectiveLine } from '../../runtime/config/lines';

/** What to do with a recognised-but-unimplemented directive. */
export interface LegacyVerdict {
  severity: 'warning' | 'error';
  message: string;
}

const LOGGING = 'ignored: hbd logs to the journal';
const CLIENTS = 'ignored: hbd runs no Heartbeat client daemons';
const WIRE = 'ignored: hbd has its own wire format';
const MEANINGLESS = 'ignored: has no meaning for hbd';

const IGNORED: Record<string, string> = {
  logfacility: LOGGING,
  logfile: LOGGING,
  debugfile: LOGGING,
  use_logd: LOGGING,
  debug: LOGGING,
  conn_logd_time: LOGGING,
  coredumps: MEANINGLESS,
  respawn: CLIENTS,
  apiauth: CLIENTS,
  compression: WIRE,
  compression_threshold: WIRE,
  traditional_compression: WIRE,
  msgfmt: WIRE,
  uuidfrom: MEANINGLESS,
  realtime: MEANINGLESS,
  autojoin: 'ignored: hbd has exactly the two nodes listed with `node`',
  hopfudge: MEANINGLESS,
};

const USE_UCAST = 'not supported: use `ucast IFACE PEER_IP` (one line per link)';
const NO_STONITH = 'STONITH is not supported: hbd relies on ping nodes and the serial link against split brain';

const REFUSED: Record<string, string> = {
  bcast: USE_UCAST,
  mcast: USE_UCAST,
  mcast6: USE_UCAST,
  udp: USE_UCAST,
  stonith: NO_STONITH,
  stonith_host: NO_STONITH,
  watchdog: 'not supported: hbd uses the systemd watchdog (WatchdogSec=)',
  ping_group: 'not supported: list the addresses with `ping`',
  hbaping: 'not supported: use `ping` with IP addresses',
};

const CRM_REFUSED = 'CRM not supported; hbd is a v1 two-node resource manager (use haresources)';
const CRM_OFF = new Set(['off', 'no', 'false', '0']);

/** The verdict for a legacy directive, or undefined when the key is not one. */
export function legacyVerdict(d: DirectiveLine): LegacyVerdict | undefined {
  const ignored = IGNORED[d.key];
  if (ignored !== undefined) return { severity: 'warning', message: ignored };
  const refused = REFUSED[d.key];
  if (refused !== undefined) return { severity: 'error', message: refused };
  if (d.key === 'crm' || d.key === 'pacemaker') return crmVerdict(d);
  return undefined;
}

/** `crm off` is harmless; `crm yes|on|respawn|...` asks for a cluster manager we do not have. */
function crmVerdict(d: DirectiveLine): LegacyVerdict {
  const value = (d.args[0] ?? '').toLowerCase();
  if (d.args.length === 1 && CRM_OFF.has(value)) return { severity: 'warning', message: MEANINGLESS };
  return { severity: 'error', message: CRM_REFUSED };
}

/** Every legacy key, for "did you mean" suggestions. */
export const LEGACY_KEYS: readonly string[] = [...Object.keys(IGNORED), ...Object.keys(REFUSED), 'crm', 'pacemaker'];
