import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/index.js';
import { describeStrategy, prepareCreate } from '../../testing-support/index.js';
import { podTemplateStrategy } from './strategy.js';

const pt = (template: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'tpl', namespace: 'default' }, template });

describeStrategy(podTemplateStrategy, {
  valid: pt({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] } }),
  invalid: [
    { name: 'a template without containers', object: pt({}), fields: ['template.spec.containers'] },
    { name: 'a template with a bad label', object: pt({ metadata: { labels: { 'a b': 'x' } }, spec: { containers: [{ name: 'app', image: 'x' }] } }), fields: ['template.labels'] },
  ],
});

test('the template gets pod spec defaults and the row lists containers, images and labels', () => {
  const got = prepareCreate(podTemplateStrategy, pt({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }, { name: 'side', image: 'busybox' }] } }));
  const spec = (got['template'] as { spec: Record<string, unknown> }).spec;
  assert.equal(spec['restartPolicy'], 'Always');
  assert.equal(spec['enableServiceLinks'], undefined);
  assert.deepEqual(podTemplateStrategy.printer?.row(got, { now: 0 }), ['tpl', 'app,side', 'nginx:1.25,busybox', 'app=web']);
});
