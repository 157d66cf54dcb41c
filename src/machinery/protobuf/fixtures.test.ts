// Decodes every body captured from real kubectl and compares it with the JSON kubectl sends for the same command.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { StatusError } from '../errors.js';
import { decodeProtobuf } from './decode.js';

interface FixtureCase {
  name: string;
  kubectl: string;
  command: string;
  request: string;
  expected: string;
}

const dir = new URL('./fixtures/', import.meta.url);
const cases = JSON.parse(readFileSync(new URL('cases.json', dir), 'utf8')) as FixtureCase[];
const body = (name: string): Uint8Array => readFileSync(new URL(`${name}.bin`, dir));
const expected = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`${name}.json`, dir), 'utf8')) as Record<string, unknown>;

for (const c of cases) {
  test(`${c.command} (kubectl ${c.kubectl}, ${c.request}) decodes to the JSON kubectl sends`, () => {
    const want = expected(c.name);
    const got = decodeProtobuf(body(c.name));
    assert.deepEqual(got.object, want);
    assert.equal(got.apiVersion, want['apiVersion']);
    assert.equal(got.kind, want['kind']);
    // Same field order too: the text equals Go's encoding of the object.
    assert.equal(JSON.stringify(got.object), JSON.stringify(want));
  });
}

test('the captures cover every kind kubectl sends as protobuf', () => {
  const kinds = new Set(cases.map((c) => `${String(expected(c.name)['apiVersion'])}/${String(expected(c.name)['kind'])}`));
  for (const k of [
    'v1/Namespace', 'apps/v1/Deployment', 'v1/ConfigMap', 'v1/Secret', 'v1/Service', 'v1/ServiceAccount', 'batch/v1/Job',
    'batch/v1/CronJob', 'rbac.authorization.k8s.io/v1/Role', 'rbac.authorization.k8s.io/v1/RoleBinding',
    'rbac.authorization.k8s.io/v1/ClusterRole', 'rbac.authorization.k8s.io/v1/ClusterRoleBinding', 'v1/ResourceQuota',
    'policy/v1/PodDisruptionBudget', 'scheduling.k8s.io/v1/PriorityClass', 'networking.k8s.io/v1/Ingress',
    'authentication.k8s.io/v1/TokenRequest', 'autoscaling/v1/HorizontalPodAutoscaler', 'autoscaling/v2/HorizontalPodAutoscaler',
    'authorization.k8s.io/v1/SelfSubjectAccessReview', 'authorization.k8s.io/v1/SelfSubjectRulesReview',
    'authentication.k8s.io/v1/SelfSubjectReview', 'v1/DeleteOptions', 'v1/Pod', 'certificates.k8s.io/v1/CertificateSigningRequest',
  ]) assert.ok(kinds.has(k), `no capture of ${k}`);
});

/** Deterministic pseudo-random numbers (xorshift32), so the corruption test is the same on every run. */
function rng(seed: number): () => number {
  let x = seed || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x1_0000_0000;
  };
}

/** Decoding either succeeds or throws a 400/415 StatusError; anything else fails the test. */
function decodesOrRejects(input: Uint8Array, what: string): void {
  try {
    decodeProtobuf(input);
  } catch (err) {
    assert.ok(err instanceof StatusError, `${what}: threw ${String(err)}`);
    assert.ok(err.code === 400 || err.code === 415, `${what}: status ${err.code} ${err.message}`);
  }
}

test('every truncation of every capture is decoded or rejected with a Status, never another exception', () => {
  for (const c of cases) {
    const b = body(c.name);
    for (let n = 0; n < b.length; n++) decodesOrRejects(b.subarray(0, n), `${c.name} cut at ${n}`);
  }
});

test('randomly corrupted captures are decoded or rejected with a Status, never another exception', () => {
  const next = rng(20240601);
  for (const c of cases) {
    const orig = body(c.name);
    for (let i = 0; i < 40; i++) {
      const b = Uint8Array.from(orig);
      const flips = 1 + Math.floor(next() * 3);
      for (let j = 0; j < flips; j++) b[4 + Math.floor(next() * (b.length - 4))] = Math.floor(next() * 256);
      decodesOrRejects(b, `${c.name} mutation ${i}`);
    }
  }
});
