/**
 * NIC checks: `nic.PORT.link` (present, up, carrier, expected speed) and
 * `nic.A-B.traffic` (bounded UDP echo for loss and round trip, bounded TCP
 * push for throughput, across the fixture's cable).
 */
import { waitFor } from '../../scripts/sim/exec';
import type { NetHost, PortLink } from '../adapters/net-host';
import type { CableSpec, NicSpec } from '../profile/types';
import type { TrafficFigures } from '../tools/netperf';
import { fail, pass, type Check, type Outcome } from './types';

/** Autonegotiation on copper takes a few seconds after the port comes up. */
const CARRIER_WAIT_MS = 8000;

export function judgeLink(spec: NicSpec, l: PortLink): Outcome {
  const m = { exists: l.exists, admin_up: l.up, carrier: l.carrier, operstate: l.operstate, speed_mbps: l.speedMbps, expected_speed_mbps: spec.speedMbps ?? null };
  if (!l.exists) return fail(`${spec.name} not found: driver not loaded or the port is named differently (see \`ip link\`)`, m);
  if (!l.up) return fail(`${spec.name} is administratively down (ip link set ${spec.name} up)`, m);
  if (!l.carrier) return fail(`${spec.name} has no link (no carrier): cable unplugged, or the port at the other end is dead`, m);
  if (spec.speedMbps !== undefined) {
    if (l.speedMbps === null) return fail(`${spec.name} has link but its driver reports no speed (expected ${spec.speedMbps} Mb/s)`, m);
    if (l.speedMbps !== spec.speedMbps) return fail(`${spec.name} negotiated ${l.speedMbps} Mb/s, expected ${spec.speedMbps} Mb/s: bad cable (pairs) or port`, m);
  }
  return pass(`link up${l.speedMbps === null ? '' : ` at ${l.speedMbps} Mb/s`}`, m);
}

export function judgeTraffic(c: CableSpec, f: TrafficFigures): Outcome {
  const m = {
    packets_sent: f.packetsSent,
    packets_received: f.packetsReceived,
    loss_pct: f.lossPct,
    rtt_avg_ms: f.rttAvgMs,
    rtt_max_ms: f.rttMaxMs,
    bytes_sent: f.bytes,
    bytes_received: f.bytesReceived,
    transfer_ms: f.transferMs,
    throughput_mbps: f.mbps,
    max_loss_pct: c.maxLossPct,
    min_throughput_mbps: c.minMbps,
  };
  const pair = `${c.a} <-> ${c.b}`;
  if (f.packetsReceived === 0) return fail(`no traffic passes ${pair}: 0 of ${f.packetsSent} packets came back (cable, port or link down)`, m);
  if (f.lossPct > c.maxLossPct) return fail(`${pair} lost ${f.packetsSent - f.packetsReceived} of ${f.packetsSent} packets (${f.lossPct}%, allowed ${c.maxLossPct}%)`, m);
  if (f.bytesReceived !== f.bytes) return fail(`${pair}: the far end received ${f.bytesReceived} of ${f.bytes} bytes`, m);
  if (f.mbps < c.minMbps) return fail(`${pair} carried ${f.mbps} Mb/s, below ${c.minMbps} Mb/s`, m);
  return pass(`${f.packetsReceived}/${f.packetsSent} packets, ${f.mbps} Mb/s`, m);
}

export function linkCheck(spec: NicSpec, host: NetHost): Check {
  return {
    id: `nic.${spec.name}.link`,
    group: 'nic',
    timeoutMs: CARRIER_WAIT_MS + 10_000,
    run: async () => {
      let l = await host.link(spec.name);
      if (l.exists && !l.up && (await host.bringUp(spec.name))) {
        l = await waitFor(`carrier on ${spec.name}`, async () => {
          const now = await host.link(spec.name);
          return now.carrier ? now : undefined;
        }, CARRIER_WAIT_MS).catch(() => host.link(spec.name));
      }
      return judgeLink(spec, l);
    },
  };
}

export function trafficCheck(c: CableSpec, index: number, host: NetHost): Check {
  // Packets leave in windows of 16 with 2 s for the last echoes; TCP at >= 1 Mb/s.
  const timeoutMs = Math.ceil(15_000 + c.packets * 5 + (c.bytes * 8) / 1000);
  return {
    id: `nic.${c.a}-${c.b}.traffic`,
    group: 'traffic',
    timeoutMs: timeoutMs + 15_000,
    run: async () => {
      // Ports only move into namespaces when both ends have link: a missing
      // or dead port fails here, before a live port is taken out of service.
      for (const port of [c.a, c.b]) {
        const l = await host.link(port);
        if (!l.exists) return fail(`${port} not found: traffic not sent (see nic.${port}.link)`, { port, exists: false });
        if (!l.carrier) return fail(`${port} has no link: traffic not sent over ${c.a} <-> ${c.b} (see nic.${port}.link)`, { port, carrier: false, admin_up: l.up });
      }
      const p = await host.cable(c.a, c.b, index);
      try {
        return judgeTraffic(c, await host.traffic(p, c.packets, c.bytes, timeoutMs));
      } finally {
        await p.release();
      }
    },
  };
}
