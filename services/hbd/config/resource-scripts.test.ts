import test from 'ava';
import { formatProblem } from '../../runtime/config/problems';
import { parseHaresources } from './haresources';
import { checkResourceScripts, type ScriptFacts, type ScriptLookup } from './resource-scripts';

/** A made-up file system: path -> facts; everything else is missing. */
function lookup(files: Record<string, ScriptFacts>): ScriptLookup {
  return {
    candidates: (name) => [`/etc/ha.d/resource.d/${name}`, `/etc/init.d/${name}`],
    probe: async (file) => files[file] ?? 'missing',
  };
}

const hr = (line: string) => parseHaresources(line, 'haresources', ['lb1', 'lb2']);

test('a script is found where Heartbeat looks, first hit wins', async (t) => {
  const r = await checkResourceScripts(hr('lb1 IPaddr2::192.0.2.10/24/eth0 haproxy Foo::a::b\n'), 'haresources', lookup({
    '/etc/init.d/haproxy': 'executable',
    '/etc/ha.d/resource.d/Foo': 'executable',
    '/etc/init.d/Foo': 'executable',
  }));
  t.deepEqual(r, { found: ['/etc/init.d/haproxy', '/etc/ha.d/resource.d/Foo'], problems: [] });
});

test('a misspelt IP agent is a missing script, with a did-you-mean', async (t) => {
  const r = await checkResourceScripts(hr('lb1 IPqddr2::192.168.2.100/24/eth0\n'), 'haresources', lookup({}));
  t.deepEqual(r.problems.map(formatProblem), [
    'haresources: IPqddr2: no resource script "IPqddr2" (looked in /etc/ha.d/resource.d, /etc/init.d); did you mean IPaddr2 (a floating IP, e.g. IPaddr2::192.0.2.10/24/eth0)?',
  ]);
});

test('a missing script with no near agent name, and one that is not executable', async (t) => {
  const r = await checkResourceScripts(hr('lb1 haproxy squid\n'), 'haresources', lookup({ '/etc/init.d/squid': 'not-executable' }));
  t.deepEqual(r.problems.map(formatProblem), [
    'haresources: haproxy: no resource script "haproxy" (looked in /etc/ha.d/resource.d, /etc/init.d)',
    'haresources: squid: resource script /etc/init.d/squid is not executable; run: chmod 755 /etc/init.d/squid',
  ]);
});
