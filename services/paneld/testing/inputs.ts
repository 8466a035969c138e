/** PanelInput fixtures for the unit tests: a healthy active master, changed per test. */
import type { PanelInput } from '../core/panel-input';

export function healthy(over: Partial<PanelInput> = {}): PanelInput {
  return {
    product: 'LBOS',
    version: '1.2.0',
    hostname: 'lb1',
    uptimeS: 3723,
    webPort: 9443,
    expected: ['hbd', 'nicd', 'csyncd'],
    ha: { running: true, node: 'lb1', peer: 'lb2', role: 'master', state: 'active', peerStatus: 'up', linksUp: 2, linksTotal: 2, healthy: true, failedResources: [], vips: ['192.168.2.100'] },
    net: { running: true, iface: 'eth0', addresses: ['192.168.2.21/24'], carrier: true, linksDown: [], state: 'idle', pendingUntil: 0, gateway: '192.168.2.1' },
    sync: { running: true, status: 'green', reason: '' },
    web: { kind: 'unknown' },
    ...over,
  };
}

export function withHa(over: Partial<PanelInput['ha']>, base = healthy()): PanelInput {
  return { ...base, ha: { ...base.ha, ...over } };
}

export function withNet(over: Partial<PanelInput['net']>, base = healthy()): PanelInput {
  return { ...base, net: { ...base.net, ...over } };
}
