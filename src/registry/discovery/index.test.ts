import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeStrategy, prepareCreate } from '../testing-support/index.js';
import { endpointSliceStrategy } from './index.js';

const slice = (extra: Record<string, unknown>) => ({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'web-abc12', namespace: 'default' }, ...extra });
describeStrategy(endpointSliceStrategy, {
  valid: slice({ addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.5'] }], ports: [{ name: 'http', port: 80 }] }),
  invalid: [
    { name: 'missing addressType', object: slice({ endpoints: [] }), fields: ['addressType'] },
    { name: 'unknown addressType', object: slice({ addressType: 'IPX' }), fields: ['addressType'] },
    { name: 'IPv6 address in an IPv4 slice', object: slice({ addressType: 'IPv4', endpoints: [{ addresses: ['::1'] }] }), fields: ['endpoints[0].addresses[0]'] },
    { name: 'endpoint without addresses', object: slice({ addressType: 'IPv4', endpoints: [{ addresses: [] }] }), fields: ['endpoints[0].addresses'] },
    { name: 'duplicate port names', object: slice({ addressType: 'IPv4', ports: [{ name: 'a', port: 1 }, { name: 'a', port: 2 }] }), fields: ['ports[1].name'] },
  ],
  invalidUpdates: [{ name: 'addressType change', old: slice({ addressType: 'IPv4' }), object: slice({ addressType: 'IPv6' }), fields: ['addressType'] }],
});

test('ports default to TCP with an empty name, and the table lists ports and endpoints', () => {
  const s = prepareCreate(endpointSliceStrategy, slice({ addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1', '10.0.0.2'] }, { addresses: ['10.0.0.3', '10.0.0.4'] }], ports: [{ port: 80 }] }));
  assert.deepEqual(s.ports, [{ port: 80, name: '', protocol: 'TCP' }]);
  const row = endpointSliceStrategy.printer!.row(s as never, { now: Date.parse(s.metadata!.creationTimestamp!) + 30_000 });
  assert.deepEqual(row, ['web-abc12', 'IPv4', '80', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...', '30s']);
  assert.equal(endpointSliceStrategy.printer!.row(slice({ addressType: 'IPv4' }) as never, { now: 0 })[2], '<unset>');
});
