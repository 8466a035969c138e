import test from 'ava';
import { usersFileProblems } from './users-file';

const HASH = `scrypt$16384$8$1$${Buffer.alloc(16, 1).toString('base64')}$${Buffer.alloc(32, 2).toString('base64')}`;

test('a users file as statusd writes it passes', (t) => {
  t.deepEqual(usersFileProblems(`# statusd users\nadmin:${HASH}\nops.1:${HASH}\n`), []);
});

test('bad names, bad hashes, duplicates and an empty file are refused by line', (t) => {
  t.deepEqual(usersFileProblems(`Admin:${HASH}\nadmin:plain\nadmin:${HASH}\nadmin:${HASH}\nnocolon\n`), [
    'line 1: "Admin" is not a valid user name',
    'line 2: user admin: not a scrypt hash',
    'line 4: user admin appears twice',
    'line 5: user nocolon: not a scrypt hash',
  ]);
  t.deepEqual(usersFileProblems('# nobody\n'), ['no user: nobody could log in to the web UI']);
  t.regex(usersFileProblems(`admin:scrypt$1000$8$1$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(32).toString('base64')}`)[0] ?? '', /not a scrypt hash/);
});
