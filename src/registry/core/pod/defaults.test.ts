import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../api/index.js';
import { prepareCreate } from '../../testing-support/index.js';
import { defaultPodSpec, defaultPullPolicy, defaultVolume } from './defaults.js';
import { podStrategy } from './strategy.js';

const tolerations = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

// What `kubectl get pod nginx -o yaml` shows on a real cluster after `kubectl run nginx --image=nginx`, minus what
// other parts add (the ServiceAccount admission's serviceAccountName and kube-api-access volume, uid, resourceVersion).
const realNginxSpec = {
  containers: [{ image: 'nginx', imagePullPolicy: 'Always', name: 'nginx', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
  dnsPolicy: 'ClusterFirst',
  enableServiceLinks: true,
  preemptionPolicy: 'PreemptLowerPriority',
  priority: 0,
  restartPolicy: 'Always',
  schedulerName: 'default-scheduler',
  securityContext: {},
  terminationGracePeriodSeconds: 30,
  tolerations,
};

function pod(spec: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'nginx', namespace: 'default', labels: { run: 'nginx' } }, spec };
}

test('a defaulted nginx pod reads back like one from a real cluster', () => {
  const got = prepareCreate(podStrategy, pod({ containers: [{ name: 'nginx', image: 'nginx' }] }));
  assert.deepEqual(got['spec'], realNginxSpec);
  assert.deepEqual(got['status'], { phase: 'Pending', qosClass: 'BestEffort' });
  assert.equal(got.metadata?.generation, undefined);
});

const pullPolicies: [string, string][] = [
  ['nginx', 'Always'],
  ['nginx:latest', 'Always'],
  ['nginx:1.25', 'IfNotPresent'],
  ['registry.local:5000/team/app', 'Always'],
  ['registry.local:5000/team/app:v2', 'IfNotPresent'],
  ['nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'IfNotPresent'],
  ['NGINX', 'IfNotPresent'],
];
for (const [image, want] of pullPolicies) test(`image ${image} defaults imagePullPolicy to ${want}`, () => assert.equal(defaultPullPolicy(image), want));

test('limits without requests become requests on Pods, making them Guaranteed', () => {
  const got = prepareCreate(podStrategy, pod({ containers: [{ name: 'a', image: 'x:1', resources: { limits: { cpu: '0.5', memory: '1024Mi' } } }] }));
  const c = (got['spec'] as { containers: { resources: unknown }[] }).containers[0];
  assert.deepEqual(c?.resources, { limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } });
  assert.deepEqual(got['status'], { phase: 'Pending', qosClass: 'Guaranteed' });
});

test('pod templates do not get requests from limits nor enableServiceLinks', () => {
  const spec: Record<string, unknown> = { containers: [{ name: 'a', image: 'x:1', resources: { limits: { cpu: '1' } } }] };
  defaultPodSpec(spec as never);
  assert.equal(spec['enableServiceLinks'], undefined);
  assert.deepEqual((spec['containers'] as { resources: unknown }[])[0]?.resources, { limits: { cpu: '1' } });
});

test('probe and port defaults are filled in', () => {
  const got = prepareCreate(podStrategy, pod({
    containers: [{ name: 'a', image: 'x:1', ports: [{ containerPort: 80 }], livenessProbe: { httpGet: { port: 80 } }, env: [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] }],
  }));
  const c = (got['spec'] as { containers: Record<string, unknown>[] }).containers[0] ?? {};
  assert.deepEqual(c['ports'], [{ containerPort: 80, protocol: 'TCP' }]);
  assert.deepEqual(c['livenessProbe'], { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  assert.deepEqual(c['env'], [{ name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name', apiVersion: 'v1' } } }]);
});

const volumeCases: [string, Record<string, unknown>, Record<string, unknown>][] = [
  ['no source becomes an emptyDir', { name: 'v' }, { name: 'v', emptyDir: {} }],
  ['configMap gets defaultMode 420', { name: 'v', configMap: { name: 'c' } }, { name: 'v', configMap: { name: 'c', defaultMode: 420 } }],
  ['secret gets defaultMode 420', { name: 'v', secret: { secretName: 's' } }, { name: 'v', secret: { secretName: 's', defaultMode: 420 } }],
  ['hostPath gets type ""', { name: 'v', hostPath: { path: '/data' } }, { name: 'v', hostPath: { path: '/data', type: '' } }],
  ['projected token gets an hour', { name: 'v', projected: { sources: [{ serviceAccountToken: { path: 't' } }] } }, { name: 'v', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { path: 't', expirationSeconds: 3600 } }] } }],
];
for (const [name, input, want] of volumeCases) {
  test(`volume defaults: ${name}`, () => {
    const v = structuredClone(input);
    defaultVolume(v as never);
    assert.deepEqual(v, want);
  });
}

test('a pod that tolerates all NoExecute taints gets no default tolerations', () => {
  const got = prepareCreate(podStrategy, pod({ containers: [{ name: 'a', image: 'x:1' }], tolerations: [{ operator: 'Exists' }] }));
  assert.deepEqual((got['spec'] as { tolerations: unknown }).tolerations, [{ operator: 'Exists' }]);
});

test('serviceAccountName is mirrored into the deprecated serviceAccount field', () => {
  const got = prepareCreate(podStrategy, pod({ containers: [{ name: 'a', image: 'x:1' }], serviceAccount: 'robot' }));
  const spec = got['spec'] as Record<string, unknown>;
  assert.equal(spec['serviceAccountName'], 'robot');
  assert.equal(spec['serviceAccount'], 'robot');
});

test('a scheduling-gated pod starts with the SchedulingGated condition', () => {
  const got = prepareCreate(podStrategy, pod({ containers: [{ name: 'a', image: 'x:1' }], schedulingGates: [{ name: 'example.com/gate' }] }));
  const cond = (got['status'] as { conditions: Record<string, unknown>[] }).conditions[0];
  assert.equal(cond?.['reason'], 'SchedulingGated');
  assert.equal(cond?.['status'], 'False');
});
