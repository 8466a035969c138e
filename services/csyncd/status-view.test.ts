import test from 'ava';
import { endpoint, renderStatus, type StatusView } from './status-view';

test('endpoint: address and port in words, never address:port (reads like a prefix length)', (t) => {
  t.is(endpoint('198.18.0.1:24'), '198.18.0.1 port 24');
  t.is(endpoint('[fd00:5b::1]:24'), 'fd00:5b::1 port 24');
  t.is(endpoint('fd00:5b::1'), 'fd00:5b::1', 'a bare IPv6 address has no port');
  t.is(endpoint('peer'), 'peer');
});

test('renderStatus names both ends with their ports', (t) => {
  const v: StatusView = {
    status: 'green', reason: 'in sync', node: 1, peerNode: 2, listen: '198.18.0.1:24', peer: '198.18.0.2:24', reachable: true,
    linkError: null, lastCheck: null, autoSync: false, services: [], stuck: [],
  };
  t.regex(renderStatus(v), /^csyncd node 1 \(198\.18\.0\.1 port 24\) -> peer node 2 \(198\.18\.0\.2 port 24\): reachable\n/);
});
