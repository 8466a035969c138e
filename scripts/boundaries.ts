/**
 * "One room per part" (issue #23), checked on the import graph of the
 * TypeScript sources:
 *
 *  - a service never imports another service's modules: a file under
 *    services/<svc>/ imports only its own service, services/runtime/ (what
 *    two or more parts share) and the sim kit (scripts/); services/runtime/
 *    imports no service at all;
 *  - no import cycles, of any length (two files that import each other, or
 *    a ring through several). Type-only imports count: a ring of types is
 *    still two rooms that cannot be read, moved or tested apart.
 *
 * Pure over a map of path -> source text, so the rules are tested on small
 * made-up trees as well as run over the repository (boundaries.test.ts).
 * Only relative specifiers are followed; packages and node: modules are
 * outside the graph, and a specifier that names no .ts file is left to tsc.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/** The top-level directories whose .ts files make the graph. */
export const SOURCE_DIRS = ['services', 'scripts', 'bench', 'hw-test', 'firmware'] as const;

/** Repository-relative path (with '/') -> the repository-relative .ts files it imports. */
export type ImportGraph = Map<string, string[]>;

/** Every .ts file (not .d.ts) under `dirs` of `root`, by repository-relative path, with its text. */
export function readSources(root: string, dirs: readonly string[] = SOURCE_DIRS): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    let entries;
    try {
      entries = readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch {
      return; // a source dir that does not exist in this checkout
    }
    for (const e of entries) {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(p);
      } else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
        out.set(p, readFileSync(path.join(root, p), 'utf8'));
      }
    }
  };
  for (const d of dirs) walk(d);
  return out;
}

/** The specifiers a file imports: import/export ... from, import type, import(), require(). */
export function importSpecifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** The .ts file a relative specifier of `from` names, or null (a package, or not a .ts file here). */
function resolve(files: ReadonlyMap<string, string>, from: string, spec: string): string | null {
  if (!spec.startsWith('./') && !spec.startsWith('../')) return null;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  for (const c of [`${base}.ts`, `${base}/index.ts`, base]) if (c.endsWith('.ts') && files.has(c)) return c;
  return null;
}

export function importGraph(files: ReadonlyMap<string, string>): ImportGraph {
  const g: ImportGraph = new Map();
  for (const [f, text] of files) {
    const deps = new Set<string>();
    for (const spec of importSpecifiers(text)) {
      const to = resolve(files, f, spec);
      if (to !== null) deps.add(to);
    }
    g.set(f, [...deps].sort());
  }
  return g;
}

/** The service a file belongs to ('runtime' for the shared runtime), or null outside services/. */
export function serviceOf(file: string): string | null {
  const m = /^services\/([^/]+)\//.exec(file);
  return m?.[1] ?? null;
}

/** One line per import that crosses a service boundary: "services/a/x.ts imports services/b/y.ts (...)". */
export function boundaryViolations(g: ImportGraph): string[] {
  const out: string[] = [];
  for (const [from, deps] of g) {
    const own = serviceOf(from);
    if (own === null) continue;
    for (const to of deps) {
      const other = serviceOf(to);
      if (other === null || other === own) continue;
      if (own === 'runtime') out.push(`${from} imports ${to}: services/runtime/ is shared by the services and imports none of them`);
      else if (other !== 'runtime') out.push(`${from} imports ${to}: ${own} must not import ${other}'s modules (move what both need to services/runtime/, or a test helper to scripts/sim/)`);
    }
  }
  return out.sort();
}

/**
 * Every import cycle, one per strongly connected component (Tarjan), shown as
 * one concrete ring through it: "a.ts -> b.ts -> a.ts". A component of several
 * files may hold more rings than the one shown; breaking them all empties it.
 */
export function importCycles(g: ImportGraph): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let next = 0;
  // Iterative: a recursive walk of a long import chain could exhaust the stack.
  for (const root of [...g.keys()].sort()) {
    if (index.has(root)) continue;
    const work: { v: string; i: number }[] = [{ v: root, i: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const deps = g.get(top.v) ?? [];
      if (top.i < deps.length) {
        const w = deps[top.i++]!;
        if (!g.has(w)) continue;
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push({ v: w, i: 0 });
        } else if (onStack.has(w)) {
          low.set(top.v, Math.min(low.get(top.v)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(top.v)!));
      if (low.get(top.v) === index.get(top.v)) {
        const c: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          c.push(w);
        } while (w !== top.v);
        if (c.length > 1 || (g.get(top.v) ?? []).includes(top.v)) components.push(c);
      }
    }
  }
  return components.map((c) => ringThrough(g, new Set(c))).sort();
}

/** A shortest ring from the component's first file (by name) back to it, inside the component. */
function ringThrough(g: ImportGraph, members: Set<string>): string {
  const start = [...members].sort()[0]!;
  const prev = new Map<string, string>();
  const queue = [start];
  for (let k = 0; k < queue.length; k++) {
    const v = queue[k]!;
    for (const w of g.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const ring = [start];
        for (let x: string | undefined = v; x !== undefined && x !== start; x = prev.get(x)) ring.unshift(x);
        ring.unshift(start);
        return ring.join(' -> ');
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return [...members].sort().join(' <-> '); // not reached: a component of a cycle has a ring through every member
}
