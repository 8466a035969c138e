/**
 * The benchmark's floor: the least a Node process can do to push one message
 * to every feed client over TLS. An HTTPS server (same TLS settings as
 * statusd) that upgrades /feed by hand (no `ws`, no session, no hub, no
 * D-Bus), sends each client a first frame, and on a message from its parent
 * writes one text frame to every socket in a plain loop. Same clients, same
 * machine, same run as statusd: the ratio says what statusd itself costs.
 *
 * Run by bench/statusd.ts with child_process.fork:
 *   parent -> child: { t: 'send', marker }
 *   child -> parent: { t: 'ready', port } | { t: 'sent', loopMs }
 */
import { createHash } from 'node:crypto';
import * as https from 'node:https';
import type { Duplex } from 'node:stream';
import pino from 'pino';
import { selfSignedPair } from '../../services/statusd/adapters/tls-cert';

export type ToFloor = { t: 'send'; marker: string };
export type FromFloor = { t: 'ready'; port: number } | { t: 'sent'; loopMs: number };

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** An unmasked server text frame (RFC 6455), payload under 64 KiB. */
export function serverTextFrame(payload: Buffer): Buffer {
  if (payload.length > 0xffff) throw new Error('floor frames stay under 64 KiB');
  const head = payload.length < 126 ? Buffer.from([0x81, payload.length]) : Buffer.from([0x81, 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([head, payload]);
}

async function main(stateDir: string): Promise<void> {
  const pair = await selfSignedPair(stateDir, pino({ level: 'silent' }), 'floor.invalid');
  const sockets = new Set<Duplex>();
  const server = https.createServer({ cert: pair.cert, key: pair.key, minVersion: 'TLSv1.2' });
  server.on('upgrade', (req, socket: Duplex) => {
    const key = String(req.headers['sec-websocket-key'] ?? '');
    const accept = createHash('sha1').update(key + WS_GUID).digest('base64');
    (socket as Duplex & { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true); // as ws does
    socket.on('error', () => undefined);
    socket.on('data', () => undefined); // pongs
    socket.on('close', () => sockets.delete(socket));
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    socket.write(serverTextFrame(Buffer.from('{"t":"snapshot"}')));
    sockets.add(socket);
  });
  server.listen(0, '127.0.0.1', () => {
    const addr = server.address();
    process.send?.({ t: 'ready', port: typeof addr === 'object' && addr !== null ? addr.port : 0 } satisfies FromFloor);
  });
  process.on('message', (m: ToFloor) => {
    if (m.t !== 'send') return;
    const frame = serverTextFrame(Buffer.from(JSON.stringify({ t: 'delta', set: [['marker'], m.marker] })));
    const t0 = performance.now();
    for (const s of sockets) s.write(frame);
    process.send?.({ t: 'sent', loopMs: performance.now() - t0 } satisfies FromFloor);
  });
  process.on('disconnect', () => process.exit(0));
}

if (require.main === module) {
  const dir = process.argv[2];
  if (dir === undefined) {
    process.stderr.write('usage: floor-server.js STATE_DIR (forked by bench/statusd.ts)\n');
    process.exit(64);
  }
  main(dir).catch((err: unknown) => {
    process.stderr.write(`floor-server: ${String(err)}\n`);
    process.exit(1);
  });
}
