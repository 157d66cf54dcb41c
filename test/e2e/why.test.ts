// `kin why` end to end: a finalizer nobody handles, a foreground deletion waiting for its dependents, a
// terminating namespace, a dangling owner, and `-o json`, on objects made with kubectl 1.32.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, runKin, startKin, type Cluster } from './harness.js';

describe('kin why', { concurrency: false }, () => {
  let kin: Cluster;
  const ok = async (args: string[], input?: string) => {
    const r = await kin.kubectl(args, { minor: 32, ...(input !== undefined ? { input } : {}) });
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.stderr}\n${r.stdout}`);
    return r.stdout;
  };
  const why = async (...args: string[]) => {
    const r = await runKin(kin, ['why', ...args]);
    return { ...r, text: r.stdout + r.stderr };
  };
  const configMap = (name: string, namespace: string, meta: Record<string, unknown> = {}) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, ...meta } });

  before(async () => {
    kin = await startKin({ storage: 'memory' });
  });
  after(async () => {
    await cleanup(kin);
  });

  test('a stuck object names its finalizer, calls it dead, and the printed command frees it', async () => {
    await ok(['create', '-f', '-'], configMap('held', 'default', { finalizers: ['example.com/hold'] }));
    await ok(['delete', 'configmap', 'held', '--wait=false']);
    const r = await why('configmap/held');
    assert.equal(r.code, 0, r.text);
    assert.match(r.text, /configmap\/held in namespace default is being deleted since .*held by 1 finalizer/);
    assert.match(r.text, /finalizer example\.com\/hold: no controller kin runs handles it/);
    assert.match(r.text, /a dead finalizer/);
    const command = /kubectl patch (.*)$/m.exec(r.text)?.[1];
    assert.ok(command, r.text);
    // The command as printed, run through a shell-free split: resource, -n NS, --type=json, -p 'JSON'.
    const m = /^(\S+) -n (\S+) --type=json -p '(.*)'$/.exec(command);
    assert.ok(m, command);
    await ok(['patch', m[1]!, '-n', m[2]!, '--type=json', '-p', m[3]!]);
    const gone = await why('cm', 'held');
    assert.equal(gone.code, 1);
    assert.match(gone.text, /does not exist/);
  });

  test('a foreground deletion lists the dependents it waits for and what holds them', async () => {
    await ok(['create', 'configmap', 'fg-owner']);
    const uid = await ok(['get', 'configmap', 'fg-owner', '-o', 'jsonpath={.metadata.uid}']);
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'fg-owner', uid, blockOwnerDeletion: true };
    await ok(['create', '-f', '-'], configMap('fg-child', 'default', { finalizers: ['example.com/slow'], ownerReferences: [ref] }));
    const before = await why('configmap/fg-owner');
    assert.match(before.text, /is not being deleted/);
    assert.match(before.text, /Dependents \(1\):\n\s+configmap\/fg-child \(blocks a foreground deletion/);
    assert.match(before.text, /Deleting it would also delete 1 object/);
    await ok(['delete', 'configmap', 'fg-owner', '--cascade=foreground', '--wait=false']);
    const during = await why('configmap/fg-owner');
    assert.match(during.text, /finalizer foregroundDeletion: handled by the garbage-collector controller/);
    assert.match(during.text, /It waits for this object to go:\n\s+configmap\/fg-child in namespace default is being deleted/);
    assert.match(during.text, /finalizer example\.com\/slow: no controller kin runs handles it/);
  });

  test('a terminating namespace shows what is left inside and the controller conditions', async () => {
    await ok(['create', 'namespace', 'stuck']);
    await ok(['create', '-f', '-'], configMap('inside', 'stuck', { finalizers: ['example.com/inside'] }));
    await ok(['delete', 'namespace', 'stuck', '--wait=false']);
    let text = '';
    for (let i = 0; i < 100 && !/NamespaceFinalizersRemaining/.test(text); i++) {
      text = (await why('ns/stuck')).text;
      if (!/NamespaceFinalizersRemaining/.test(text)) await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(text, /namespace\/stuck is being deleted since .*held by its spec\.finalizers \(kubernetes\)/);
    assert.match(text, /NamespaceFinalizersRemaining: .*example\.com\/inside/);
    assert.match(text, /configmap\/inside in namespace stuck is being deleted/);
    assert.match(text, /finalizer example\.com\/inside: no controller kin runs handles it/);
  });

  test('-o json gives the same answer for tools, with owners whose uid no longer matches', async () => {
    await ok(['create', 'configmap', 'old-owner']);
    // Its finalizer keeps it readable after the garbage collector deletes it for its dangling owner reference.
    await ok(['create', '-f', '-'], configMap('orphan-to-be', 'default', { finalizers: ['example.com/keep'], ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'old-owner', uid: '00000000-0000-0000-0000-000000000000' }] }));
    const r = await why('configmap/orphan-to-be', '-o', 'json');
    assert.equal(r.code, 0, r.text);
    const e = JSON.parse(r.stdout) as { exists: boolean; owners: { ref: string; state: string }[]; finalizers: unknown[] };
    assert.equal(e.exists, true);
    assert.deepEqual(e.owners.map((o) => [o.ref, o.state]), [['configmap/old-owner', 'replaced']]);
  });

  test('an unknown kind is refused as kubectl refuses it', async () => {
    const r = await why('nosuchkind/x');
    assert.equal(r.code, 1);
    assert.match(r.text, /the server doesn't have a resource type "nosuchkind"/);
  });
});
