/**
 * Config-like payloads for the csync bench: haproxy "server" lines up to a
 * size, and a one-line change per repetition (the "changed config file"),
 * from a seeded PRNG so runs are comparable.
 */

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function line(rnd: () => number, i: number): string {
  const n = (k: number): number => Math.floor(rnd() * k);
  return `    server srv${i} 10.${n(256)}.${n(256)}.${n(256)}:${1024 + n(60000)} check inter ${1 + n(9)}s weight ${n(256)}\n`;
}

/** About `size` bytes of backend lines. */
export function configOf(size: number, rnd: () => number): string[] {
  const lines = ['backend bench\n', '    balance roundrobin\n'];
  let n = lines.join('').length;
  for (let i = 0; n < size; i++) {
    const l = line(rnd, i);
    lines.push(l);
    n += l.length;
  }
  return lines;
}

/** Change one server line in place (a typical edit). */
export function changeOne(lines: string[], rnd: () => number): string {
  const i = 2 + Math.floor(rnd() * Math.max(1, lines.length - 2));
  lines[i] = line(rnd, i);
  return lines.join('');
}

export const SIZES: readonly { label: string; bytes: number }[] = [
  { label: '10 KB', bytes: 10 * 1024 },
  { label: '1 MB', bytes: 1024 * 1024 },
  { label: '10 MB', bytes: 10 * 1024 * 1024 },
];
