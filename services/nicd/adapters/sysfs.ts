/**
 * Speed and duplex from /sys/class/net/IF/{speed,duplex}. Drivers that do not
 * know (or links that are down) answer EINVAL, "-1" or "unknown": null then.
 */
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';

const SYS_NET = '/sys/class/net';

async function readAttr(ifname: string, attr: string): Promise<string | null> {
  try {
    return (await readFile(path.join(SYS_NET, ifname, attr), 'utf8')).trim();
  } catch {
    return null;
  }
}

export async function readSpeedDuplex(ifname: string): Promise<{ speedMbps: number | null; duplex: string | null }> {
  const [speed, duplex] = await Promise.all([readAttr(ifname, 'speed'), readAttr(ifname, 'duplex')]);
  const n = speed === null ? NaN : Number(speed);
  return {
    speedMbps: Number.isInteger(n) && n > 0 && n < 4_000_000 ? n : null,
    duplex: duplex === null || duplex === 'unknown' || duplex === '' ? null : duplex,
  };
}
