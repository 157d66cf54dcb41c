import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assembleApiServer } from './assemble.js';
import { builtinStrategies } from '../cmd/strategies.js';
import { ApiClient, inProcessTransport, type ClientRequest } from '../client/index.js';
import { MemoryBackend, WatchCache } from '../storage/index.js';
import { silentLogger, systemClock } from '../util/index.js';

async function setup() {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const transport = inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] });
  const client = new ApiClient(transport);
  const pods = client.resource({ group: '', version: 'v1', plural: 'pods', namespaced: true });
  await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  const post = async (path: string, body: unknown) => {
    const req: ClientRequest = { method: 'POST', path, query: new URLSearchParams(), headers: { 'content-type': 'application/json', accept: 'application/json' }, body: new TextEncoder().encode(JSON.stringify(body)), signal: new AbortController().signal };
    const res = await transport(req);
    let text = '';
    if (typeof res.body === 'string') text = res.body;
    else if (res.body instanceof Uint8Array) text = new TextDecoder().decode(res.body);
    else for await (const c of res.body as AsyncIterable<Uint8Array | string>) text += typeof c === 'string' ? c : new TextDecoder().decode(c);
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
  };
  return { pods, post };
}

const binding = (name: string, node: string) => ({ apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: node } });
type Pod = { spec?: { nodeName?: string }; status?: { conditions?: { type: string; status: string; lastTransitionTime?: string }[] } };

test('pods/binding sets the node and PodScheduled=True and answers 201 Success', async () => {
  const { pods, post } = await setup();
  const res = await post('/api/v1/namespaces/default/pods/web/binding', binding('web', 'node-1'));
  assert.equal(res.status, 201);
  assert.deepEqual(res.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  const pod = (await pods.get('web', { namespace: 'default' })) as Pod;
  assert.equal(pod.spec?.nodeName, 'node-1');
  const cond = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  assert.equal(cond?.status, 'True');
  assert.ok(cond?.lastTransitionTime);
});

test('binding a pod that is already bound is a Conflict naming its node', async () => {
  const { post } = await setup();
  await post('/api/v1/namespaces/default/pods/web/binding', binding('web', 'node-1'));
  const res = await post('/api/v1/namespaces/default/pods/web/binding', binding('web', 'node-2'));
  assert.equal(res.status, 409);
  assert.equal(res.body['reason'], 'Conflict');
  assert.equal(res.body['message'], 'Operation cannot be fulfilled on pods/binding "web": pod web is already assigned to node "node-1"');
});

test('binding a missing pod is NotFound', async () => {
  const { post } = await setup();
  const res = await post('/api/v1/namespaces/default/pods/gone/binding', binding('gone', 'node-1'));
  assert.equal(res.status, 404);
  assert.equal(res.body['message'], 'pods "gone" not found');
});

test('the bindings collection binds the pod named in the Binding', async () => {
  const { pods, post } = await setup();
  const res = await post('/api/v1/namespaces/default/bindings', binding('web', 'node-3'));
  assert.equal(res.status, 201);
  assert.equal(((await pods.get('web', { namespace: 'default' })) as Pod).spec?.nodeName, 'node-3');
});

const invalidCases = [
  { name: 'a binding without a target name is Invalid', body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web' }, target: { kind: 'Node' } }, status: 422, message: 'Binding "web" is invalid: target.name: Required value' },
  { name: 'a binding whose target is not a Node is Invalid', body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web' }, target: { kind: 'Pod', name: 'x' } }, status: 422, message: 'Binding "web" is invalid: target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"' },
  { name: 'a binding naming another pod than the URL is a BadRequest', body: binding('other', 'n'), status: 400, message: 'name in URL does not match name in Binding object' },
];
for (const c of invalidCases) {
  test(c.name, async () => {
    const { post } = await setup();
    const res = await post('/api/v1/namespaces/default/pods/web/binding', c.body);
    assert.equal(res.status, c.status);
    assert.equal(res.body['message'], c.message);
  });
}
