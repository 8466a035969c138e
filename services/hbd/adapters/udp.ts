/**
 * ucast transport: one UDP socket per address family bound to udpport; each
 * `ucast IFACE PEER` line is a link identified by the peer's address, so a
 * datagram from anywhere else is dropped as `unknown-source`.
 */
import * as dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import { AppError } from '../../runtime/errors';
import type { Link, LinkSink } from '../ports/link';

export interface UcastSpec {
  iface: string;
  peer: string;
}

/** Max datagram we accept; adverts are < 128 bytes. */
const MAX_DATAGRAM = 512;

export async function openUcastLinks(specs: readonly UcastSpec[], port: number, sink: LinkSink): Promise<Link[]> {
  const byPeer = new Map(specs.map((s) => [s.peer, linkIdOf(s)]));
  const sockets = new Map<'udp4' | 'udp6', dgram.Socket>();
  for (const family of new Set(specs.map((s) => (isIPv6(s.peer) ? 'udp6' : 'udp4') as 'udp4' | 'udp6'))) {
    sockets.set(family, await bindSocket(family, port, byPeer, sink));
  }
  return specs.map((s): Link => {
    const sock = sockets.get(isIPv6(s.peer) ? 'udp6' : 'udp4');
    return {
      id: linkIdOf(s),
      kind: 'udp',
      send: (data) => {
        sock?.send(data, port, s.peer, (err) => {
          if (err) sink.drop({ linkId: linkIdOf(s), reason: `send-failed:${(err as NodeJS.ErrnoException).code ?? err.message}` });
        });
        return sock !== undefined;
      },
      close: async () => {
        for (const [fam, so] of sockets) {
          sockets.delete(fam);
          await new Promise<void>((r) => so.close(() => r()));
        }
      },
    };
  });
}

export function linkIdOf(s: UcastSpec): string {
  return `ucast:${s.iface}:${s.peer}`;
}

function bindSocket(type: 'udp4' | 'udp6', port: number, byPeer: Map<string, string>, sink: LinkSink): Promise<dgram.Socket> {
  const sock = dgram.createSocket({ type, reuseAddr: false, ipv6Only: type === 'udp6' });
  sock.on('message', (msg, rinfo) => {
    const linkId = byPeer.get(rinfo.address.replace(/^::ffff:/, ''));
    if (linkId === undefined) return sink.drop({ linkId: `ucast:?:${rinfo.address}`, reason: 'unknown-source' });
    if (msg.length > MAX_DATAGRAM) return sink.drop({ linkId, reason: 'too-long' });
    sink.frame({ linkId, data: msg });
  });
  return new Promise((resolve, reject) => {
    sock.once('error', (err) =>
      reject(new AppError('UDP_BIND_FAILED', `cannot bind udp port ${port} (${type}): ${err.message}`, {}, { cause: err })),
    );
    sock.bind({ port, address: type === 'udp4' ? '0.0.0.0' : '::' }, () => {
      sock.removeAllListeners('error');
      sock.on('error', (err) => sink.drop({ linkId: 'ucast', reason: `socket-error:${err.message}` }));
      resolve(sock);
    });
  });
}
