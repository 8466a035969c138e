/**
 * Test-owned dbus-daemons:
 *  - startPrivateBus: one per simulated unit, configured like Debian's system
 *    bus (deny by default) plus the appliance's own policy file from rootfs/,
 *    so tests exercise the policy that ships;
 *  - startOpenBus: anybody may own any name, for stand-ins of system
 *    services (systemd) whose names the appliance policy reserves.
 * Each lives in a directory the caller removes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { waitFor } from './exec';

export interface PrivateBus {
  address: string;
  socket: string;
  child: ChildProcess;
  /** SIGTERM, resolved once the daemon has exited. */
  stop(): Promise<void>;
}

/** Replies and receiving: allowed on both kinds of bus. */
const REPLIES_AND_RECEIVES = `    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>`;

function document(type: 'system' | 'custom', socket: string, policy: string, extra = ''): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>${type}</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
${policy}
${REPLIES_AND_RECEIVES}
  </policy>
${extra}</busconfig>
`;
}

export function busConfig(socket: string, policyFile: string): string {
  const systemDefaults = `    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
    <deny send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus" send_member="UpdateActivationEnvironment"/>`;
  return document('system', socket, systemDefaults, `  <include>${policyFile}</include>\n`);
}

export function openBusConfig(socket: string): string {
  return document('custom', socket, `    <allow own="*"/>\n    <allow send_type="method_call"/>`);
}

/** The appliance's system bus, in `dir`. */
export function startPrivateBus(dir: string, policyFile: string): Promise<PrivateBus> {
  return startDaemon(dir, 'bus', (socket) => busConfig(socket, policyFile));
}

/** A bus where anybody may own any name, in `dir`. */
export function startOpenBus(dir: string): Promise<PrivateBus> {
  return startDaemon(dir, 'open-bus', openBusConfig);
}

async function startDaemon(dir: string, base: string, config: (socket: string) => string): Promise<PrivateBus> {
  const socket = path.join(dir, `${base}.sock`);
  const conf = path.join(dir, `${base}.conf`);
  writeFileSync(conf, config(socket));
  // --print-address: the line comes once the daemon accepts connections.
  const child = spawn('dbus-daemon', [`--config-file=${conf}`, '--nofork', '--nopidfile', '--nosyslog', '--print-address=1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let printed = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout?.on('data', (d: Buffer) => (printed += d.toString()));
  try {
    await waitFor(`dbus-daemon at ${socket}`, () => {
      if (child.exitCode !== null) throw new Error(`dbus-daemon exited: ${stderr}`);
      return printed.includes('\n') && existsSync(socket);
    }, 5000, 10);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    address: `unix:path=${socket}`,
    socket,
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
