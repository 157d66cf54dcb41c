import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeStrategy, prepareCreate } from '../testing-support/index.js';
import { formatHPAMetrics, hpaV1Strategy, hpaV2Strategy } from './index.js';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };
const hpa = (spec: Record<string, unknown>, apiVersion = 'autoscaling/v2') => ({ apiVersion, kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'default' }, spec: { scaleTargetRef: ref, ...spec } });

describeStrategy(hpaV2Strategy, {
  valid: hpa({ maxReplicas: 5 }),
  invalid: [
    { name: 'maxReplicas 0', object: hpa({ maxReplicas: 0 }), fields: ['spec.maxReplicas'] },
    { name: 'min above max', object: hpa({ minReplicas: 4, maxReplicas: 2 }), fields: ['spec.maxReplicas'] },
    { name: 'minReplicas 0', object: hpa({ minReplicas: 0, maxReplicas: 2 }), fields: ['spec.minReplicas'] },
    { name: 'missing target name', object: hpa({ scaleTargetRef: { kind: 'Deployment' }, maxReplicas: 2 }), fields: ['spec.scaleTargetRef.name'] },
    { name: 'resource metric without a target', object: hpa({ maxReplicas: 2, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } }] }), fields: ['spec.metrics[0].resource.target.averageUtilization'] },
    { name: 'metric source missing', object: hpa({ maxReplicas: 2, metrics: [{ type: 'Pods' }] }), fields: ['spec.metrics[0].pods'] },
  ],
});

describeStrategy(hpaV1Strategy, {
  valid: hpa({ maxReplicas: 5, targetCPUUtilizationPercentage: 50 }, 'autoscaling/v1'),
  invalid: [
    { name: 'zero CPU target', object: hpa({ maxReplicas: 5, targetCPUUtilizationPercentage: 0 }, 'autoscaling/v1'), fields: ['spec.metrics[0].resource.target.averageUtilization'] },
    { name: 'maxReplicas 0', object: hpa({ maxReplicas: 0 }, 'autoscaling/v1'), fields: ['spec.maxReplicas'] },
  ],
});

test('v2 defaults: minReplicas 1, an 80% CPU metric, and full behavior rules when behavior is given', () => {
  const obj = prepareCreate(hpaV2Strategy, hpa({ maxReplicas: 5, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } })) as { spec: Record<string, any> };
  assert.equal(obj.spec.minReplicas, 1);
  assert.deepEqual(obj.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  assert.deepEqual(obj.spec.behavior, {
    scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
    scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
  });
});

test('the Targets column reads like kubectl', () => {
  const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } } as const;
  assert.equal(formatHPAMetrics([cpu], undefined), 'cpu: <unknown>/80%');
  assert.equal(formatHPAMetrics([cpu], [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 32 } } }]), 'cpu: 32%/80%');
  const pods = { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } } as const;
  assert.equal(formatHPAMetrics([cpu, pods, pods], undefined), 'cpu: <unknown>/80%, <unknown>/10 + 1 more...');
  assert.equal(formatHPAMetrics([], undefined), '<none>');
  const row = hpaV2Strategy.printer!.row(prepareCreate(hpaV2Strategy, hpa({ maxReplicas: 5 })) as never, { now: Date.parse('2024-05-01T12:00:10Z') });
  assert.deepEqual(row, ['web', 'Deployment/web', 'cpu: <unknown>/80%', '1', 5, 0, '10s']);
});
