import test from 'ava';
import { utils } from 'ssh2';
import { generateEd25519 } from './key-files';

// ssh2 alone gives an unreadable pair about once in 256 draws; 2,000 draws
// without one bad pair would happen by chance less than once in 2,000 runs.
test('generated Ed25519 pairs are always readable by ssh2, with a 32-byte public key', (t) => {
  const bad: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const { pair, pub } = generateEd25519('csyncd@node1', 'user');
    const priv = utils.parseKey(pair.private);
    if (priv instanceof Error) bad.push(`draw ${i}: private: ${priv.message}`);
    else if (utils.parseKey(pair.public) instanceof Error || pub.blob.length !== 51) bad.push(`draw ${i}: public blob ${pub.blob.length} bytes`);
  }
  t.deepEqual(bad, []);
});
