import test from 'ava';
import { initialConfig } from './boot-config';

test('a refused file (a lax mode, or invalid) boots the factory default and says why and what to run', (t) => {
  const problem = { file: '/etc/lbos/network.conf', message: 'mode 0664 lets group write it; run: chmod 644 /etc/lbos/network.conf' };
  const r = initialConfig({ file: problem.file, text: 'interface eth0\n    address 10.9.9.9/24\n', config: null, problems: [problem] }, 'eth0');
  t.is(r.active.source, 'factory-default');
  t.regex(r.active.text, /192\.168\.2\.21\/24/);
  t.notRegex(r.active.text, /10\.9\.9\.9/, 'nothing of the refused file is used');
  t.regex(r.note ?? '', /^\/etc\/lbos\/network\.conf is refused \(1 problem\(s\), first: .*run: chmod 644 \/etc\/lbos\/network\.conf\): the factory default is in force$/);
});

test('no file: the factory default without a note', (t) => {
  t.is(initialConfig({ file: '/x', text: null, config: null, problems: [] }, 'eth0').note, undefined);
});
