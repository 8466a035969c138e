/**
 * Serial transport over a null-modem cable (serialport). Frames are SLIP
 * with CRC-32 (core/serial-frame). The device may vanish (USB adapter pulled,
 * cable out): we report the medium down and reopen with backoff, without
 * restarting the service. Writes are never queued behind a slow line: an
 * advert that finds the previous one still draining is skipped.
 */
import { SerialPort } from 'serialport';
import { encodeFrame, FrameDecoder } from '../core/serial-frame';
import type { Link, LinkSink } from '../ports/link';

const REOPEN_MIN_MS = 250;
const REOPEN_MAX_MS = 4000;

export function openSerialLink(device: string, baudRate: number, sink: LinkSink): Link {
  const id = `serial:${device}`;
  let port: SerialPort | null = null;
  let draining = false;
  let closed = false;
  let backoff = REOPEN_MIN_MS;
  let reopenTimer: NodeJS.Timeout | null = null;
  let lastError = '';

  const scheduleReopen = (why: string): void => {
    if (closed || reopenTimer !== null) return;
    if (why !== lastError) sink.medium(id, false, why);
    lastError = why;
    reopenTimer = setTimeout(() => {
      reopenTimer = null;
      open();
    }, backoff);
    backoff = Math.min(backoff * 2, REOPEN_MAX_MS);
  };

  const open = (): void => {
    const decoder = new FrameDecoder();
    const p = new SerialPort({ path: device, baudRate, autoOpen: false, hupcl: false });
    p.open((err) => {
      if (err) return scheduleReopen(`cannot open ${device}: ${err.message}`);
      port = p;
      draining = false;
      backoff = REOPEN_MIN_MS;
      lastError = '';
      sink.medium(id, true, `${device} open at ${baudRate} baud`);
    });
    p.on('data', (chunk: Buffer) => {
      for (const v of decoder.push(chunk)) {
        if (v.ok) sink.frame({ linkId: id, data: v.payload });
        else sink.drop({ linkId: id, reason: v.reason });
      }
    });
    p.on('error', (e: Error) => {
      if (port === p) port = null;
      scheduleReopen(`${device}: ${e.message}`);
    });
    p.on('close', () => {
      if (port === p) port = null;
      scheduleReopen(`${device} closed`);
    });
  };

  open();
  return {
    id,
    kind: 'serial',
    send: (data) => {
      const p = port;
      if (p === null || draining) return false;
      draining = true;
      p.write(encodeFrame(data));
      p.drain(() => {
        draining = false;
      });
      return true;
    },
    close: async () => {
      closed = true;
      if (reopenTimer !== null) clearTimeout(reopenTimer);
      const p = port;
      port = null;
      if (p?.isOpen) await new Promise<void>((r) => p.close(() => r()));
    },
  };
}
