import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/index.js';
import { StatusError } from '../errors.js';
import { apply, type ApplyOptions, type ApplyResult } from './apply.js';
import { allowedConflictsFromLastApplied, buildLastApplied, goJson, lastAppliedAnnotation, updateLastApplied } from './last-applied.js';
import { builtinType } from './ssa-type.js';
import { updateManagedFields } from './update.js';

const type = builtinType('io.k8s.api.core.v1.ConfigMap');
const t0 = Date.UTC(2024, 4, 1, 10, 0, 0);
const opts = (manager: string, extra: Partial<ApplyOptions> = {}): ApplyOptions => ({ manager, force: false, apiVersion: 'v1', kind: 'ConfigMap', time: t0, type, ...extra });
const cm = (data: Record<string, string>, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cfg', namespace: 'default', ...(annotations ? { annotations } : {}) },
  data,
});
function ok(r: ApplyResult | StatusError): ApplyResult {
  if (r instanceof StatusError) assert.fail(`unexpected ${r.code}: ${r.message}`);
  return r;
}

/** A ConfigMap as `kubectl apply` (client-side) leaves it: the annotation, and the fields owned by its Update entry. */
function clientSideApplied(data: Record<string, string>): KubeObject {
  const applied = cm(data);
  const obj = cm(data, { [lastAppliedAnnotation]: buildLastApplied(applied) });
  const managedFields = updateManagedFields(undefined, obj, { manager: 'kubectl-client-side-apply', apiVersion: 'v1', time: t0, type });
  return { ...obj, metadata: { ...obj.metadata, uid: 'u-1', managedFields: managedFields! } };
}

test('the annotation is the applied configuration as Go encodes it: sorted keys, HTML-safe, a newline, without itself', () => {
  const applied = cm({ b: '<x>', a: '1' }, { [lastAppliedAnnotation]: 'old', note: 'n' });
  assert.equal(buildLastApplied(applied), '{"apiVersion":"v1","data":{"a":"1","b":"\\u003cx\\u003e"},"kind":"ConfigMap","metadata":{"annotations":{"note":"n"},"name":"cfg","namespace":"default"}}\n');
  assert.equal(goJson({ z: [1, true, null], y: 'é' }), '{"y":"é","z":[1,true,null]}');
});

test('kubectl applying server-side an object it applied client-side takes its fields without conflicts', () => {
  const live = clientSideApplied({ a: '1', b: '2' });
  const r = ok(apply(live, cm({ a: '10', b: '2' }), opts('kubectl')));
  assert.deepEqual(r.object['data'], { a: '10', b: '2' });
  const managers = r.managedFields!.map((m) => [m.manager, m.operation]);
  assert.deepEqual(managers.sort(), [['kubectl', 'Apply'], ['kubectl-client-side-apply', 'Update']]);
  // ...and the annotation now holds what was applied server-side.
  assert.equal(r.object.metadata?.annotations?.[lastAppliedAnnotation], buildLastApplied(cm({ a: '10', b: '2' })));
});

test('another field manager still gets the conflict', () => {
  const live = clientSideApplied({ a: '1' });
  const r = apply(live, cm({ a: '10' }), opts('my-tool'));
  assert.ok(r instanceof StatusError);
  assert.equal(r.code, 409);
  assert.equal(r.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .data.a');
});

test('a field changed since the last client-side apply by someone else stays a conflict', () => {
  const csa = clientSideApplied({ a: '1', b: '2' });
  // Another client edits .data.b after the client-side apply.
  const edited: KubeObject = { ...csa, data: { a: '1', b: 'edited' } };
  const mf = updateManagedFields(csa, edited, { manager: 'kubectl-edit', apiVersion: 'v1', time: t0, type });
  const live: KubeObject = { ...edited, metadata: { ...edited.metadata, managedFields: mf! } };
  const r = apply(live, cm({ a: '10', b: '20' }), opts('kubectl'));
  assert.ok(r instanceof StatusError);
  assert.equal(r.message, 'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.b');
});

test('the allowed fields are those of the last-applied configuration the live object still has', () => {
  const live: KubeObject = { ...cm({ a: '1', b: 'changed', c: 'new' }, { [lastAppliedAnnotation]: buildLastApplied(cm({ a: '1', b: '2' })) }) };
  const allowed = allowedConflictsFromLastApplied(live, type)!;
  assert.ok(allowed.has(['f:data', 'f:a']));
  assert.ok(!allowed.has(['f:data', 'f:b']));
  assert.ok(!allowed.has(['f:data', 'f:c']));
  assert.equal(allowedConflictsFromLastApplied(cm({ a: '1' }), type), undefined);
  assert.equal(allowedConflictsFromLastApplied(cm({ a: '1' }, { [lastAppliedAnnotation]: 'not json' }), type), undefined);
});

test('only kubectl updates the annotation, only when the object has one, and drops it past the size limit', () => {
  const applied = cm({ a: '1' });
  const plain = cm({ a: '1' });
  assert.equal(updateLastApplied(plain, applied, 'kubectl'), plain);
  const annotated = cm({ a: '1' }, { [lastAppliedAnnotation]: 'old' });
  assert.equal(updateLastApplied(annotated, applied, 'other'), annotated);
  assert.equal(updateLastApplied(annotated, applied, 'kubectl').metadata?.annotations?.[lastAppliedAnnotation], buildLastApplied(applied));
  const huge = cm({ a: 'x'.repeat(200 * 1024) });
  const big = cm({ a: '1' }, { [lastAppliedAnnotation]: 'old', other: 'y'.repeat(100 * 1024) });
  assert.deepEqual(updateLastApplied(big, huge, 'kubectl').metadata?.annotations, { other: 'y'.repeat(100 * 1024) });
});

test('a server-side apply that changes nothing but the annotation still writes it', () => {
  const live = clientSideApplied({ a: '1' });
  const stale: KubeObject = { ...live, metadata: { ...live.metadata, annotations: { [lastAppliedAnnotation]: '{"stale":true}\n' } } };
  const r = ok(apply(stale, cm({ a: '1' }), opts('kubectl')));
  assert.equal(r.changed, true);
  assert.equal(r.object.metadata?.annotations?.[lastAppliedAnnotation], buildLastApplied(cm({ a: '1' })));
});
