import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { admitPod, podRequests } from './admission.js';

const pod = (cpu: string, memory = '0'): Pod => ({ spec: { containers: [{ name: 'c', resources: { requests: { cpu, memory } } }] } });

test('a pod requests the sum of its containers, or its largest init container when that is more', () => {
  assert.deepEqual(podRequests({ spec: { containers: [{ name: 'a', resources: { requests: { cpu: '250m', memory: '64Mi' } } }, { name: 'b', resources: { requests: { cpu: '1' } } }] } }), { cpuMilli: 1250, memoryBytes: 64 * 1024 ** 2 });
  assert.equal(podRequests({ spec: { containers: [{ name: 'a', resources: { requests: { cpu: '100m' } } }], initContainers: [{ name: 'i', resources: { requests: { cpu: '2' } } }] } }).cpuMilli, 2000);
});

test('the kubelet rejects a pod that does not fit, as Kubernetes words it', () => {
  const cases = [
    { name: 'fits', pod: pod('1'), running: [pod('2')], want: undefined },
    { name: 'too much cpu', pod: pod('3'), running: [pod('2')], want: "OutOfcpu: Pod was rejected: Node didn't have enough resource: cpu, requested: 3000, used: 2000, capacity: 4000" },
    { name: 'too many pods', pod: pod('0'), running: [pod('0'), pod('0')], want: "OutOfpods: Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: 2, capacity: 2" },
  ];
  for (const c of cases) {
    const r = admitPod(c.pod, c.running, { pods: c.name === 'too many pods' ? 2 : 110, cpuMilli: 4000, memoryBytes: 1 << 30 });
    assert.equal(r ? `${r.reason}: ${r.message}` : undefined, c.want, c.name);
  }
});
