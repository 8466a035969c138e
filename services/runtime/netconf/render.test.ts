import test from 'ava';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../cli';
import { parseNetworkConfig } from './parse';
import { renderConfig, renderResolvConf, withGeneration, withoutGeneration } from './render';
import type { NetConfig } from './types';

const full = readFileSync(path.join(repoRoot(), 'services', 'runtime', 'netconf', '__fixtures__', 'network.conf.full'), 'utf8');

/** A config without line numbers, to compare two parses of different texts. */
const shape = (c: NetConfig): unknown => JSON.parse(JSON.stringify({ ...c, file: '' }, (k, v: unknown) => (k === 'line' ? undefined : v)));

test('render -> parse gives the same config', (t) => {
  const a = parseNetworkConfig(full, 'a').config;
  const text = renderConfig(a, ['header']);
  t.true(text.startsWith('# header\ngeneration 12\nhostname lbmaster\n'));
  t.deepEqual(shape(parseNetworkConfig(text, 'b').config), shape(a));
});

test('withGeneration replaces every generation line by one on top and keeps comments', (t) => {
  const text = '# mine\ngeneration 3\ninterface eth0 # the LAN\n  address 10.0.0.1/24\n  generation 9\n';
  t.is(withGeneration(text, 4), 'generation 4\n# mine\ninterface eth0 # the LAN\n  address 10.0.0.1/24\n');
  t.is(withGeneration('interface eth0', 1), 'generation 1\ninterface eth0\n');
  t.is(withoutGeneration(withGeneration(text, 4)), withoutGeneration(withGeneration(text, 5)));
});

test('resolv.conf from dns and search; none when the config names neither', (t) => {
  const c = parseNetworkConfig('dns 192.0.2.53 2001:db8::53\nsearch example.com b.example.com\n', 'f').config;
  t.is(renderResolvConf(c)?.split('\n').filter((l) => !l.startsWith('#')).join('\n'), 'nameserver 192.0.2.53\nnameserver 2001:db8::53\nsearch example.com b.example.com\n');
  t.is(renderResolvConf(parseNetworkConfig('interface eth0\n', 'f').config), null);
});
