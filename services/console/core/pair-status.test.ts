import test from 'ava';
import { pairStatusLines } from './pair-status';

test('pair status from hbd properties: paired and healthy, peer dead, no links, odd types; not paired without hbd', (t) => {
  const links = [['ucast:eth1:10.0.1.2', 'udp', 'up', 0n, 10n, 0n], ['serial:/dev/ttyS0', 'serial', 'down', 0n, 0n, 0n]];
  const table: [Record<string, unknown> | null, string[]][] = [
    [null, ['Pair status: not paired (the HA service hbd is not running; pairing is done in the web UI)']],
    [{ Node: 'lb1', Peer: 'lb2', Role: 'master', State: 'active', PeerStatus: 'up', PeerState: 'standby', Links: links, Healthy: true }, [
      'Pair status',
      '  This unit:    lb1, master, active',
      '  Peer:         lb2, up (standby)',
      '  Links:        ucast:eth1:10.0.1.2 up, serial:/dev/ttyS0 down',
      '  Health:       healthy',
    ]],
    [{ Node: 'lb2', Peer: 'lb1', Role: 'slave', State: 'active', PeerStatus: 'dead', PeerState: 'unknown', Links: [], Healthy: false }, [
      'Pair status',
      '  This unit:    lb2, slave, active',
      '  Peer:         lb1, dead',
      '  Links:        none',
      '  Health:       unhealthy (ping node or tracked interface)',
    ]],
    [{ Node: 7, Peer: '', Links: 'x' }, ['Pair status', '  This unit:    ?, ?, ?', '  Peer:         none configured', '  Links:        none']],
  ];
  for (const [props, want] of table) t.deepEqual(pairStatusLines(props), want);
});
