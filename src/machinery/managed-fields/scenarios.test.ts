// Sequences of applies and updates by several managers on a small custom type, checking the final object and who
// owns what: the behaviours Kubernetes' structured merge is known for (set and map lists, order, sharing).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/index.js';
import { StatusError } from '../errors.js';
import { apply } from './apply.js';
import { FieldSet } from './field-set.js';
import { customResourceType } from './ssa-type.js';
import { updateManagedFields } from './update.js';

const type = customResourceType({
  type: 'object',
  properties: {
    list: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
    items: {
      type: 'array',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
      items: { type: 'object', properties: { name: { type: 'string' }, value: { type: 'string' } } },
    },
    atomic: { type: 'array', items: { type: 'string' } },
  },
});

type Op = { apply: string; obj: Record<string, unknown> } | { update: string; obj: Record<string, unknown> };
interface Scenario {
  name: string;
  ops: Op[];
  want: Record<string, unknown>;
  /** manager → owned paths, in the printed form */
  owners: Record<string, string[]>;
}

const wrap = (o: Record<string, unknown>): KubeObject => ({ apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name: 't' }, ...o });

function run(ops: Op[]): KubeObject {
  let live: KubeObject | undefined;
  for (const [i, op] of ops.entries()) {
    const time = Date.UTC(2024, 0, 1, 0, 0, i);
    if ('apply' in op) {
      const r = apply(live, wrap(op.obj), { manager: op.apply, force: false, apiVersion: 'example.com/v1', kind: 'Thing', time, type });
      if (r instanceof StatusError) assert.fail(r.message);
      live = { ...r.object, metadata: { ...r.object.metadata, uid: 'u' } };
    } else {
      const next: KubeObject = { ...wrap(op.obj), metadata: { ...live?.metadata } };
      const mf = updateManagedFields(live, next, { manager: op.update, apiVersion: 'example.com/v1', time, type });
      next.metadata = { ...next.metadata };
      if (mf) next.metadata.managedFields = mf;
      else delete next.metadata.managedFields;
      live = next;
    }
  }
  assert.ok(live);
  return live;
}

const scenarios: Scenario[] = [
  {
    name: 'an updater adds set items between an applier’s items; the applier’s new items keep their place',
    ops: [
      { apply: 'default', obj: { list: ['a', 'c'] } },
      { update: 'controller', obj: { list: ['a', 'b', 'c', 'd'] } },
      { apply: 'default', obj: { list: ['a', 'aprime', 'c', 'cprime'] } },
    ],
    want: { list: ['a', 'b', 'aprime', 'c', 'd', 'cprime'] },
    owners: { default: ['.list[="a"]', '.list[="aprime"]', '.list[="c"]', '.list[="cprime"]'], controller: ['.list[="b"]', '.list[="d"]'] },
  },
  {
    name: 'applying an item an updater added shares it',
    ops: [
      { apply: 'default', obj: { list: ['a', 'c'] } },
      { update: 'controller', obj: { list: ['a', 'b', 'c', 'd'] } },
      { apply: 'default', obj: { list: ['a', 'b', 'c'] } },
    ],
    want: { list: ['a', 'b', 'c', 'd'] },
    owners: { default: ['.list[="a"]', '.list[="b"]', '.list[="c"]'], controller: ['.list[="b"]', '.list[="d"]'] },
  },
  {
    name: 'an applier reorders its own items',
    ops: [
      { apply: 'default', obj: { list: ['a', 'b', 'c', 'd'] } },
      { apply: 'default', obj: { list: ['a', 'd', 'c', 'b'] } },
    ],
    want: { list: ['a', 'd', 'c', 'b'] },
    owners: { default: ['.list[="a"]', '.list[="b"]', '.list[="c"]', '.list[="d"]'] },
  },
  {
    name: 'reordering a set is not a change an updater owns, and the next apply restores the order',
    ops: [
      { apply: 'default', obj: { list: ['a', 'b', 'c', 'd'] } },
      { update: 'controller', obj: { list: ['a', 'd', 'c', 'b'] } },
      { apply: 'default', obj: { list: ['a', 'b', 'c', 'd'] } },
    ],
    want: { list: ['a', 'b', 'c', 'd'] },
    owners: { default: ['.list[="a"]', '.list[="b"]', '.list[="c"]', '.list[="d"]'] },
  },
  {
    name: 'an applier drops items it no longer applies',
    ops: [
      { apply: 'default', obj: { list: ['a', 'b', 'c', 'd'] } },
      { apply: 'default', obj: { list: ['a', 'c'] } },
    ],
    want: { list: ['a', 'c'] },
    owners: { default: ['.list[="a"]', '.list[="c"]'] },
  },
  {
    name: 'map list items are owned item by item and field by field',
    ops: [
      { apply: 'one', obj: { items: [{ name: 'x', value: '1' }] } },
      { apply: 'two', obj: { items: [{ name: 'y', value: '2' }] } },
      { update: 'editor', obj: { items: [{ name: 'x', value: '3' }, { name: 'y', value: '2' }] } },
    ],
    want: { items: [{ name: 'x', value: '3' }, { name: 'y', value: '2' }] },
    owners: {
      one: ['.items[name="x"]', '.items[name="x"].name'],
      two: ['.items[name="y"]', '.items[name="y"].name', '.items[name="y"].value'],
      editor: ['.items[name="x"].value'],
    },
  },
  {
    name: 'an item whose fields someone else changed still goes when its applier drops it',
    ops: [
      { apply: 'one', obj: { items: [{ name: 'x', value: '1' }], list: ['keep'] } },
      { update: 'editor', obj: { items: [{ name: 'x', value: '3' }], list: ['keep'] } },
      { apply: 'one', obj: { list: ['keep'] } },
    ],
    want: { list: ['keep'] },
    owners: { one: ['.list[="keep"]'] },
  },
  {
    name: 'lists without a list type are atomic: replaced whole and owned whole',
    ops: [
      { apply: 'one', obj: { atomic: ['a', 'b'] } },
      { update: 'editor', obj: { atomic: ['a', 'b', 'c'] } },
    ],
    want: { atomic: ['a', 'b', 'c'] },
    owners: { editor: ['.atomic'] },
  },
];

for (const s of scenarios) {
  test(`scenario: ${s.name}`, () => {
    const got = run(s.ops);
    const { apiVersion: _a, kind: _k, metadata, ...rest } = got;
    assert.deepEqual(rest, s.want);
    const owners: Record<string, string[]> = {};
    for (const e of metadata?.managedFields ?? []) owners[e.manager ?? ''] = FieldSet.fromFieldsV1(e.fieldsV1).toString().split('\n').filter(Boolean);
    assert.deepEqual(owners, s.owners);
  });
}
