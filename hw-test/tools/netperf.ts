/**
 * The traffic test's two ends, run inside the namespaces of a cabled port
 * pair (`ip netns exec NS node netperf.js ...`), so the packets cross the
 * cable and not the kernel's local route.
 *
 *   netperf.js serve ADDR PORT
 *       UDP echo and a TCP sink on ADDR:PORT; prints "ready" when both
 *       listen; after one TCP transfer answers the byte count and exits.
 *       Exits on its own after IDLE_LIMIT_MS (bounded even if the client dies).
 *   netperf.js run ADDR PORT PACKETS BYTES
 *       sends PACKETS numbered UDP datagrams (at most WINDOW outstanding),
 *       counts the echoes, then pushes BYTES over TCP; prints one JSON line
 *       (TrafficFigures).
 *
 * Plain node:dgram and node:net: the figures come from the same code on a
 * unit and in the simulated rig, whatever ping flavour the system has.
 */
import * as dgram from 'node:dgram';
import * as net from 'node:net';

const IDLE_LIMIT_MS = 120_000;
const WINDOW = 16;
const ECHO_WAIT_MS = 2000;
const PACKET_BYTES = 64;
const CHUNK = 64 * 1024;

/** What `run` prints. */
export interface TrafficFigures {
  packetsSent: number;
  packetsReceived: number;
  lossPct: number;
  rttAvgMs: number | null;
  rttMaxMs: number | null;
  bytes: number;
  bytesReceived: number;
  transferMs: number;
  mbps: number;
}

function serve(addr: string, port: number): void {
  const udp = dgram.createSocket(addr.includes(':') ? 'udp6' : 'udp4');
  udp.on('message', (msg, rinfo) => udp.send(msg, rinfo.port, rinfo.address));
  const idle = setTimeout(() => process.exit(3), IDLE_LIMIT_MS);
  const tcp = net.createServer((sock) => {
    let bytes = 0;
    sock.on('data', (d: Buffer) => {
      bytes += d.length;
    });
    sock.on('end', () => {
      sock.end(`${JSON.stringify({ bytes })}\n`);
      tcp.close();
      udp.close();
      clearTimeout(idle);
    });
    sock.on('error', () => process.exit(4));
  });
  let listening = 0;
  const ready = (): void => {
    if (++listening === 2) process.stdout.write('ready\n');
  };
  udp.bind(port, addr, ready);
  tcp.listen(port, addr, ready);
}

async function udpEcho(addr: string, port: number, packets: number): Promise<{ received: number; rtts: number[] }> {
  const sock = dgram.createSocket(addr.includes(':') ? 'udp6' : 'udp4');
  const sentAt = new Map<number, number>();
  const rtts: number[] = [];
  let next = 0;
  let received = 0;
  return new Promise((resolve) => {
    let quiet: NodeJS.Timeout | undefined;
    const finish = (): void => {
      clearTimeout(quiet);
      sock.close();
      resolve({ received, rtts });
    };
    const armQuiet = (): void => {
      clearTimeout(quiet);
      quiet = setTimeout(finish, ECHO_WAIT_MS);
    };
    const pump = (): void => {
      while (next < packets && sentAt.size < WINDOW) {
        const buf = Buffer.alloc(PACKET_BYTES, 0x5a);
        buf.writeUInt32BE(next, 0);
        sentAt.set(next, performance.now());
        sock.send(buf, port, addr);
        next++;
      }
      if (next >= packets && sentAt.size === 0) finish();
    };
    sock.on('message', (msg) => {
      if (msg.length < 4) return;
      const seq = msg.readUInt32BE(0);
      const t = sentAt.get(seq);
      if (t === undefined) return;
      sentAt.delete(seq);
      received++;
      rtts.push(performance.now() - t);
      armQuiet();
      pump();
    });
    // Lost datagrams leave the window full: the quiet timer ends the wait and
    // writes them off, so a dead cable costs one ECHO_WAIT_MS.
    armQuiet();
    pump();
  });
}

function tcpPush(addr: string, port: number, bytes: number): Promise<{ bytesReceived: number; ms: number }> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: addr, port });
    let reply = '';
    let t0 = 0;
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      reply += d;
    });
    sock.on('end', () => {
      const ms = performance.now() - t0;
      try {
        resolve({ bytesReceived: (JSON.parse(reply) as { bytes: number }).bytes, ms });
      } catch {
        reject(new Error(`bad reply from the far end: ${reply.slice(0, 80)}`));
      }
    });
    sock.on('error', reject);
    sock.on('connect', () => {
      t0 = performance.now();
      const chunk = Buffer.alloc(CHUNK, 0xa5);
      let left = bytes;
      const write = (): void => {
        while (left > 0) {
          const n = Math.min(left, CHUNK);
          left -= n;
          if (!sock.write(n === CHUNK ? chunk : chunk.subarray(0, n))) {
            sock.once('drain', write);
            return;
          }
        }
        sock.end();
      };
      write();
    });
  });
}

async function runClient(addr: string, port: number, packets: number, bytes: number): Promise<TrafficFigures> {
  const echo = await udpEcho(addr, port, packets);
  // Nothing came back: a TCP connect would only wait for SYN retries.
  const push = echo.received === 0 ? { bytesReceived: 0, ms: 0 } : await tcpPush(addr, port, bytes);
  const avg = echo.rtts.length === 0 ? null : echo.rtts.reduce((a, b) => a + b, 0) / echo.rtts.length;
  return {
    packetsSent: packets,
    packetsReceived: echo.received,
    lossPct: Math.round(((packets - echo.received) / packets) * 10000) / 100,
    rttAvgMs: avg === null ? null : Math.round(avg * 1000) / 1000,
    rttMaxMs: echo.rtts.length === 0 ? null : Math.round(Math.max(...echo.rtts) * 1000) / 1000,
    bytes,
    bytesReceived: push.bytesReceived,
    transferMs: Math.round(push.ms * 10) / 10,
    mbps: push.ms === 0 ? 0 : Math.round(((push.bytesReceived * 8) / (push.ms * 1000)) * 10) / 10,
  };
}

function main(argv: string[]): void {
  const [mode, addr, portText, packetsText, bytesText] = argv;
  const port = Number(portText);
  if (mode === 'serve' && addr !== undefined && port > 0) return serve(addr, port);
  if (mode === 'run' && addr !== undefined && port > 0 && Number(packetsText) > 0 && Number(bytesText) >= 0) {
    runClient(addr, port, Number(packetsText), Number(bytesText)).then(
      (f) => process.stdout.write(`${JSON.stringify(f)}\n`),
      (err: unknown) => {
        process.stderr.write(`netperf: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
    return;
  }
  process.stderr.write('usage: netperf.js serve ADDR PORT | run ADDR PORT PACKETS BYTES\n');
  process.exit(64);
}

if (require.main === module) main(process.argv.slice(2));
