import test from 'ava';
import { authorizedKeys, fingerprint, knownHostKeys, knownHostsName, parsePublicKeyLine, replaceAuthorized, replaceKnownHost } from './ssh-keys';

// Made by `ssh-keygen -t ed25519 -C csyncd@node2`; `ssh-keygen -lf` prints the fingerprint below.
const LINE = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJvarBNhwtPpKc85AwO77gcX/7y9738iJZueL9i0JK37 csyncd@node2';
const FP = 'SHA256:3pAdoCWgLNMNKKLjcTyT+5mjRDirsbB3XTvhIFhgHGc';
const OTHER = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGzZ5zU9rJ0IcD0P4Y8ge8R2bpLIC0wF/mNRCk8u1Y3B csyncd@node1';

test('fingerprints match ssh-keygen -l', (t) => {
  const k = parsePublicKeyLine(LINE);
  t.truthy(k);
  t.is(fingerprint(k?.blob ?? Buffer.alloc(0)), FP);
  t.is(k?.comment, 'csyncd@node2');
});

test('public key lines: garbage and type confusion are refused', (t) => {
  t.is(parsePublicKeyLine('ssh-ed25519 not-base64!'), null);
  t.is(parsePublicKeyLine('ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIJvarBNhwtPpKc85AwO77gcX/7y9738iJZueL9i0JK37'), null, 'blob says ed25519, line says rsa');
  t.is(parsePublicKeyLine(''), null);
  t.is(parsePublicKeyLine('from="10.0.0.1" ' + LINE), null);
});

test('known_hosts: OpenSSH host names, lookup, replacement keeps other hosts', (t) => {
  t.is(knownHostsName('198.18.0.2', 24), '[198.18.0.2]:24');
  t.is(knownHostsName('198.18.0.2', 22), '198.18.0.2');
  const text = `# comment\n[10.0.0.9]:24 ${OTHER}\n[198.18.0.2]:24,other ${LINE}\n|1|hashed|entry ${OTHER}\n`;
  t.is(knownHostKeys(text, '[198.18.0.2]:24').length, 1);
  t.is(knownHostKeys(text, '[198.18.0.3]:24').length, 0);
  const k = parsePublicKeyLine(OTHER);
  if (k === null) return t.fail();
  const next = replaceKnownHost(text, '[198.18.0.2]:24', k);
  t.deepEqual(knownHostKeys(next, '[198.18.0.2]:24').map((x) => x.comment), ['csyncd@node1']);
  t.is(knownHostKeys(next, '[10.0.0.9]:24').length, 1, 'other hosts kept');
});

test('authorized keys: options lines are skipped, replacement by node comment', (t) => {
  const r = authorizedKeys(`${LINE}\ncommand="x" ${OTHER}\n# c\n`);
  t.is(r.keys.length, 1);
  t.is(r.skipped, 1);
  const k = parsePublicKeyLine(OTHER.replace('node1', 'node2'));
  if (k === null) return t.fail();
  const next = authorizedKeys(replaceAuthorized(`${LINE}\n${OTHER}\n`, k));
  t.deepEqual(next.keys.map((x) => fingerprint(x.blob) === FP), [false, false], 'the old node2 key is gone');
  t.is(next.keys.length, 2);
});
