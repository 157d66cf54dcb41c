import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject, ManagedFieldsEntry } from '../../api/index.js';
import { StatusError } from '../errors.js';
import { apply, type ApplyOptions, type ApplyResult } from './apply.js';
import { FieldSet } from './field-set.js';
import { builtinType, customResourceType } from './ssa-type.js';
import { updateManagedFields } from './update.js';

const type = builtinType('io.k8s.api.apps.v1.Deployment');
const t0 = Date.UTC(2024, 4, 1, 10, 0, 0);
const clone = <T>(v: T): T => structuredClone(v);

const opts = (manager: string, extra: Partial<ApplyOptions> = {}): ApplyOptions => ({
  manager,
  force: false,
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  time: t0,
  type,
  resetFields: FieldSet.of(['f:status']),
  ...extra,
});

type Spec = Record<string, unknown>;
/** An applied Deployment configuration with the given spec (and metadata additions). */
const config = (spec: Spec, metadata: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', ...metadata },
  spec,
});
const template = (containers: unknown[]): Spec => ({ metadata: { labels: { app: 'web' } }, spec: { containers } });
const full = (containers: unknown[], extra: Spec = {}): Spec => ({ selector: { matchLabels: { app: 'web' } }, template: template(containers), ...extra });

function ok(r: ApplyResult | StatusError): ApplyResult {
  if (r instanceof StatusError) assert.fail(`unexpected ${r.code}: ${r.message}`);
  return r;
}
/** The object as the store keeps it after the apply. */
const store = (r: ApplyResult): KubeObject => ({ ...clone(r.object), metadata: { ...clone(r.object.metadata), uid: 'u-1' } });
const entry = (obj: KubeObject, manager: string): ManagedFieldsEntry | undefined => obj.metadata?.managedFields?.find((e) => e.manager === manager);
const containersOf = (obj: KubeObject): Record<string, unknown>[] =>
  (obj.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec.containers;

test('apply creates the object with an Apply entry holding exactly the applied fields', () => {
  const applied = config({ replicas: 2, ...full([{ name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }]) });
  const r = ok(apply(undefined, clone(applied), opts('kubectl')));
  assert.equal(r.changed, true);
  assert.deepEqual(r.managedFields, [
    {
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      time: '2024-05-01T10:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:spec': {
          'f:replicas': {},
          'f:selector': {},
          'f:template': {
            'f:metadata': { 'f:labels': { 'f:app': {} } },
            'f:spec': {
              'f:containers': {
                'k:{"name":"app"}': {
                  '.': {},
                  'f:image': {},
                  'f:name': {},
                  // protocol is a defaulted key field: the item is keyed with its default.
                  'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
                },
              },
            },
          },
        },
      },
    },
  ]);
  assert.deepEqual({ ...r.object, metadata: { ...r.object.metadata, managedFields: undefined } }, { ...applied, metadata: { ...applied.metadata, managedFields: undefined } });
});

test('re-applying without a field removes it from the object when no one else owns it', () => {
  const first = store(ok(apply(undefined, config(full([{ name: 'app', image: 'a' }]), { labels: { app: 'web', tier: 'front' } }), opts('kubectl'))));
  const r = ok(apply(first, config(full([{ name: 'app', image: 'a' }]), { labels: { app: 'web' } }), opts('kubectl')));
  assert.deepEqual(r.object.metadata?.labels, { app: 'web' });
  assert.deepEqual((entry(r.object, 'kubectl')?.fieldsV1 as Record<string, unknown>)['f:metadata'], { 'f:labels': { 'f:app': {} } });
});

test('re-applying without a field keeps it when another applier also owns it', () => {
  const cfg = config(full([{ name: 'app', image: 'a' }]), { labels: { app: 'web', tier: 'front' } });
  const live = store(ok(apply(undefined, clone(cfg), opts('a'))));
  const shared = ok(apply(live, config({}, { labels: { tier: 'front' } }), opts('b')));
  assert.equal(shared.changed, false, 'the same value changes nothing');
  const r = ok(apply(store(shared), config(full([{ name: 'app', image: 'a' }]), { labels: { app: 'web' } }), opts('a')));
  assert.deepEqual(r.object.metadata?.labels, { app: 'web', tier: 'front' });
});

/** A Deployment created by client-side apply, then edited by kubectl edit (minReadySeconds). */
function liveFromUpdates(): KubeObject {
  const created = config({ replicas: 1, revisionHistoryLimit: 10, ...full([{ name: 'app', image: 'a' }]) });
  const live: KubeObject = clone(created);
  live.metadata = { ...live.metadata, uid: 'u-1', managedFields: updateManagedFields(undefined, created, { manager: 'kubectl-client-side-apply', apiVersion: 'apps/v1', time: t0, type }) ?? [] };
  const edited = clone(live);
  (edited.spec as Spec).minReadySeconds = 5;
  edited.metadata = { ...edited.metadata, managedFields: updateManagedFields(live, edited, { manager: 'kubectl-edit', apiVersion: 'apps/v1', time: t0 + 1000, type }) ?? [] };
  return edited;
}

test('applying a value another manager set is a 409 with Kubernetes message and causes', () => {
  const r = apply(liveFromUpdates(), config({ replicas: 3 }), opts('kubectl'));
  assert.ok(r instanceof StatusError);
  assert.equal(r.code, 409);
  assert.deepEqual(r.status, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    code: 409,
    reason: 'Conflict',
    message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }] },
  });
});

test('several conflicts are grouped by manager, one field per line', () => {
  const r = apply(liveFromUpdates(), config({ replicas: 3, revisionHistoryLimit: 5, minReadySeconds: 10 }), opts('kubectl'));
  assert.ok(r instanceof StatusError);
  assert.equal(
    r.message,
    'Apply failed with 3 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.revisionHistoryLimit\nconflicts with "kubectl-edit" using apps/v1:\n- .spec.minReadySeconds',
  );
  assert.deepEqual(
    r.status.details?.causes?.map((c) => [c.message, c.field]),
    [
      ['conflict with "kubectl-client-side-apply" using apps/v1', '.spec.replicas'],
      ['conflict with "kubectl-client-side-apply" using apps/v1', '.spec.revisionHistoryLimit'],
      ['conflict with "kubectl-edit" using apps/v1', '.spec.minReadySeconds'],
    ],
  );
});

test('force takes ownership of conflicting fields', () => {
  const r = ok(apply(liveFromUpdates(), config({ replicas: 3 }), opts('kubectl', { force: true })));
  assert.equal((r.object.spec as Spec).replicas, 3);
  assert.deepEqual(
    r.managedFields?.map((e) => e.manager),
    ['kubectl', 'kubectl-client-side-apply', 'kubectl-edit'],
  );
  assert.deepEqual(entry(r.object, 'kubectl')?.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  assert.equal((entry(r.object, 'kubectl-client-side-apply')?.fieldsV1 as { 'f:spec': Spec })['f:spec']['f:replicas'], undefined);
});

test('two appliers of the same value co-own it; a later change by either conflicts with the other', () => {
  const live = store(ok(apply(undefined, config({ replicas: 2, ...full([{ name: 'app', image: 'a' }]) }), opts('a'))));
  const both = store(ok(apply(live, config({ replicas: 2 }), opts('b'))));
  assert.deepEqual(entry(both, 'b')?.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
  assert.deepEqual((entry(both, 'a')?.fieldsV1 as { 'f:spec': Spec })['f:spec']['f:replicas'], {});
  const r = apply(both, config({ replicas: 3, ...full([{ name: 'app', image: 'a' }]) }), opts('a'));
  assert.ok(r instanceof StatusError);
  assert.equal(r.message, 'Apply failed with 1 conflict: conflict with "b": .spec.replicas');
});

test('map lists merge by key: containers by name, each applier keeps its own items', () => {
  const live = store(ok(apply(undefined, config(full([{ name: 'a', image: 'x' }])), opts('one'))));
  const two = store(ok(apply(live, config({ template: { spec: { containers: [{ name: 'b', image: 'y' }] } } }), opts('two'))));
  assert.deepEqual(containersOf(two).map((c) => c.name), ['a', 'b']);
  const r = ok(apply(two, config(full([{ name: 'c', image: 'z' }])), opts('one')));
  assert.deepEqual(containersOf(r.object).map((c) => c.name), ['b', 'c']);
});

test('map lists keyed by several fields: ports by containerPort and protocol', () => {
  const live = store(ok(apply(undefined, config(full([{ name: 'app', image: 'x', ports: [{ containerPort: 80 }] }])), opts('one'))));
  // The server defaults protocol; the stored item and the applied one are the same item.
  containersOf(live)[0] = { name: 'app', image: 'x', ports: [{ containerPort: 80, protocol: 'TCP' }] };
  const same = ok(apply(live, config(full([{ name: 'app', image: 'x', ports: [{ containerPort: 80 }] }])), opts('one')));
  assert.equal(same.changed, false);
  const udp = ok(apply(live, config({ template: { spec: { containers: [{ name: 'app', ports: [{ containerPort: 80, protocol: 'UDP' }] }] } } }), opts('two')));
  assert.deepEqual(containersOf(udp.object)[0]?.ports, [
    { containerPort: 80, protocol: 'TCP' },
    { containerPort: 80, protocol: 'UDP' },
  ]);
  const two = entry(udp.object, 'two')?.fieldsV1 as Record<string, Record<string, Record<string, Record<string, Record<string, Record<string, unknown>>>>>>;
  assert.deepEqual(two['f:spec']?.['f:template']?.['f:spec']?.['f:containers']?.['k:{"name":"app"}']?.['f:ports'], {
    'k:{"containerPort":80,"protocol":"UDP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} },
  });
});

test('set lists merge by value: finalizers from two appliers, removed only by their owner', () => {
  const live = store(ok(apply(undefined, config(full([{ name: 'app', image: 'x' }]), { finalizers: ['example.com/a'] }), opts('one'))));
  assert.deepEqual((entry(live, 'one')?.fieldsV1 as Record<string, unknown>)['f:metadata'], { 'f:finalizers': { 'v:"example.com/a"': {} } });
  const two = store(ok(apply(live, config({}, { finalizers: ['example.com/b'] }), opts('two'))));
  assert.deepEqual(two.metadata?.finalizers, ['example.com/a', 'example.com/b']);
  const r = ok(apply(two, config(full([{ name: 'app', image: 'x' }])), opts('one')));
  assert.deepEqual(r.object.metadata?.finalizers, ['example.com/b']);
});

test('atomic lists are owned whole: a different list conflicts, and force replaces it', () => {
  const live = store(ok(apply(undefined, config(full([{ name: 'app', image: 'x', args: ['--a', '--b'] }])), opts('one'))));
  const other = config({ template: { spec: { containers: [{ name: 'app', args: ['--c'] }] } } });
  const r = apply(live, clone(other), opts('two'));
  assert.ok(r instanceof StatusError);
  assert.equal(r.message, 'Apply failed with 1 conflict: conflict with "one": .spec.template.spec.containers[name="app"].args');
  const forced = ok(apply(live, clone(other), opts('two', { force: true })));
  assert.deepEqual(containersOf(forced.object)[0]?.args, ['--c']);
});

test('an object never applied before gives its existing fields to before-first-apply', () => {
  const live: KubeObject = { ...config({ replicas: 1, ...full([{ name: 'app', image: 'x' }]) }), metadata: { name: 'web', namespace: 'default', uid: 'u-1' } };
  const r = apply(live, config({ replicas: 3 }), opts('kubectl'));
  assert.ok(r instanceof StatusError);
  assert.equal(r.message, 'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas');
});

test('applying status to the main resource records no ownership of it', () => {
  const r = ok(apply(undefined, { ...config(full([{ name: 'app', image: 'x' }])), status: { replicas: 4 } }, opts('kubectl')));
  assert.equal((entry(r.object, 'kubectl')?.fieldsV1 as Record<string, unknown>)['f:status'], undefined);
});

const refused: { name: string; body: KubeObject; code: number; message: string }[] = [
  {
    name: 'managedFields in the applied object',
    body: config({}, { managedFields: [] }),
    code: 400,
    message: 'metadata.managedFields must be nil',
  },
  {
    name: 'another kind',
    body: { ...config({}), kind: 'StatefulSet' },
    code: 400,
    message: 'invalid object type: apps/v1, Kind=StatefulSet',
  },
  {
    name: 'duplicate items of a map list',
    body: config(full([{ name: 'app', image: 'x' }, { name: 'app', image: 'y' }])),
    code: 500,
    message: 'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): .spec.template.spec.containers: duplicate entries for key [name="app"]',
  },
  {
    name: 'fields the schema does not declare, and items without keys',
    body: config({ bogus: 1, template: { spec: { containers: [{ image: 'x' }] } } }),
    code: 500,
    message:
      'failed to create typed patch object (default/web; apps/v1, Kind=Deployment): errors:\n' +
      '  .spec.bogus: field not declared in schema\n' +
      '  .spec.template.spec.containers: element 0: associative list with keys has an element that omits all key fields ["name"] (and doesn\'t have default values for any key fields)',
  },
];
for (const c of refused) {
  test(`apply refuses ${c.name}`, () => {
    const r = apply(undefined, c.body, opts('kubectl'));
    assert.ok(r instanceof StatusError);
    assert.equal(r.code, c.code);
    assert.equal(r.message, c.message);
  });
}

test('conflicts name a subresource manager with its subresource', () => {
  const live = store(ok(apply(undefined, config(full([{ name: 'app', image: 'x' }])), opts('kubectl'))));
  const withStatus = clone(live);
  withStatus.status = { replicas: 1 };
  withStatus.metadata = {
    ...withStatus.metadata,
    managedFields:
      updateManagedFields(live, withStatus, { manager: 'kube-controller-manager', apiVersion: 'apps/v1', time: t0, type, subresource: 'status', resetFields: FieldSet.of(['f:spec']) }) ?? [],
  };
  const r = apply(withStatus, { ...config({}), status: { replicas: 2 } }, opts('tester', { subresource: 'status', resetFields: FieldSet.of(['f:spec']) }));
  assert.ok(r instanceof StatusError);
  assert.equal(r.message, 'Apply failed with 1 conflict: conflict with "kube-controller-manager" with subresource "status" using apps/v1: .status.replicas');
});

test('re-applying the same configuration changes nothing and keeps the entry time', () => {
  const cfg = config(full([{ name: 'app', image: 'x' }]));
  const live = store(ok(apply(undefined, clone(cfg), opts('kubectl'))));
  const r = ok(apply(live, clone(cfg), opts('kubectl', { time: t0 + 3_600_000 })));
  assert.equal(r.changed, false);
  assert.deepEqual(r.managedFields, live.metadata?.managedFields);
});

test('custom resources: untyped content merges field by field and is pruned like typed content', () => {
  const crType = customResourceType({
    type: 'object',
    properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { size: { type: 'integer' } } } },
  });
  const cr = (spec: Spec): KubeObject => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec });
  const o = (manager: string): ApplyOptions => ({ manager, force: false, apiVersion: 'example.com/v1', kind: 'Widget', time: t0, type: crType });
  const first = store(ok(apply(undefined, cr({ size: 1, colour: { outer: 'red', inner: 'blue' } }), o('a'))));
  assert.deepEqual(entry(first, 'a')?.fieldsV1, { 'f:spec': { 'f:colour': { '.': {}, 'f:inner': {}, 'f:outer': {} }, 'f:size': {} } });
  const second = ok(apply(first, cr({ size: 1, colour: { outer: 'red' } }), o('a')));
  assert.deepEqual(second.object.spec, { size: 1, colour: { outer: 'red' } });
});

test('nulls applied to typed fields are owned but not stored, as after decoding into the Go type', () => {
  const r = ok(apply(undefined, config({ replicas: null, paused: false, ...full([{ name: 'app', image: 'x', command: null }]) }), opts('kubectl')));
  assert.equal('replicas' in (r.object.spec as Spec), false);
  assert.equal('command' in (containersOf(r.object)[0] ?? {}), false);
  assert.deepEqual((entry(r.object, 'kubectl')?.fieldsV1 as { 'f:spec': Spec })['f:spec']['f:replicas'], {});
});
