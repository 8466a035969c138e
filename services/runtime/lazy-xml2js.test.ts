import test from 'ava';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './cli';
import { Builder, loaded, Parser } from './lazy-xml2js';

// dbus-next must use no more of xml2js than the stand-in offers.
test('dbus-next uses xml2js only through new Builder(...) and new Parser(...)', async (t) => {
  const lib = path.join(repoRoot(), 'node_modules', 'dbus-next', 'lib');
  const files = (await fs.readdir(lib, { recursive: true })).filter((f) => f.endsWith('.js'));
  const uses: string[] = [];
  for (const f of files) {
    const src = await fs.readFile(path.join(lib, f), 'utf8');
    if (!src.includes("require('xml2js')")) continue;
    for (const m of src.matchAll(/xml2js\.(\w+)/g)) uses.push(`${f}: ${m[0]}`);
  }
  t.true(uses.length > 0, 'dbus-next no longer requires xml2js: the redirect in rootfs/lib/bundle.mjs can go');
  t.deepEqual(uses.filter((u) => !/xml2js\.(Builder|Parser)$/.test(u)), []);
});

test('loaded only at the first use; builds and parses like xml2js', async (t) => {
  const builder = new Builder({ headless: true });
  t.false(loaded());
  const xml = builder.buildObject({ node: { interface: [{ $: { name: 'com.lbos.Test' } }] } });
  t.true(loaded());
  t.is(xml, '<node>\n  <interface name="com.lbos.Test"/>\n</node>');
  const parser = new Parser() as { parseString(s: string, cb: (err: Error | null, out: unknown) => void): void };
  const out = await new Promise((resolve, reject) => parser.parseString(xml, (err, o) => (err ? reject(err) : resolve(o))));
  t.deepEqual(out, { node: { interface: [{ $: { name: 'com.lbos.Test' } }] } });
});
