import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Nominator } from './nominator.js';
import { makePod } from './testing-support.js';
import type { Pod } from './types.js';

function withNominated(name: string, node?: string): Pod {
  const p = makePod(name);
  if (node) p.status = { nominatedNodeName: node };
  return p;
}

const cases: { name: string; memory?: string; old?: string; now?: string; want: string | undefined }[] = [
  { name: 'a pod naming a node in its status is nominated there', now: 'a', want: 'a' },
  { name: 'a changed nominated node moves the nomination', old: 'a', now: 'b', memory: 'a', want: 'b' },
  { name: 'a cleared nominated node clears the nomination', old: 'a', memory: 'a', want: undefined },
  { name: 'an update naming no node keeps a nomination made in memory', memory: 'a', want: 'a' },
  { name: 'a pod never nominated stays so', want: undefined },
];
for (const c of cases) {
  test(`Nominator.update: ${c.name}`, () => {
    const n = new Nominator();
    if (c.memory) n.nominate(makePod('p'), c.memory);
    n.update(withNominated('p', c.old), withNominated('p', c.now));
    assert.equal(n.nodeOf('default/p'), c.want);
    assert.deepEqual(c.want ? n.podsOn(c.want).map((p) => p.key) : [], c.want ? ['default/p'] : []);
    assert.equal(n.size, c.want ? 1 : 0);
  });
}

test('Nominator.delete forgets the pod on its node', () => {
  const n = new Nominator();
  n.nominate(makePod('p'), 'a');
  n.nominate(makePod('q'), 'a');
  n.delete('default/p');
  assert.deepEqual(n.podsOn('a').map((p) => p.key), ['default/q']);
});
