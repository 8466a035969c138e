/**
 * The repository keeps "one room per part" (boundaries.ts): no service imports
 * another service's modules, and no import cycles. The rules are first shown
 * to catch made-up violations, so a pass over the real tree means something.
 */
import test from 'ava';
import { repoRoot } from '../services/runtime/cli';
import { boundaryViolations, importCycles, importGraph, importSpecifiers, readSources } from './boundaries';

const tree = (files: Record<string, string>): Map<string, string> => new Map(Object.entries(files));

test('every kind of import is seen: from, type-only, re-export, side effect, import(), require()', (t) => {
  const text = [
    "import { a } from './a';",
    "import type { B } from '../b';",
    "export * from './c';",
    "import './d';",
    "const e = import('./e');",
    "const f = require('./f');",
    "import { readFileSync } from 'node:fs';",
  ].join('\n');
  t.deepEqual(importSpecifiers(text), ['./a', '../b', './c', './d', './e', './f', 'node:fs']);
});

test('a service importing another service is named; runtime, the kit and its own modules are not', (t) => {
  const g = importGraph(tree({
    'services/paneld/core/net-edit.ts': "import type { NetConfig } from '../../nicd/config/types';\nimport { x } from '../../runtime/netconf/ip';\nimport { y } from './menu';",
    'services/paneld/core/menu.ts': '',
    'services/paneld/paneld.itest.ts': "import { StandIns } from '../../scripts/sim/stand-ins';",
    'services/nicd/config/types.ts': '',
    'services/runtime/netconf/ip.ts': "import { z } from '../../statusd/adapters/feed';",
    'services/statusd/adapters/feed.ts': '',
    'scripts/sim/stand-ins.ts': "import { exportHbd } from '../../services/hbd/adapters/dbus-api';",
    'services/hbd/adapters/dbus-api.ts': '',
  }));
  const v = boundaryViolations(g);
  t.is(v.length, 2, v.join('\n'));
  t.regex(v[0] ?? '', /^services\/paneld\/core\/net-edit\.ts imports services\/nicd\/config\/types\.ts: paneld must not import nicd's modules/);
  t.regex(v[1] ?? '', /^services\/runtime\/netconf\/ip\.ts imports services\/statusd\/adapters\/feed\.ts: services\/runtime\/ .* imports none of them/);
});

test('cycles of any length are found and shown as a ring; a chain is not a cycle', (t) => {
  const g = importGraph(tree({
    'services/csyncd/adapters/commit.ts': "import type { Peer } from './receiver';",
    'services/csyncd/adapters/receiver.ts': "import { commitPush } from './commit';",
    'bench/a.ts': "import './b';",
    'bench/b.ts': "import './c';",
    'bench/c.ts': "import { a } from './a';",
    'firmware/self.ts': "export * from './self';",
    'hw-test/x.ts': "import './y';",
    'hw-test/y.ts': "import './z';",
    'hw-test/z.ts': '',
  }));
  t.deepEqual(importCycles(g), [
    'bench/a.ts -> bench/b.ts -> bench/c.ts -> bench/a.ts',
    'firmware/self.ts -> firmware/self.ts',
    'services/csyncd/adapters/commit.ts -> services/csyncd/adapters/receiver.ts -> services/csyncd/adapters/commit.ts',
  ]);
});

const repo = importGraph(readSources(repoRoot()));

test('the repository: its graph is read (sanity: the services and the kit are in it)', (t) => {
  t.true(repo.size > 300, `only ${repo.size} files`);
  t.true((repo.get('services/paneld/adapters/actions.ts') ?? []).includes('services/runtime/netconf/parse.ts'));
});

test('the repository: no service imports another service\'s modules', (t) => {
  t.deepEqual(boundaryViolations(repo), []);
});

test('the repository: no import cycles', (t) => {
  t.deepEqual(importCycles(repo), []);
});
