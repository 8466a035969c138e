import test from 'ava';
import { parseProfile } from '../profile/parse';
import { selectProfile } from './select';

const prof = (model: string, kind: string, ...match: string[]) =>
  parseProfile([`model ${model}`, `kind ${kind}`, ...match.map((m) => `match ${m}`)].join('\n'), `${model}.profile`);
const SIM = prof('SIM', 'sim');
const LB = prof('LB-2000', 'physical', 'LB-2000');
const VA = prof('VA', 'virtual', 'Standard PC (Q35 + ICH9, 2009)', 'KVM');
const ALL = [SIM, LB, VA];

test('auto: a matching system model is that appliance (real); anything else is sim', (t) => {
  t.like(selectProfile('auto', 'LB-2000', ALL), { ok: true, mode: 'real', profile: LB });
  t.like(selectProfile('auto', ' standard pc (q35 + ich9, 2009) ', ALL), { ok: true, mode: 'real', profile: VA });
  t.like(selectProfile('auto', 'Docker Container', ALL), { ok: true, mode: 'sim', profile: SIM, why: 'no appliance model matches system model "Docker Container"' });
  t.like(selectProfile('auto', '', ALL), { ok: true, mode: 'sim', profile: SIM });
});

test('auto: a matching model off the firmware image (a CI runner in a KVM guest) is a development machine', (t) => {
  t.like(selectProfile('auto', 'Standard PC (Q35 + ICH9, 2009)', ALL, undefined, false), {
    ok: true,
    mode: 'sim',
    profile: SIM,
    why: 'system model "Standard PC (Q35 + ICH9, 2009)" matches VA, but this is not the firmware image (a development machine; HW=real to insist)',
  });
  t.like(selectProfile('real', 'Standard PC (Q35 + ICH9, 2009)', ALL, undefined, false), { ok: true, mode: 'real', profile: VA });
});

test('HW=real on an unknown machine is refused with the known models', (t) => {
  t.deepEqual(selectProfile('real', 'Docker Container', ALL), {
    ok: false,
    message: 'HW=real but system model "Docker Container" matches no profile (known: LB-2000, VA); name one with --profile',
  });
});

test('HW=sim on an appliance still uses the sim profile; an explicit profile must fit HW', (t) => {
  t.like(selectProfile('sim', 'LB-2000', ALL), { ok: true, mode: 'sim', profile: SIM });
  t.like(selectProfile('auto', 'Docker', ALL, LB), { ok: true, mode: 'real', profile: LB });
  t.like(selectProfile('sim', 'Docker', ALL, LB), { ok: false });
});

test('two profiles matching one model is an error, not a guess', (t) => {
  const other = prof('LB-2000X', 'physical', 'LB-2000');
  t.like(selectProfile('auto', 'LB-2000', [...ALL, other]), { ok: false, message: 'system model "LB-2000" matches LB-2000 and LB-2000X; name one with --profile' });
});
