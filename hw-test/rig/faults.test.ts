import test from 'ava';
import { parseProfile } from '../profile/parse';
import { parseFaults } from './faults';

const P = parseProfile(['model S', 'kind sim', 'nic p0', 'nic p1', 'led lbos:green:status'].join('\n'), 's');

test('--sim-fault: each kind, several at once', (t) => {
  t.deepEqual(parseFaults('', P), { nicDown: [], nicDeaf: [], serialMute: false, noLcdd: false, missingLeds: [] });
  t.deepEqual(parseFaults('nic-down:p1,nic-deaf:p0,serial-mute,no-lcdd,led-missing:lbos:green:status', P), {
    nicDown: ['p1'],
    nicDeaf: ['p0'],
    serialMute: true,
    noLcdd: true,
    missingLeds: ['lbos:green:status'],
  });
});

test('--sim-fault: unknown kinds and names the profile lacks are usage errors naming what exists', (t) => {
  t.throws(() => parseFaults('nic-down:p7', P), { message: '--sim-fault "nic-down:p7": expected nic-down:<p0|p1>, nic-deaf:<p0|p1>, serial-mute, no-lcdd or led-missing:<lbos:green:status>' });
  t.throws(() => parseFaults('serial-mute:x', P), { message: /^--sim-fault "serial-mute:x"/ });
  t.throws(() => parseFaults('unplug', P), { message: /^--sim-fault "unplug"/ });
});
