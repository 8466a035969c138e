import test from 'ava';
import { planRecovery, type FileFacts, type JournalPhase } from './journal';

const OLD = 'o'.repeat(64);
const NEW = 'n'.repeat(64);
const f = (over: Partial<FileFacts> = {}): FileFacts => ({ path: '/etc/a', oldSha: OLD, newSha: NEW, currentSha: OLD, backupOk: true, srcOk: true, ...over });

test('recovery decisions: the table in journal.ts', (t) => {
  const table: [string, JournalPhase, FileFacts[], string][] = [
    ['prepared, nothing renamed yet', 'prepared', [f(), f({ path: '/etc/b' })], 'roll-back noapply []'],
    ['prepared, one of two renamed', 'prepared', [f({ currentSha: NEW, srcOk: false }), f({ path: '/etc/b' })], 'roll-back noapply [restore /etc/a]'],
    ['prepared, all renamed', 'prepared', [f({ currentSha: NEW, srcOk: false }), f({ path: '/etc/b', currentSha: NEW, srcOk: false })], 'roll-forward apply []'],
    ['all new, apply may have been running', 'prepared', [f({ currentSha: NEW, srcOk: false })], 'roll-forward apply []'],
    ['rolling back, restore half done', 'rolling-back', [f({ currentSha: NEW }), f({ path: '/etc/b' })], 'roll-back apply [restore /etc/a]'],
    ['a new file (did not exist before)', 'prepared', [f({ oldSha: null, currentSha: NEW, backupOk: false, srcOk: false }), f({ path: '/etc/b' })], 'roll-back noapply [remove /etc/a]'],
    ['backup lost, but the new file still staged', 'prepared', [f({ currentSha: NEW, backupOk: false, srcOk: false }), f({ path: '/etc/b', backupOk: false })], 'roll-forward apply [install /etc/b]'],
    ['neither way possible', 'prepared', [f({ currentSha: NEW, backupOk: false, srcOk: false }), f({ path: '/etc/b', backupOk: false, srcOk: false })], 'stuck'],
  ];
  for (const [why, phase, files, want] of table) {
    const p = planRecovery(phase, files);
    const got = p.action === 'stuck' ? 'stuck' : `${p.action} ${p.reapply ? 'apply' : 'noapply'} [${p.steps.map((s) => `${s.type} ${s.path}`).join(', ')}]`;
    t.is(got, want, why);
  }
});

test('recovery is idempotent: after a roll back, planning again has no steps', (t) => {
  const p = planRecovery('rolling-back', [f({ currentSha: OLD }), f({ path: '/etc/b', currentSha: OLD })]);
  t.is(p.action, 'roll-back');
  t.deepEqual(p.action === 'stuck' ? null : p.steps, []);
});
