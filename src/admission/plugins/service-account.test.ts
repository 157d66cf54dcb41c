import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/index.js';
import { StatusError } from '../../machinery/index.js';
import { attrs, MemoryLookup, runPlugin, testDeps } from '../testing-support.js';
import { serviceAccountPlugin, tokenVolumeSource } from './service-account.js';

const sa = { group: '', resource: 'serviceaccounts' };
const lookup = new MemoryLookup([
  { ref: sa, obj: { metadata: { name: 'default', namespace: 'ns' } } },
  { ref: sa, obj: { metadata: { name: 'robot', namespace: 'ns' }, automountServiceAccountToken: false, imagePullSecrets: [{ name: 'regcred' }] } },
  { ref: sa, obj: { metadata: { name: 'strict', namespace: 'ns', annotations: { 'kubernetes.io/enforce-mountable-secrets': 'true' } }, secrets: [{ name: 'ok' }] } },
]);
const plugin = serviceAccountPlugin(testDeps(lookup));
// random() is 0 in tests: the volume suffix is five times the first name character.
const volume = 'kube-api-access-bbbbb';
const mount = { name: volume, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' };

function pod(spec: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  return { metadata: { name: 'p', namespace: 'ns', ...meta }, spec: { containers: [{ name: 'app', image: 'x' }], ...spec } };
}

async function admit(p: KubeObject): Promise<KubeObject> {
  await runPlugin(plugin, attrs({ resource: 'pods', namespace: 'ns', object: p }));
  return p;
}

test('ServiceAccount: a pod gets the default account and the kube-api-access volume in every container', async () => {
  const p = await admit(pod({ initContainers: [{ name: 'init', image: 'x' }] }));
  const spec = p['spec'] as Record<string, any>;
  assert.equal(spec['serviceAccountName'], 'default');
  assert.deepEqual(spec['volumes'], [{ name: volume, projected: tokenVolumeSource() }]);
  assert.deepEqual(spec['containers'][0].volumeMounts, [mount]);
  assert.deepEqual(spec['initContainers'][0].volumeMounts, [mount]);
  assert.deepEqual(tokenVolumeSource().sources[0], { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } });
});

const automount: { name: string; spec: Record<string, unknown>; mounted: boolean }[] = [
  { name: 'the pod turning automount off wins', spec: { automountServiceAccountToken: false }, mounted: false },
  { name: 'the account turning it off is honoured', spec: { serviceAccountName: 'robot' }, mounted: false },
  { name: 'the pod turning it on beats the account', spec: { serviceAccountName: 'robot', automountServiceAccountToken: true }, mounted: true },
  { name: 'a container already mounting the path keeps its mount', spec: { containers: [{ name: 'app', image: 'x', volumeMounts: [{ name: 'mine', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }] }, mounted: false },
];
for (const c of automount) {
  test(`ServiceAccount: ${c.name}`, async () => {
    const p = await admit(pod(c.spec));
    const vols = ((p['spec'] as Record<string, any>)['volumes'] ?? []) as { name: string }[];
    assert.equal(vols.some((v) => v.name.startsWith('kube-api-access-')), c.mounted);
  });
}

test('ServiceAccount: an existing kube-api-access volume is reused, not added twice', async () => {
  const p = await admit(pod({ volumes: [{ name: 'kube-api-access-zzzzz', projected: tokenVolumeSource() }] }));
  const spec = p['spec'] as Record<string, any>;
  assert.equal(spec['volumes'].length, 1);
  assert.equal(spec['containers'][0].volumeMounts[0].name, 'kube-api-access-zzzzz');
});

test("ServiceAccount: the account's image pull secrets are copied to a pod that has none", async () => {
  const p = await admit(pod({ serviceAccountName: 'robot' }));
  assert.deepEqual((p['spec'] as Record<string, unknown>)['imagePullSecrets'], [{ name: 'regcred' }]);
});

const refusals: { name: string; p: KubeObject; message: string }[] = [
  { name: 'a missing account', p: pod({ serviceAccountName: 'ghost' }), message: 'pods "p" is forbidden: error looking up service account ns/ghost: serviceaccount "ghost" not found' },
  {
    name: 'a secret the enforcing account does not list',
    p: pod({ serviceAccountName: 'strict', volumes: [{ name: 'v', secret: { secretName: 'other' } }] }),
    message: 'pods "p" is forbidden: volume with secret.secretName="other" is not allowed because service account strict does not reference that secret',
  },
  {
    name: 'an envFrom secret the enforcing account does not list',
    p: pod({ serviceAccountName: 'strict', containers: [{ name: 'app', image: 'x', envFrom: [{ secretRef: { name: 'other' } }] }] }),
    message: 'pods "p" is forbidden: container app with envFrom referencing secret.secretName="other" is not allowed because service account strict does not reference that secret',
  },
  { name: 'a mirror pod using a secret', p: pod({ volumes: [{ name: 'v', secret: { secretName: 's' } }] }, { annotations: { 'kubernetes.io/config.mirror': 'x' } }), message: 'pods "p" is forbidden: a mirror pod may not reference secrets' },
  { name: 'a mirror pod naming an account', p: pod({ serviceAccountName: 'default' }, { annotations: { 'kubernetes.io/config.mirror': 'x' } }), message: 'pods "p" is forbidden: a mirror pod may not reference service accounts' },
];
for (const c of refusals) {
  test(`ServiceAccount: refuses ${c.name}`, async () => {
    await assert.rejects(admit(c.p), (e: unknown) => e instanceof StatusError && e.code === 403 && e.message === c.message);
  });
}

test('ServiceAccount: the default account is looked up again while the controller has not made it yet', async () => {
  const late = new MemoryLookup();
  let waits = 0;
  const p = serviceAccountPlugin({ ...testDeps(late), sleep: async () => void (++waits === 3 && late.put(sa, { metadata: { name: 'default', namespace: 'ns' } })) });
  await runPlugin(p, attrs({ resource: 'pods', namespace: 'ns', object: pod({}) }));
  assert.equal(waits, 3);
});

test('ServiceAccount: a mirror pod is left unchanged', async () => {
  const p = await admit(pod({}, { annotations: { 'kubernetes.io/config.mirror': 'x' } }));
  assert.equal((p['spec'] as Record<string, unknown>)['serviceAccountName'], undefined);
});
