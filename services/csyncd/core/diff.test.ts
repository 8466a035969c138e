import test from 'ava';
import { unifiedDiff } from './diff';

const side = (label: string, text: string | null) => ({ label, content: text === null ? null : Buffer.from(text) });
const lines = (...l: string[]) => l.map((x) => `${x}\n`).join('');

/** Apply a unified diff to a (test helper): proves the diff is complete and correct. */
function patch(a: string, diff: string): string {
  const src = a === '' ? [] : a.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let i = 0;
  for (const l of diff.split('\n').slice(2)) {
    const m = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(l);
    if (m !== null) {
      const start = Number(m[2] === '0' ? Number(m[1]) : Number(m[1]) - 1);
      while (i < start) out.push(src[i++] ?? '');
      continue;
    }
    if (l.startsWith(' ')) {
      out.push(l.slice(1));
      i++;
    } else if (l.startsWith('-')) i++;
    else if (l.startsWith('+')) out.push(l.slice(1));
  }
  while (i < src.length) out.push(src[i++] ?? '');
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

test('same output as GNU diff -u for two separate changes', (t) => {
  const a = lines('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k');
  const b = lines('a', 'B', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'J', 'k', 'l');
  t.is(
    unifiedDiff(side('x (here)', a), side('x (pushed)', b)),
    '--- x (here)\n+++ x (pushed)\n@@ -1,5 +1,5 @@\n a\n-b\n+B\n c\n d\n e\n@@ -7,5 +7,6 @@\n g\n h\n i\n-j\n+J\n k\n+l\n',
  );
});

test('equal contents give no diff; binary and missing files are summarised', (t) => {
  t.is(unifiedDiff(side('a', 'x\n'), side('b', 'x\n')), '');
  t.regex(unifiedDiff(side('a', 'x\0y'), side('b', 'z')), /^Binary files a and b differ/);
  t.regex(unifiedDiff(side('a', null), side('b', 'new\n')), /^--- \/dev\/null\n\+\+\+ b\n@@ -0,0 \+1 @@\n\+new\n$/);
});

test('patching a with the diff gives b (seeded random edits)', (t) => {
  let seed = 7;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let round = 0; round < 200; round++) {
    const a = Array.from({ length: rnd(30) }, () => `l${rnd(8)}`);
    const b = a.flatMap((l) => (rnd(5) === 0 ? [] : rnd(6) === 0 ? [l, `n${rnd(9)}`] : [rnd(7) === 0 ? `c${rnd(9)}` : l]));
    if (rnd(3) === 0) b.unshift('first');
    const at = a.length === 0 ? '' : lines(...a);
    const bt = b.length === 0 ? '' : lines(...b);
    const d = unifiedDiff(side('a', at), side('b', bt));
    t.is(d === '' ? at : patch(at, d), bt, `round ${round}:\n${d}`);
  }
});

test('very different large files: a bounded summary, not a huge diff', (t) => {
  const a = Array.from({ length: 9000 }, (_, i) => `a${i}`).join('\n');
  const b = Array.from({ length: 9000 }, (_, i) => `b${i}`).join('\n');
  t.regex(unifiedDiff(side('a', a), side('b', b)), /lines differ; diff omitted/);
});
