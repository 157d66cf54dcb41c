import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleApiServer } from '../apiserver/assemble.js';
import { builtinStrategies } from '../cmd/strategies.js';
import { MemoryBackend, WatchCache } from '../storage/index.js';
import { silentLogger, systemClock } from '../util/index.js';
import { ApiClient } from './client.js';
import { inProcessTransport } from './in-process.js';
import { discover, resolveResource, resourceForKind } from './discovery.js';

async function discovery() {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  return discover(new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] })));
}

test('discovery names each resource by kubectl-style names', async () => {
  const d = await discovery();
  const cases: [string, string | undefined][] = [
    ['pods', '/v1/pods'],
    ['pod', '/v1/pods'],
    ['po', '/v1/pods'],
    ['Pod', '/v1/pods'],
    ['deploy', 'apps/v1/deployments'],
    ['deployments.apps', 'apps/v1/deployments'],
    ['deployments.v1.apps', 'apps/v1/deployments'],
    ['hpa', 'autoscaling/v2/horizontalpodautoscalers'],
    ['horizontalpodautoscalers.v1.autoscaling', 'autoscaling/v1/horizontalpodautoscalers'],
    ['events', '/v1/events'],
    ['events.events.k8s.io', 'events.k8s.io/v1/events'],
    ['cm', '/v1/configmaps'],
    ['nosuchthing', undefined],
  ];
  for (const [name, want] of cases) {
    const r = resolveResource(d, name);
    assert.equal(r && `${r.group}/${r.version}/${r.plural}`, want, name);
  }
});

test('an object kind maps to its resource in that version', async () => {
  const d = await discovery();
  assert.equal(resourceForKind(d, 'apps/v1', 'ReplicaSet')?.plural, 'replicasets');
  assert.equal(resourceForKind(d, 'v1', 'ConfigMap')?.namespaced, true);
  assert.equal(resourceForKind(d, 'v1', 'Node')?.namespaced, false);
  assert.equal(resourceForKind(d, 'apps/v2', 'ReplicaSet'), undefined);
});
