/**
 * What the console menu's effects do (core/menu.ts): D-Bus calls on the
 * system bus as the `setup` user, and setup-wizard as a child on the tty.
 *
 *   statusd  com.lbos.Statusd1 InitialPassword(), ResetAdminPassword()   (bus policy: root and setup only)
 *   hbd      org.freedesktop.DBus.Properties GetAll(com.lbos.Hbd1)     (anybody may read)
 *   login1   org.freedesktop.login1.Manager Reboot(false), PowerOff(false)   (polkit)
 *   systemd  org.freedesktop.systemd1.Manager StartUnit(lbos-factory-reset.service, replace)   (polkit)
 *
 * polkit: rootfs/overlay/etc/polkit-1/rules.d/60-lbos-console.rules lets
 * user setup reboot, power off and start that one unit, also from the
 * serial console (no seat: not an "active" session for logind's defaults).
 * Results are data for the menu; nothing here logs, so no password reaches
 * the journal.
 */
import { spawn } from 'node:child_process';
import * as dbus from 'dbus-next';
import { busNamesOf, callService, type MessageBus } from '../../runtime/dbus';
import { callRaw, type CallTarget } from '../../runtime/dbus-raw';
import { errorMessage, isAppError } from '../../runtime/errors';
import type { Effect, EffectResult } from '../core/menu';

export const FACTORY_RESET_UNIT = 'lbos-factory-reset.service';
const LOGIN1: CallTarget = { destination: 'org.freedesktop.login1', path: '/org/freedesktop/login1', iface: 'org.freedesktop.login1.Manager' };
const SYSTEMD: CallTarget = { destination: 'org.freedesktop.systemd1', path: '/org/freedesktop/systemd1', iface: 'org.freedesktop.systemd1.Manager' };

/** Hooks around a child on the tty: the menu stops reading while it runs. */
export interface TtyHandoff {
  pause(): void;
  resume(): void;
}

export interface SystemDeps {
  bus: MessageBus;
  /** The network setup wizard (bin/setup-wizard). */
  wizard: string;
  tty: TtyHandoff;
}

/** Run one effect; never throws: a failure is a Failed result with a message for the operator. */
export async function runEffect(d: SystemDeps, e: Effect): Promise<EffectResult> {
  try {
    switch (e.kind) {
      case 'RunNetworkSetup':
        return await runWizard(d);
      case 'ReadPassword':
        return await readPassword(d.bus);
      case 'ResetPassword': {
        const [p] = await statusd(d.bus, 'ResetAdminPassword');
        return { kind: 'Password', password: String(p) };
      }
      case 'ReadPairStatus':
        return { kind: 'PairStatus', props: await hbdProps(d.bus) };
      case 'Reboot':
        await system(d.bus, LOGIN1, 'Reboot', 'b', [false]);
        return { kind: 'Started' };
      case 'PowerOff':
        await system(d.bus, LOGIN1, 'PowerOff', 'b', [false]);
        return { kind: 'Started' };
      case 'StartFactoryReset':
        await system(d.bus, SYSTEMD, 'StartUnit', 'ss', [FACTORY_RESET_UNIT, 'replace']);
        return { kind: 'Started' };
    }
  } catch (err) {
    return { kind: 'Failed', message: errorMessage(err) };
  }
}

async function readPassword(bus: MessageBus): Promise<EffectResult> {
  try {
    const [p] = await statusd(bus, 'InitialPassword');
    return { kind: 'Password', password: String(p) };
  } catch (err) {
    if (isAppError(err, 'PASSWORD_CHANGED')) return { kind: 'PasswordChanged' };
    throw err;
  }
}

const NOT_RUNNING = /ServiceUnknown|NameHasNoOwner|was not provided by any \.service files/;

async function statusd(bus: MessageBus, member: string): Promise<unknown[]> {
  try {
    return await callService(bus, 'statusd', member);
  } catch (err) {
    if (NOT_RUNNING.test(errorMessage(err))) throw new Error('the web UI service (statusd) is not running');
    if (/AccessDenied/.test(errorMessage(err))) throw new Error('not allowed (only root and the console user "setup" may)');
    throw err;
  }
}

/** hbd's properties, or null when hbd is not on the bus. */
async function hbdProps(bus: MessageBus): Promise<Record<string, unknown> | null> {
  const n = busNamesOf('hbd');
  try {
    const [all] = await callRaw(bus, { destination: n.name, path: n.path, iface: 'org.freedesktop.DBus.Properties' }, 'GetAll', 's', [n.iface]);
    const props: Record<string, unknown> = {};
    for (const [k, v] of Object.entries((all ?? {}) as Record<string, unknown>)) props[k] = v instanceof dbus.Variant ? (v.value as unknown) : v;
    return props;
  } catch (err) {
    if (NOT_RUNNING.test(errorMessage(err)) || (err instanceof dbus.DBusError && NOT_RUNNING.test(err.type))) return null;
    throw err;
  }
}

async function system(bus: MessageBus, t: CallTarget, member: string, signature: string, body: unknown[]): Promise<void> {
  try {
    await callRaw(bus, t, member, signature, body);
  } catch (err) {
    const type = err instanceof dbus.DBusError ? err.type : '';
    if (NOT_RUNNING.test(type)) throw new Error(`${t.destination} is not on the bus`);
    if (/AccessDenied|InteractiveAuthorizationRequired/.test(type)) throw new Error(`not allowed by polkit (${err instanceof dbus.DBusError ? err.text : type})`);
    throw new Error(err instanceof dbus.DBusError ? `${err.text} (${type})` : errorMessage(err));
  }
}

/**
 * setup-wizard with our stdin, stdout and stderr (the tty). The menu stops
 * reading while it runs and ignores Ctrl-C (the wizard gets it: same
 * process group) until it ends.
 */
function runWizard(d: SystemDeps): Promise<EffectResult> {
  d.tty.pause();
  return new Promise<EffectResult>((resolve) => {
    const child = spawn(d.wizard, [], { stdio: 'inherit' });
    child.once('error', (err) => {
      d.tty.resume();
      resolve({ kind: 'Failed', message: errorMessage(err) });
    });
    child.once('exit', (code, signal) => {
      d.tty.resume();
      resolve({ kind: 'NetworkSetupEnded', code, signal });
    });
  });
}
