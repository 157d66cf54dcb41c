// Acknowledged writes survive kill -9 and restarts; resourceVersions continue where they were.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiRequest, cleanup, startKin } from './harness.js';

const cm = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { v: name } });

test('every acknowledged create survives kill -9, and resourceVersions continue after restart', async () => {
  const first = await startKin({ storage: 'sqlite' });
  const acked: string[] = [];
  let maxRv = 0;
  try {
    // Concurrent writers, so several writes share a group commit.
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < 25; i++) {
          const name = `d-${w}-${i}`;
          const r = await apiRequest(first, 'POST', '/api/v1/namespaces/default/configmaps', { body: cm(name) });
          assert.equal(r.status, 201, r.body);
          acked.push(name);
          maxRv = Math.max(maxRv, Number((JSON.parse(r.body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion));
        }
      }),
    );
  } finally {
    await first.stop('SIGKILL');
  }
  const second = await startKin({ storage: 'sqlite', dataDir: first.dataDir });
  try {
    const list = await apiRequest(second, 'GET', '/api/v1/namespaces/default/configmaps');
    const names = new Set((JSON.parse(list.body) as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name));
    for (const n of acked) assert.ok(names.has(n), `acknowledged ${n} was lost`);
    const r = await apiRequest(second, 'POST', '/api/v1/namespaces/default/configmaps', { body: cm('after-restart') });
    assert.equal(r.status, 201, r.body);
    const rv = Number((JSON.parse(r.body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion);
    assert.ok(rv > maxRv, `resourceVersion ${rv} does not continue after ${maxRv}`);
  } finally {
    await cleanup(second);
  }
});

test('a clean stop and start keeps every object; --storage memory starts empty again', async () => {
  const a = await startKin({ storage: 'sqlite' });
  await apiRequest(a, 'POST', '/api/v1/namespaces', { body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kept' } }) });
  await a.stop('SIGTERM');
  assert.match(a.output(), /kin stopped/);
  const b = await startKin({ storage: 'sqlite', dataDir: a.dataDir });
  try {
    const r = await apiRequest(b, 'GET', '/api/v1/namespaces/kept');
    assert.equal(r.status, 200, r.body);
  } finally {
    await b.stop('SIGTERM');
  }
  const m = await startKin({ storage: 'memory', dataDir: a.dataDir });
  try {
    const r = await apiRequest(m, 'GET', '/api/v1/namespaces/kept');
    assert.equal(r.status, 404);
  } finally {
    await cleanup(m);
  }
});
