import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/index.js';
import { fieldErrorMessage } from '../../../machinery/index.js';
import { createErrors, describeStrategy, prepareCreate } from '../../testing-support/index.js';
import { replicationControllerStrategy } from './strategy.js';

const template = (labels: Record<string, string>, spec: Record<string, unknown> = {}) => ({ metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }], ...spec } });
const rc = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'web', namespace: 'default' }, spec });

describeStrategy(replicationControllerStrategy, {
  valid: rc({ template: template({ app: 'web' }) }),
  invalid: [
    { name: 'no template and no selector', object: rc({}), fields: ['spec.selector', 'spec.template'] },
    { name: 'a selector that misses the template labels', object: rc({ selector: { app: 'api' }, template: template({ app: 'web' }) }), fields: ['spec.template.metadata.labels'] },
    { name: 'a template that does not restart always', object: rc({ template: template({ app: 'web' }, { restartPolicy: 'Never' }) }), fields: ['spec.template.spec.restartPolicy'] },
  ],
});

test('selector, labels and replicas default from the template; status starts at zero replicas', () => {
  const got = prepareCreate(replicationControllerStrategy, rc({ template: template({ app: 'web' }) }));
  const spec = got['spec'] as Record<string, unknown>;
  assert.deepEqual(spec['selector'], { app: 'web' });
  assert.equal(spec['replicas'], 1);
  assert.deepEqual(got.metadata?.labels, { app: 'web' });
  assert.deepEqual(got['status'], { replicas: 0 });
  assert.equal(got.metadata?.generation, 1);
  assert.equal(((spec['template'] as Record<string, Record<string, unknown>>)['spec'] ?? {})['dnsPolicy'], 'ClusterFirst');
});

test('the selector mismatch message is Kubernetes wording', () => {
  const msgs = createErrors(replicationControllerStrategy, rc({ selector: { app: 'api' }, template: template({ app: 'web' }) })).map(fieldErrorMessage);
  assert.deepEqual(msgs, ['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`']);
});

test('the RC row and field selector', () => {
  const got = prepareCreate(replicationControllerStrategy, rc({ template: template({ app: 'web' }) }));
  assert.deepEqual(replicationControllerStrategy.printer?.row(got, { now: Date.parse('2024-05-01T12:00:05Z') }), ['web', 1, 0, 0, '5s', 'app', 'nginx:1.25', 'app=web']);
  assert.deepEqual(replicationControllerStrategy.selectableFields?.(got), { 'status.replicas': '0' });
});
