/**
 * The two kill series of the soak bench, each on a fresh simulated pair with
 * one GARP watch on the LAN bridge:
 *   - hbd at 20ms/60ms (ucast + serial) under the same stress-ng load as the
 *     soak, per scheduling variant;
 *   - serial only at 19200 baud, keepalive 1 s / deadtime 3 s, no load: hbd
 *     (as deployed) and, when installed, Debian's Heartbeat, one after the
 *     other, so their ratio compares like with like.
 */
import { SimPair, VIP } from '../../scripts/sim/pair';
import { errorMessage } from '../../services/runtime/errors';
import { GarpWatch } from '../lib/garp-watch';
import { HbdBus } from './hbd-bus';
import { hbdDriver } from './hbd-driver';
import type { SchedVariant } from './hbd-launch';
import { heartbeatSerialDriver, type HeartbeatSerialTiming } from './heartbeat-driver';
import { keepLogs } from './keep-logs';
import { runKillSeries, type FailoverDriver, type SeriesResult } from './kill-series';
import { soakSettings } from './soak-run';
import { StressLoad } from './stress';
import { lanMac } from '../lib/unit-net';

export const LOADED = { keepaliveMs: 20, warntimeMs: 40, deadtimeMs: 60 } as const;
export const SERIAL: HeartbeatSerialTiming = { keepaliveS: 1, warntimeS: 2, deadtimeS: 3, initdeadS: 6, baud: 19200 };
export const SERIAL_SETTING = `serial only, ${SERIAL.baud} baud, keepalive ${SERIAL.keepaliveS} s, deadtime ${SERIAL.deadtimeS} s`;

type Log = (msg: string) => void;

/** A fresh pair with a GARP watch for `body`; everything is removed afterwards. */
async function onPair<T>(tag: string, log: Log, body: (pair: SimPair, garp: GarpWatch, bus: HbdBus) => Promise<T>): Promise<T> {
  const pair = await SimPair.create();
  let garp: GarpWatch | undefined;
  let bus: HbdBus | undefined;
  try {
    garp = await GarpWatch.start(pair.lanNs, VIP);
    bus = await HbdBus.open(pair.units);
    return await body(pair, garp, bus);
  } finally {
    bus?.close();
    garp?.stop();
    keepLogs(pair.dir, tag, log);
    pair.teardown();
  }
}

function failed(system: string, setting: string, reps: number, err: unknown): SeriesResult {
  return { system, setting, reps, failoverMs: [], misses: 0, problems: [`did not run: ${errorMessage(err)}`] };
}

async function series(pair: SimPair, garp: GarpWatch, driver: FailoverDriver, reps: number, log: Log): Promise<SeriesResult> {
  const macs = [lanMac(pair.units[0]), lanMac(pair.units[1])] as const;
  return runKillSeries({ pair, garp, macs, log }, driver, reps);
}

/** hbd 20ms/60ms under stress-ng, kill -9 of the active, `reps` times. */
export async function loadedFailover(variant: SchedVariant, reps: number, log: Log): Promise<SeriesResult> {
  const setting = `20ms/60ms, ucast + serial, ${variant.label}, under stress-ng`;
  try {
    return await onPair(`failover ${setting}`, log, async (pair, garp, bus) => {
      const driver = hbdDriver({
        pair,
        bus,
        settings: soakSettings({ ...LOADED, variant, minutes: 0 }),
        variant,
        setting,
        keepaliveMs: LOADED.keepaliveMs,
        deadtimeMs: LOADED.deadtimeMs,
        initdeadMs: 2_000,
        keepPids: new Set(),
      });
      const stress = await StressLoad.start();
      try {
        return await series(pair, garp, driver, reps, log);
      } finally {
        await stress.stopGracefully();
      }
    });
  } catch (err) {
    return failed('hbd', setting, reps, err);
  }
}

/** Serial-only failover of hbd (as deployed) and of Heartbeat, no load. */
export async function serialFailover(variant: SchedVariant, reps: number, log: Log): Promise<SeriesResult[]> {
  const out: SeriesResult[] = [];
  const hbdSetting = `${SERIAL_SETTING}, ${variant.label}`;
  try {
    out.push(
      await onPair(`serial hbd`, log, (pair, garp, bus) =>
        series(
          pair,
          garp,
          hbdDriver({
            pair,
            bus,
            settings: {
              keepalive: `${SERIAL.keepaliveS}s`,
              warntime: `${SERIAL.warntimeS}s`,
              deadtime: `${SERIAL.deadtimeS}s`,
              initdead: `${SERIAL.initdeadS}s`,
              autoFailback: false,
              ucast: false,
              serial: true,
              baud: SERIAL.baud,
            },
            variant,
            setting: hbdSetting,
            keepaliveMs: SERIAL.keepaliveS * 1000,
            deadtimeMs: SERIAL.deadtimeS * 1000,
            initdeadMs: SERIAL.initdeadS * 1000,
            keepPids: new Set(),
          }),
          reps,
          log,
        ),
      ),
    );
  } catch (err) {
    out.push(failed('hbd', hbdSetting, reps, err));
  }
  try {
    out.push(await onPair(`serial heartbeat`, log, (pair, garp) => series(pair, garp, heartbeatSerialDriver(pair, SERIAL, SERIAL_SETTING, new Set()), reps, log)));
  } catch (err) {
    out.push(failed('heartbeat', SERIAL_SETTING, reps, err));
  }
  return out;
}
