/**
 * Unified diff (diff -u style, 3 lines of context) for conflict reports,
 * with Myers' O((N+M)D) algorithm. Bounded: binary files, huge files and
 * very different files get a one-line summary instead.
 */

export interface DiffSide {
  label: string;
  /** null: the file does not exist on this side. */
  content: Buffer | null;
}

const CONTEXT = 3;
const MAX_LINES = 200_000;
const MAX_EDITS = 1500;

type Op = { t: ' ' | '-' | '+'; line: string; a: number; b: number };

/** diff -u of one file; '' when the contents are equal. */
export function unifiedDiff(a: DiffSide, b: DiffSide): string {
  const head = `--- ${a.content === null ? '/dev/null' : a.label}\n+++ ${b.content === null ? '/dev/null' : b.label}\n`;
  if (a.content !== null && b.content !== null && a.content.equals(b.content)) return '';
  if ((a.content?.includes(0) ?? false) || (b.content?.includes(0) ?? false)) return `Binary files ${a.label} and ${b.label} differ\n`;
  const al = splitLines(a.content);
  const bl = splitLines(b.content);
  if (al.length > MAX_LINES || bl.length > MAX_LINES) return `${head}(files too large to diff: ${al.length} and ${bl.length} lines)\n`;
  const ops = myers(al, bl);
  if (ops === null) return `${head}(more than ${MAX_EDITS} lines differ; diff omitted)\n`;
  return head + hunks(ops).join('');
}

function splitLines(b: Buffer | null): string[] {
  if (b === null || b.length === 0) return [];
  const s = b.toString('utf8');
  const lines = s.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Shortest edit script, or null when it needs more than MAX_EDITS edits. */
function myers(a: string[], b: string[]): Op[] | null {
  const n = a.length;
  const m = b.length;
  const maxD = Math.min(n + m, MAX_EDITS);
  const off = maxD + 1;
  const v = new Int32Array(2 * maxD + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= maxD; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[off + k - 1] ?? 0) < (v[off + k + 1] ?? 0)) ? (v[off + k + 1] ?? 0) : (v[off + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) {
        trace.push(v.slice(off - d, off + d + 1));
        return backtrack(a, b, trace);
      }
    }
    trace.push(v.slice(off - d, off + d + 1));
  }
  return null;
}

function backtrack(a: string[], b: string[], trace: Int32Array[]): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = trace.length - 1; d > 0; d--) {
    const prev = trace[d - 1] ?? new Int32Array(0);
    const at = (k: number): number => prev[k + d - 1] ?? 0;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ t: ' ', line: a[x - 1] ?? '', a: x - 1, b: y - 1 });
      x--;
      y--;
    }
    if (down) ops.push({ t: '+', line: b[prevY] ?? '', a: prevX, b: prevY });
    else ops.push({ t: '-', line: a[prevX] ?? '', a: prevX, b: prevY });
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    ops.push({ t: ' ', line: a[x - 1] ?? '', a: x - 1, b: y - 1 });
    x--;
    y--;
  }
  return ops.reverse();
}

/** Group the script into @@ hunks with CONTEXT lines around each change. */
function hunks(ops: Op[]): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i]?.t === ' ') i++;
    if (i >= ops.length) break;
    const start = Math.max(0, i - CONTEXT);
    let end = i;
    let lastChange = i;
    while (end < ops.length) {
      if (ops[end]?.t !== ' ') lastChange = end;
      else if (end - lastChange > 2 * CONTEXT) break;
      end++;
    }
    const stop = Math.min(ops.length, lastChange + CONTEXT + 1);
    const slice = ops.slice(start, stop);
    const aCount = slice.filter((o) => o.t !== '+').length;
    const bCount = slice.filter((o) => o.t !== '-').length;
    const first = slice[0];
    const aStart = aCount === 0 ? (first?.a ?? 0) : (first?.a ?? 0) + 1;
    const bStart = bCount === 0 ? (first?.b ?? 0) : (first?.b ?? 0) + 1;
    out.push(`@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@\n`, ...slice.map((o) => `${o.t}${o.line}\n`));
    i = stop;
  }
  return out;
}

/** GNU diff's hunk range: "start" for one line, else "start,count". */
function range(start: number, count: number): string {
  return count === 1 ? String(start) : `${start},${count}`;
}
