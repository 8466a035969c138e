import test from 'ava';
import { computeProof, deriveKey, formatAccount, kdfParamsOk, parseAccounts, proofMatches, proofMessage } from './getkey-proof';

const KDF = { N: 1024, r: 8, p: 1, salt: 'c2FsdHNhbHRzYWx0c2FsdA==' };

test('the proof binds password, nonce, both keys and the node', async (t) => {
  const key = await deriveKey('s3cret', KDF);
  const msg = proofMessage('00'.repeat(32), 'ssh-ed25519 AAAAhost', 'ssh-ed25519 AAAAuser', 2);
  const proof = computeProof(key, msg);
  t.true(proofMatches(key, msg, proof));
  t.false(proofMatches(await deriveKey('s3cret!', KDF), msg, proof), 'wrong password');
  t.false(proofMatches(key, proofMessage('11'.repeat(32), 'ssh-ed25519 AAAAhost', 'ssh-ed25519 AAAAuser', 2), proof), 'replayed for another nonce');
  t.false(proofMatches(key, proofMessage('00'.repeat(32), 'ssh-ed25519 AAAAmitm', 'ssh-ed25519 AAAAuser', 2), proof), 'host key swapped');
  t.false(proofMatches(key, msg, 'zz'), 'malformed proof');
});

test('accounts file round trip; bad lines skipped', (t) => {
  const line = formatAccount({ name: 'admin', kdf: KDF, key: Buffer.alloc(32, 7) });
  const r = parseAccounts(`${line}\nbroken\nroot:md5:x\n`);
  t.is(r.bad, 2);
  t.is(r.accounts[0]?.name, 'admin');
  t.deepEqual(r.accounts[0]?.key, Buffer.alloc(32, 7));
});

test('scrypt parameters from a peer are bounded', (t) => {
  t.true(kdfParamsOk(KDF));
  t.false(kdfParamsOk({ ...KDF, N: 1 << 24 }), 'too much memory');
  t.false(kdfParamsOk({ ...KDF, N: 1000 }), 'not a power of two');
  t.false(kdfParamsOk({ ...KDF, p: 64 }));
  t.false(kdfParamsOk({ ...KDF, salt: 'x' }));
});
