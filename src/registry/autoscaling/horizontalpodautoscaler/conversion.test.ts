import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/index.js';
import { behaviorAnnotation, fromV1, metricSpecsAnnotation, metricStatusesAnnotation, toV1 } from './conversion.js';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const meta = { name: 'web', namespace: 'default' };
const cpu = (u: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: u } } });

test('a v1 CPU target becomes a v2 Resource metric and back', () => {
  const v1: KubeObject = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: meta, spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 60 } };
  const v2 = fromV1(v1);
  assert.deepEqual(v2.spec, { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, metrics: [cpu(60)] });
  assert.deepEqual(toV1(v2), v1);
});

test('a v1 object without a target gets the 80% CPU metric in v2', () => {
  const v2 = fromV1({ metadata: meta, spec: { scaleTargetRef: ref, maxReplicas: 3 } });
  assert.deepEqual((v2.spec as { metrics: unknown[] }).metrics, [cpu(80)]);
});

const memory = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } };
const pods = { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } };
const external = { type: 'External', external: { metric: { name: 'queue', selector: { matchLabels: { q: 'jobs' } } }, target: { type: 'Value', value: '30' } } };
const object = { type: 'Object', object: { describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' }, metric: { name: 'rps' }, target: { type: 'Value', value: '2k' } } };

const v2full: KubeObject = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { ...meta, annotations: { team: 'web' } },
  spec: {
    scaleTargetRef: ref,
    minReplicas: 2,
    maxReplicas: 10,
    metrics: [memory, pods, external, object, cpu(70)],
    behavior: { scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } },
  },
  status: {
    currentReplicas: 3,
    desiredReplicas: 4,
    currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 55, averageValue: '120m' } } }],
    conditions: [{ type: 'AbleToScale', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'ReadyForNewScale', message: 'ok' }],
  },
};

test('other v2 metrics, statuses, conditions and behavior travel in v1 annotations', () => {
  const v1 = toV1(v2full);
  const spec = v1.spec as Record<string, unknown>;
  assert.equal(spec.targetCPUUtilizationPercentage, 70);
  assert.equal((v1.status as Record<string, unknown>).currentCPUUtilizationPercentage, 55);
  const ann = v1.metadata!.annotations!;
  assert.equal(ann.team, 'web');
  assert.deepEqual(JSON.parse(ann[metricSpecsAnnotation]!), [
    { type: 'Resource', resource: { name: 'memory', targetAverageValue: '500Mi' } },
    { type: 'Pods', pods: { metricName: 'qps', targetAverageValue: '10' } },
    { type: 'External', external: { metricName: 'queue', metricSelector: { matchLabels: { q: 'jobs' } }, targetValue: '30' } },
    { type: 'Object', object: { target: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' }, metricName: 'rps', targetValue: '2k' } },
  ]);
  assert.deepEqual(JSON.parse(ann[metricStatusesAnnotation]!), [{ type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 55, currentAverageValue: '120m' } }]);
  assert.deepEqual(JSON.parse(ann[behaviorAnnotation]!), {
    ScaleUp: null,
    ScaleDown: { StabilizationWindowSeconds: null, SelectPolicy: 'Max', Policies: [{ Type: 'Percent', Value: 100, PeriodSeconds: 15 }] },
  });
});

test('v2 → v1 → v2 keeps every metric, status, condition and the behavior', () => {
  const back = fromV1(toV1(v2full));
  const spec = back.spec as { metrics: unknown[] };
  // The CPU target comes back last: v1 keeps it outside the annotation.
  assert.deepEqual(spec.metrics, [memory, pods, external, object, cpu(70)]);
  assert.deepEqual(back, v2full);
});

test('round-trip annotations sent by a v1 client are consumed, not stored', () => {
  const v2 = fromV1({ metadata: { ...meta, annotations: { [metricSpecsAnnotation]: 'not json' } }, spec: { scaleTargetRef: ref, maxReplicas: 2 } });
  assert.equal(v2.metadata!.annotations, undefined);
});
