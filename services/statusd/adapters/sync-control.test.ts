import test from 'ava';
import { pushSentence, saveSentence } from './sync-control';

test('the sync page says what csyncd did, in words', (t) => {
  t.is(pushSentence(JSON.stringify({ service: 'haproxy', ok: true, result: 'unchanged', message: 'haproxy: already identical on the peer' }), 'haproxy'), 'haproxy: already identical on the peer');
  t.is(pushSentence('junk', 'haproxy'), 'haproxy: pushed');
  t.is(saveSentence(JSON.stringify([{ name: 'haproxy', sha256: '01a9d880aeb290d4' }]), true), 'haproxy: running configuration saved on the peer (01a9d880)');
  t.is(saveSentence('[]', false), 'nothing to save on this unit (no services)');
  t.is(saveSentence('{', false), 'saved on this unit');
});
