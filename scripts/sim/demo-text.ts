/**
 * What `make demo` prints once the pair is up: where everything is and
 * commands to try. Every command line ("  COMMAND   # comment") works as
 * printed when pasted, as root, in another terminal after the `cd` line:
 * short bin/ tools with the unit's bus in DBUS_SYSTEM_BUS_ADDRESS (the
 * tools talk D-Bus only, so no `ip netns exec`), and the pid file the
 * demo's supervisor keeps current rather than a pid that a restart makes
 * stale. scripts/demo.itest.ts runs them all.
 */
export interface DemoUnitInfo {
  name: string;
  ns: string;
  lanIp: string;
  hbIp: string;
  tty: string;
  busAddress: string;
  /** The unit's directory (network.conf, pid files, statusd/, leds, issue). */
  dir: string;
  /** System Overview, forwarded to this machine's loopback. */
  url: string;
  password: string;
  /** statusd's state directory: initial-password and tls/cert.pem, what statusctl watch reads. */
  statusdState: string;
  /** What the unit's csyncd sees as /etc/haproxy. */
  etcHaproxy: string;
  /** MainPID file of the unit's hbd. */
  hbdPidFile: string;
  /** The unit's org.freedesktop.systemd1 bus (the supervisor's stand-in). */
  systemdBus: string;
}

export interface DemoInfo {
  repo: string;
  pairId: string;
  /** The pair's directory: logs, units' directories. */
  dir: string;
  units: [DemoUnitInfo, DemoUnitInfo];
  lanNs: string;
  vip: string;
  vip6: string;
  pingNode: string;
  hbdConfigDir: string;
  /** Log files, one group per line. */
  logs: string[];
  deadtime: string;
  restartSec: number;
  services: readonly string[];
  /** The front panel's lines (panel-demo help()). */
  panelHelp: string;
}

/** The printed text; commands are "  CMD" or "  CMD   # why", comment-only lines start with spaces and "#". */
export function demoText(d: DemoInfo): string {
  const [u1, u2] = d.units;
  const bus = (u: DemoUnitInfo): string => `DBUS_SYSTEM_BUS_ADDRESS=${u.busAddress}`;
  const watch = (u: DemoUnitInfo): string => `bin/statusctl watch --url ${u.url} --state-dir ${u.statusdState}`;
  const kill = `kill -9 $(cat ${u1.hbdPidFile})`;
  /** "  CMD   # why" rows, the comments of a section in one column. */
  const section = (rows: [string, string?][]): string => {
    const w = Math.max(...rows.map(([c, why]) => (why === undefined ? 0 : c.length))) + 3;
    return rows.map(([c, why]) => (why === undefined ? `  ${c}` : `  ${c.padEnd(w)}# ${why}`)).join('\n');
  };
  return `
Simulated pair ${d.pairId} is up.
  unit 1: namespace ${u1.ns}, LAN ${u1.lanIp}, heartbeat ${u1.hbIp}, serial ${u1.tty}
  unit 2: namespace ${u2.ns}, LAN ${u2.lanIp}, heartbeat ${u2.hbIp}, serial ${u2.tty}
  floating IPs: ${d.vip}/24 and ${d.vip6}/64 on eth0 of the active unit; ping node ${d.pingNode}
  config: ${d.hbdConfigDir} (ha.cf, haresources, authkeys; the same on both units)
          ${u1.dir}/network.conf (nicd: the unit's addresses)
  services: ${d.services.join(' ')} on each unit, run by the demo's supervisor like systemd
          (Type=notify, Restart=on-failure after ${d.restartSec}s, ExecStopPost); MainPID in ${u1.dir}/<service>.pid,
          published as org.freedesktop.systemd1 on ${u1.systemdBus.replace(/^unix:path=/, '')} (statusd's systemd_bus)
  logs:   ${d.logs.join('\n          ')}

System Overview (web UI; self-signed certificate, user admin):
  unit 1: ${u1.url}/   password ${u1.password}
  unit 2: ${u2.url}/   password ${u2.password}
  (each unit's own initial password, from ${u1.statusdState.replace(`${u1.dir}/`, '<unit>/')}/initial-password;
   the first login asks you to choose your own before it shows anything, as on the appliance)

Try, in another terminal, as root:
${section([
    [`cd ${d.repo}`],
    [`${bus(u1)} bin/hactl status`, "unit 1's status bar, links, resources"],
    [`${bus(u1)} bin/nicctl show`, "unit 1's interfaces as nicd sees them"],
    [`${bus(u1)} bin/hactl standby`, 'manual failover to unit 2'],
    [`${bus(u1)} bin/hactl takeover`, 'and back'],
    [`ip netns exec ${d.lanNs} ping -c 3 ${d.vip}`, 'the VIP answers throughout'],
    [`ip -n ${u1.ns} addr show eth0`, "unit 1's LAN port: the VIP is here while unit 1 is active"],
    [kill, `crash unit 1's hbd: unit 2 takes over within the deadtime (${d.deadtime});`],
    ['', `the demo restarts it after ${d.restartSec}s (prints the new pid; the pid file follows),`],
    ['', 'and auto_failback moves the VIP back'],
  ])}

Live feed of each unit (what its System Overview shows; Ctrl-C ends it; once the first login
changed a unit's password, add --password-file FILE, a file holding the new one):
${section([[watch(u1)], [watch(u2)]])}

Configuration sync (csyncd, keys already exchanged):
${section([
    [`echo '# my change' >> ${u1.etcHaproxy}/haproxy.cfg`, "edit unit 1's haproxy.cfg: unit 1 turns orange"],
    [`${bus(u1)} bin/csyncctl push haproxy`, 'validated with haproxy -c on unit 2, swapped in, applied'],
    [`${bus(u1)} bin/csyncctl save`, 'persist here (running -> saved)'],
    [`${bus(u1)} bin/csyncctl save --remote`, 'and on unit 2: status turns green'],
    [`${bus(u1)} bin/csyncctl status`],
  ])}

${d.panelHelp}

Status changes appear below. Ctrl-C stops everything and removes the namespaces.
`;
}

/** The commands of demoText's "Try" sections as printed (from the `cd` line on), without comments. */
export function printedCommands(text: string): string[] {
  const start = text.indexOf('\nTry, in another terminal');
  const end = text.indexOf('\nStatus changes appear below');
  if (start < 0 || end < start) return [];
  return text.slice(start, end).split('\n')
    .filter((l) => l.startsWith('  ') && !l.trimStart().startsWith('#'))
    .map((l) => l.replace(/\s+# .*$/, '').trim())
    .filter((l) => l !== '');
}
