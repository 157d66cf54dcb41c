import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/index.js';
import { describeStrategy, prepareCreate } from '../../testing-support/index.js';
import { endpointsStrategy, formatEndpoints } from './strategy.js';

const ep = (subsets: unknown[]): KubeObject => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' }, subsets });

describeStrategy(endpointsStrategy, {
  valid: ep([{ addresses: [{ ip: '10.244.1.5' }], ports: [{ port: 8080 }] }]),
  invalid: [
    { name: 'a subset without addresses', object: ep([{ ports: [{ port: 80 }] }]), fields: ['subsets[0]'] },
    { name: 'a loopback address and a bad port', object: ep([{ addresses: [{ ip: '127.0.0.1' }], ports: [{ port: 0 }] }]), fields: ['subsets[0].addresses[0].ip', 'subsets[0].ports[0].port'] },
  ],
});

test('endpoint ports default to TCP', () => {
  const got = prepareCreate(endpointsStrategy, ep([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }]));
  assert.deepEqual((got['subsets'] as { ports: unknown[] }[])[0]?.ports, [{ port: 80, protocol: 'TCP' }]);
});

const cases: [string, unknown[], string][] = [
  ['no subsets', [], '<none>'],
  ['one address', [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }], '10.0.0.1:80'],
  ['more than three', [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }, { ip: '10.0.0.3' }, { ip: '10.0.0.4' }], ports: [{ port: 80 }] }], '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...'],
  ['a headless subset without ports', [{ addresses: [{ ip: '10.0.0.9' }] }], '10.0.0.9'],
];
for (const [name, subsets, want] of cases) test(`endpoints column: ${name}`, () => assert.equal(formatEndpoints(ep(subsets) as never), want));
