/**
 * A private dbus-daemon per simulated unit, configured like Debian's system
 * bus (deny by default) plus the appliance's own policy file from rootfs/,
 * so tests exercise the policy that ships.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { waitFor } from './exec';

export interface PrivateBus {
  address: string;
  socket: string;
  child: ChildProcess;
}

export function busConfig(socket: string, policyFile: string): string {
  return `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Introspectable"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus.Properties"/>
    <deny send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus" send_member="UpdateActivationEnvironment"/>
  </policy>
  <include>${policyFile}</include>
</busconfig>
`;
}

export async function startPrivateBus(dir: string, policyFile: string): Promise<PrivateBus> {
  const socket = path.join(dir, 'bus.sock');
  const conf = path.join(dir, 'bus.conf');
  writeFileSync(conf, busConfig(socket, policyFile));
  const child = spawn('dbus-daemon', [`--config-file=${conf}`, '--nofork', '--nopidfile', '--nosyslog'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  await waitFor(`dbus-daemon socket ${socket} (${stderr})`, () => child.exitCode === null && existsSync(socket), 5000);
  return { address: `unix:path=${socket}`, socket, child };
}
