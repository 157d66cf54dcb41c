import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeHash, controllerRevisionName, fnv32a, newControllerRevision, nextRevision, safeEncodeString, sortControllerRevisions, stableJson, templateOfRevision, templatePatch, type ControllerRevision } from './index.js';

const cases: { name: string; run: () => void }[] = [
  { name: 'fnv32a matches the reference values', run: () => (assert.equal(fnv32a(''), 0x811c9dc5), assert.equal(fnv32a('a'), 0xe40c292c)) },
  { name: 'safe encoding uses no vowels and no look-alike digits', run: () => assert.match(safeEncodeString('0123456789'), /^[bcdfghjklmnpqrstvwxz2456789]+$/) },
  { name: 'equal objects hash alike whatever their key order', run: () => assert.equal(computeHash({ a: 1, b: [1, { c: 2, d: 3 }] }), computeHash({ b: [1, { d: 3, c: 2 }], a: 1 })) },
  { name: 'the collision count changes the hash', run: () => assert.notEqual(computeHash({ a: 1 }, 0), computeHash({ a: 1 }, 1)) },
  { name: 'stable JSON drops undefined fields', run: () => assert.equal(stableJson({ b: 1, a: undefined }), '{"b":1}') },
  { name: 'a revision name is the owner name cut to 223 characters and the hash', run: () => assert.equal(controllerRevisionName('x'.repeat(300), 'h'), `${'x'.repeat(223)}-h`) },
];
for (const c of cases) test(c.name, c.run);

test('a new revision carries the template labels, the hash label, a controller reference and the template patch', () => {
  const owner = { metadata: { name: 'web', namespace: 'ns', uid: 'u1' } };
  const data = templatePatch({ metadata: { labels: { app: 'a' } } });
  const r = newControllerRevision(owner, { apiVersion: 'apps/v1', kind: 'StatefulSet', templateLabels: { app: 'a' }, data, revision: 3 });
  const hash = r.metadata?.labels?.['controller-revision-hash'];
  assert.equal(r.metadata?.name, `web-${hash}`);
  assert.equal(r.metadata?.labels?.['app'], 'a');
  assert.deepEqual(r.metadata?.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'u1', controller: true, blockOwnerDeletion: true }]);
  assert.equal(r.revision, 3);
  assert.deepEqual(templateOfRevision(r), { metadata: { labels: { app: 'a' } } });
  assert.equal((r.data as { spec: { template: { $patch: string } } }).spec.template.$patch, 'replace');
});

test('revisions sort by number and the next number is one past the highest', () => {
  const revs = [3, 1, 2].map((n) => ({ metadata: { name: `r${n}` }, revision: n }) as ControllerRevision);
  assert.deepEqual(sortControllerRevisions(revs).map((r) => r.revision), [1, 2, 3]);
  assert.equal(nextRevision(revs), 4);
  assert.equal(nextRevision([]), 1);
});
