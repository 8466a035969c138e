/**
 * `serial.DEV.BAUD`: the echo contract (contracts/link-echo.ts) through
 * hbd's own serial adapter (SLIP + CRC-32 over serialport), once per baud
 * rate the profile lists. The fixture has a loopback plug (or an echoing
 * peer in the simulated rig).
 */
import * as path from 'node:path';
import { openSerialLink } from '../../services/hbd/adapters/serial';
import { echoProblems, runEchoContract, type EchoOptions } from '../contracts/link-echo';
import type { SerialSpec } from '../profile/types';
import { fail, pass, type Check } from './types';

const PAYLOAD_BYTES = 64;

/** Time for one frame out and back at `baud` (8N1, worst-case SLIP escaping), with room for a busy machine. */
export function frameTimeoutMs(baud: number): number {
  const wireBytes = 2 * (PAYLOAD_BYTES + 4) + 2;
  return Math.ceil((2 * wireBytes * 10 * 1000) / baud) + 1000;
}

export function serialChecks(spec: SerialSpec, devRoot: string): Check[] {
  const device = path.join(devRoot, spec.device);
  return spec.bauds.map((baud) => {
    const o: EchoOptions = { frames: spec.frames, payloadBytes: PAYLOAD_BYTES, frameTimeoutMs: frameTimeoutMs(baud), openTimeoutMs: 3000, giveUpAfterLost: 3 };
    return {
      id: `serial.${spec.device}.${baud}`,
      group: 'serial',
      timeoutMs: o.openTimeoutMs + spec.frames * 2 * o.frameTimeoutMs + 5000,
      run: async () => {
        const f = await runEchoContract((sink) => openSerialLink(device, baud, sink), o);
        const m = {
          device,
          baud,
          frames_sent: f.framesSent,
          frames_matched: f.matched,
          frames_mismatched: f.mismatched,
          frames_lost: f.lost,
          frames_dropped: Object.values(f.drops).reduce((a, b) => a + b, 0),
          errors: f.lost + f.mismatched,
          bytes_echoed: f.bytesEchoed,
          elapsed_ms: f.elapsedMs,
          ...Object.fromEntries(Object.entries(f.drops).map(([k, v]) => [`drop_${k.replace(/-/g, '_')}`, v])),
        };
        const problems = echoProblems(f, spec.frames);
        return problems.length === 0 ? pass(`${f.matched}/${spec.frames} frames echoed intact at ${baud} baud`, m) : fail(`${device} at ${baud} baud: ${problems.join('; ')}`, m);
      },
    };
  });
}
