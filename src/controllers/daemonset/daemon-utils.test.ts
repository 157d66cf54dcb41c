import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDaemonTolerations, newDaemonPod, nodeShouldRunDaemonPod, targetNodeName, type DaemonSet, type Node } from './index.js';

function ds(spec: Record<string, unknown> = {}): DaemonSet {
  return { metadata: { name: 'agent', namespace: 'kube-system', uid: 'u' }, spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } } } } as DaemonSet;
}
function node(name: string, o: { labels?: Record<string, string>; taints?: { key: string; effect: string; value?: string }[] } = {}): Node {
  return { metadata: { name, labels: o.labels ?? {} }, spec: { taints: o.taints ?? [] } } as Node;
}

const cases: { name: string; ds: DaemonSet; node: Node; run: boolean; stay: boolean }[] = [
  { name: 'a plain node runs the pod', ds: ds(), node: node('n'), run: true, stay: true },
  { name: 'a nodeSelector mismatch neither runs nor keeps it', ds: ds({ nodeSelector: { disk: 'ssd' } }), node: node('n'), run: false, stay: false },
  { name: 'a nodeSelector match runs it', ds: ds({ nodeSelector: { disk: 'ssd' } }), node: node('n', { labels: { disk: 'ssd' } }), run: true, stay: true },
  {
    name: 'required node affinity is honoured',
    ds: ds({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }] } } } }),
    node: node('n', { labels: { zone: 'a' } }),
    run: false,
    stay: false,
  },
  { name: 'an untolerated NoSchedule taint stops new pods but keeps running ones', ds: ds(), node: node('n', { taints: [{ key: 'k', effect: 'NoSchedule' }] }), run: false, stay: true },
  { name: 'an untolerated NoExecute taint evicts', ds: ds(), node: node('n', { taints: [{ key: 'k', effect: 'NoExecute' }] }), run: false, stay: false },
  { name: 'a tolerated taint is fine', ds: ds({ tolerations: [{ key: 'k', operator: 'Equal', value: 'v', effect: 'NoExecute' }] }), node: node('n', { taints: [{ key: 'k', value: 'v', effect: 'NoExecute' }] }), run: true, stay: true },
  { name: 'daemon pods tolerate an unschedulable node', ds: ds(), node: node('n', { taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }), run: true, stay: true },
  { name: 'daemon pods tolerate a not-ready node', ds: ds(), node: node('n', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }), run: true, stay: true },
  { name: 'network-unavailable is tolerated only with hostNetwork', ds: ds(), node: node('n', { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }), run: false, stay: true },
  { name: 'hostNetwork pods tolerate network-unavailable', ds: ds({ hostNetwork: true }), node: node('n', { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }), run: true, stay: true },
  { name: 'a template nodeName pins the pod to that node', ds: ds({ nodeName: 'other' }), node: node('n'), run: false, stay: false },
];
for (const c of cases) {
  test(c.name, () => assert.deepEqual(nodeShouldRunDaemonPod(c.node, c.ds), { shouldRun: c.run, shouldContinueRunning: c.stay }));
}

test('a daemon pod is placed through a metadata.name node affinity and carries the daemon tolerations and hash label', () => {
  const d = ds({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'x', operator: 'Exists' }] }] } } } });
  d.metadata!.annotations = { 'deprecated.daemonset.template.generation': '2' };
  const pod = newDaemonPod(d, 'node-1', 'abc');
  assert.deepEqual(pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution, { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['node-1'] }] }] });
  assert.equal(targetNodeName(pod), 'node-1');
  assert.equal(pod.metadata?.generateName, 'agent-');
  assert.deepEqual(pod.metadata?.labels, { app: 'a', 'controller-revision-hash': 'abc', 'pod-template-generation': '2' });
  assert.equal(pod.spec?.tolerations?.length, 6);
  assert.equal(pod.spec?.nodeName, undefined);
});

test('daemon tolerations replace a same-key toleration instead of duplicating it', () => {
  const t = addDaemonTolerations([{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }], false);
  assert.equal(t.filter((x) => x.key === 'node.kubernetes.io/not-ready').length, 1);
  assert.equal(t.find((x) => x.key === 'node.kubernetes.io/not-ready')?.tolerationSeconds, undefined);
});
