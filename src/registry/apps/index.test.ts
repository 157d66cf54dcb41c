import { describeStrategy } from '../testing-support/index.js';
import { controllerRevisionStrategy, daemonSetStrategy, deploymentStrategy, replicaSetStrategy, statefulSetStrategy } from './index.js';

const labels = { app: 'web' };
const template = { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } };
const meta = (name = 'web') => ({ name, namespace: 'default' });
const spec = (extra: Record<string, unknown> = {}) => ({ selector: { matchLabels: labels }, template, ...extra });
const withSpec = (kind: string, s: Record<string, unknown>, name = 'web') => ({ apiVersion: 'apps/v1', kind, metadata: meta(name), spec: s });

describeStrategy(deploymentStrategy, {
  valid: withSpec('Deployment', spec({ replicas: 3 })),
  invalid: [
    { name: 'missing selector', object: withSpec('Deployment', { template }), fields: ['spec.selector'] },
    { name: 'selector not matching the template', object: withSpec('Deployment', spec({ selector: { matchLabels: { app: 'db' } } })), fields: ['spec.template.metadata.labels'] },
    { name: 'negative replicas', object: withSpec('Deployment', spec({ replicas: -1 })), fields: ['spec.replicas'] },
    { name: 'bad maxSurge percent', object: withSpec('Deployment', spec({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '5x', maxUnavailable: 0 } } })), fields: ['spec.strategy.rollingUpdate.maxSurge'] },
    { name: 'both surge and unavailable zero', object: withSpec('Deployment', spec({ strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } })), fields: ['spec.strategy.rollingUpdate.maxUnavailable'] },
    { name: 'rollingUpdate with Recreate', object: withSpec('Deployment', spec({ strategy: { type: 'Recreate', rollingUpdate: {} } })), fields: ['spec.strategy.rollingUpdate'] },
    { name: 'unknown strategy type', object: withSpec('Deployment', spec({ strategy: { type: 'Blue' } })), fields: ['spec.strategy'] },
    { name: 'progress deadline not above minReadySeconds', object: withSpec('Deployment', spec({ minReadySeconds: 700 })), fields: ['spec.progressDeadlineSeconds'] },
    { name: 'pod restartPolicy Never', object: withSpec('Deployment', spec({ template: { ...template, spec: { ...template.spec, restartPolicy: 'Never' } } })), fields: ['spec.template.spec.restartPolicy'] },
  ],
  invalidUpdates: [
    {
      name: 'selector change',
      old: withSpec('Deployment', spec()),
      object: withSpec('Deployment', spec({ selector: { matchLabels: { app: 'web', tier: 'x' } }, template: { ...template, metadata: { labels: { app: 'web', tier: 'x' } } } })),
      fields: ['spec.selector'],
    },
  ],
});

describeStrategy(replicaSetStrategy, {
  valid: withSpec('ReplicaSet', spec({ replicas: 2 })),
  invalid: [
    { name: 'missing selector', object: withSpec('ReplicaSet', { template }), fields: ['spec.selector'] },
    { name: 'empty selector', object: withSpec('ReplicaSet', spec({ selector: {} })), fields: ['spec.selector'] },
    { name: 'bad selector operator', object: withSpec('ReplicaSet', spec({ selector: { matchExpressions: [{ key: 'app', operator: 'Near', values: ['x'] }] } })), fields: ['spec.selector.matchExpressions[0].operator'] },
    { name: 'negative minReadySeconds', object: withSpec('ReplicaSet', spec({ minReadySeconds: -5 })), fields: ['spec.minReadySeconds'] },
  ],
});

describeStrategy(statefulSetStrategy, {
  valid: withSpec('StatefulSet', spec({ serviceName: 'web', volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] })),
  invalid: [
    { name: 'bad podManagementPolicy', object: withSpec('StatefulSet', spec({ podManagementPolicy: 'Random' })), fields: ['spec.podManagementPolicy'] },
    { name: 'bad update strategy', object: withSpec('StatefulSet', spec({ updateStrategy: { type: 'Sometimes' } })), fields: ['spec.updateStrategy'] },
    { name: 'negative partition', object: withSpec('StatefulSet', spec({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: -1 } } })), fields: ['spec.updateStrategy.rollingUpdate.partition'] },
    { name: 'bad retention policy', object: withSpec('StatefulSet', spec({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep' } })), fields: ['spec.persistentVolumeClaimRetentionPolicy.whenDeleted'] },
    { name: 'selector mismatch', object: withSpec('StatefulSet', spec({ selector: { matchLabels: { app: 'db' } } })), fields: ['spec.template.metadata.labels'] },
  ],
  invalidUpdates: [
    { name: 'serviceName change', old: withSpec('StatefulSet', spec({ serviceName: 'a' })), object: withSpec('StatefulSet', spec({ serviceName: 'b' })), fields: ['spec'] },
  ],
});

describeStrategy(daemonSetStrategy, {
  valid: withSpec('DaemonSet', spec()),
  invalid: [
    { name: 'missing selector', object: withSpec('DaemonSet', { template }), fields: ['spec.template.metadata.labels'] },
    { name: 'surge and unavailable both set', object: withSpec('DaemonSet', spec({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } } })), fields: ['spec.updateStrategy.rollingUpdate.maxSurge'] },
    { name: 'unknown update strategy', object: withSpec('DaemonSet', spec({ updateStrategy: { type: 'Never' } })), fields: ['spec.updateStrategy'] },
    { name: 'activeDeadlineSeconds in template', object: withSpec('DaemonSet', spec({ template: { ...template, spec: { ...template.spec, activeDeadlineSeconds: 5 } } })), fields: ['spec.template.spec.activeDeadlineSeconds'] },
  ],
});

const revision = (extra: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: meta('web-5d8f'), ...extra });
describeStrategy(controllerRevisionStrategy, {
  valid: revision({ data: { spec: {} }, revision: 1 }),
  invalid: [
    { name: 'missing data', object: revision({ revision: 1 }), fields: ['data'] },
    { name: 'negative revision', object: revision({ data: {}, revision: -1 }), fields: ['revision'] },
  ],
  invalidUpdates: [{ name: 'data change', old: revision({ data: { a: 1 }, revision: 1 }), object: revision({ data: { a: 2 }, revision: 1 }), fields: ['data'] }],
});
