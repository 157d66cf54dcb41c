import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/index.js';
import { fieldErrorMessage } from '../../../machinery/index.js';
import { createErrors, describeStrategy, prepareCreate, testContext, updateErrors } from '../../testing-support/index.js';
import { podStrategy } from './strategy.js';

function pod(spec: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec, ...extra };
}
const c = (over: Record<string, unknown> = {}) => ({ name: 'app', image: 'nginx:1.25', ...over });

describeStrategy(podStrategy, {
  valid: pod({ containers: [c({ ports: [{ containerPort: 80 }], volumeMounts: [{ name: 'data', mountPath: '/data' }] })], volumes: [{ name: 'data' }] }),
  invalid: [
    { name: 'a pod without containers', object: pod({}), fields: ['spec.containers'] },
    { name: 'a container without image and with a bad name', object: pod({ containers: [{ name: 'App_1' }] }), fields: ['spec.containers[0].name', 'spec.containers[0].image'] },
    { name: 'duplicate container names', object: pod({ containers: [c(), c()] }), fields: ['spec.containers[1].name'] },
    { name: 'a port out of range and an unknown protocol', object: pod({ containers: [c({ ports: [{ containerPort: 70000, protocol: 'ICMP' }] })] }), fields: ['spec.containers[0].ports[0].containerPort', 'spec.containers[0].ports[0].protocol'] },
    { name: 'an unknown restartPolicy and dnsPolicy', object: pod({ containers: [c()], restartPolicy: 'Sometimes', dnsPolicy: 'Public' }), fields: ['spec.restartPolicy', 'spec.dnsPolicy'] },
    { name: 'requests above limits', object: pod({ containers: [c({ resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } })] }), fields: ['spec.containers[0].resources.requests'] },
    { name: 'a volume with two sources and a duplicate name', object: pod({ containers: [c()], volumes: [{ name: 'v' }, { name: 'v', emptyDir: {}, hostPath: { path: '/x' } }] }), fields: ['spec.volumes[1].hostPath', 'spec.volumes[1].name'] },
    { name: 'a mount of a missing volume', object: pod({ containers: [c({ volumeMounts: [{ name: 'nope', mountPath: '/x' }] })] }), fields: ['spec.containers[0].volumeMounts[0].name'] },
    { name: 'an env var name with =', object: pod({ containers: [c({ env: [{ name: 'A=B', value: 'x' }] })] }), fields: ['spec.containers[0].env[0].name'] },
    { name: 'a probe with two handlers', object: pod({ containers: [c({ livenessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } } })] }), fields: ['spec.containers[0].livenessProbe.tcpSocket'] },
    { name: 'a toleration with seconds but no NoExecute', object: pod({ containers: [c()], tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }] }), fields: ['spec.tolerations[0].effect'] },
    { name: 'ephemeral containers on create', object: pod({ containers: [c()], ephemeralContainers: [{ name: 'dbg', image: 'busybox' }] }), fields: ['spec.ephemeralContainers'] },
  ],
  invalidUpdates: [
    { name: 'changing the restart policy', old: pod({ containers: [c()] }), object: pod({ containers: [c()], restartPolicy: 'Never' }), fields: ['spec'] },
    { name: 'dropping a toleration', old: pod({ containers: [c()], tolerations: [{ key: 'k', operator: 'Exists' }] }), object: pod({ containers: [c()] }), fields: ['spec.tolerations'] },
    { name: 'adding a container', old: pod({ containers: [c()] }), object: pod({ containers: [c(), c({ name: 'b' })] }), fields: ['spec.containers'] },
  ],
});

test('the immutable-spec error uses Kubernetes wording', () => {
  const old = prepareCreate(podStrategy, pod({ containers: [c()] }));
  const next = structuredClone(old);
  (next['spec'] as Record<string, unknown>)['restartPolicy'] = 'Never';
  const errs = updateErrors(podStrategy, next, old);
  const msg = errs.map(fieldErrorMessage).join('\n');
  assert.match(msg, /^spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`,`spec\.initContainers\[\*\]\.image`,`spec\.activeDeadlineSeconds`,`spec\.tolerations` \(only additions to existing tolerations\),`spec\.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)\n/);
});

test('changing only the image is a valid update', () => {
  const ctx = testContext();
  const old = prepareCreate(podStrategy, pod({ containers: [c()] }), ctx);
  const next = structuredClone(old);
  (next['spec'] as { containers: { image: string }[] }).containers[0]!.image = 'nginx:1.26';
  podStrategy.prepareForUpdate?.(next, old, ctx);
  assert.deepEqual([...(podStrategy.validate?.(next, ctx) ?? []), ...(podStrategy.validateUpdate?.(next, old, ctx) ?? [])], []);
});

test('error messages name the value and the supported values', () => {
  const msgs = createErrors(podStrategy, pod({ containers: [c()], restartPolicy: 'Sometimes' })).map(fieldErrorMessage);
  assert.deepEqual(msgs, ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']);
  const req = createErrors(podStrategy, pod({})).map(fieldErrorMessage);
  assert.deepEqual(req, ['spec.containers: Required value']);
  const lim = createErrors(podStrategy, pod({ containers: [c({ resources: { requests: { cpu: '2' }, limits: { cpu: '500m' } } })] })).map(fieldErrorMessage);
  assert.deepEqual(lim, ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 500m']);
});

test('a status update keeps the QoS class and may not change it', () => {
  const ctx = testContext();
  const old = prepareCreate(podStrategy, pod({ containers: [c()] }), ctx);
  const next = structuredClone(old);
  next['status'] = { phase: 'Running' };
  podStrategy.status?.prepareForUpdate(next, old, ctx);
  assert.equal((next['status'] as { qosClass?: string }).qosClass, 'BestEffort');
  next['status'] = { phase: 'Running', qosClass: 'Guaranteed' };
  assert.deepEqual(podStrategy.status?.validateUpdate(next, old, ctx).map((e) => e.field), ['status.qosClass']);
});

test('field selectors cover the pod fields kubectl and controllers use', () => {
  const p = prepareCreate(podStrategy, pod({ containers: [c()], nodeName: 'n1' }));
  assert.deepEqual(podStrategy.selectableFields?.(p), {
    'spec.nodeName': 'n1', 'spec.restartPolicy': 'Always', 'spec.schedulerName': 'default-scheduler', 'spec.serviceAccountName': '',
    'spec.hostNetwork': 'false', 'status.phase': 'Pending', 'status.podIP': '', 'status.podIPs': '', 'status.nominatedNodeName': '',
  });
});

test('a pod name that is not a DNS label gets a warning', () => {
  assert.deepEqual(podStrategy.warnings?.({ metadata: { name: 'web.1' } }, undefined), [
    "metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]",
  ]);
});
