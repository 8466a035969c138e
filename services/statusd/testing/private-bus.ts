/**
 * A test-owned dbus-daemon that lets anybody own any name: for the stand-in
 * systemd (the appliance policy, scripts/sim/bus.ts, reserves every name but
 * com.lbos.* for their owners). Lives in a directory the caller removes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { waitFor } from '../../../scripts/sim/exec';

export interface OpenBus {
  address: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startOpenBus(dir: string): Promise<OpenBus> {
  const socket = path.join(dir, 'open-bus.sock');
  const conf = path.join(dir, 'open-bus.conf');
  writeFileSync(conf, `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>custom</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
  </policy>
</busconfig>
`);
  // --print-address: the line comes once the daemon accepts connections.
  const child = spawn('dbus-daemon', [`--config-file=${conf}`, '--nofork', '--nopidfile', '--nosyslog', '--print-address=1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let printed = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout?.on('data', (d: Buffer) => (printed += d.toString()));
  try {
    await waitFor(`open dbus-daemon at ${socket}`, () => {
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
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
