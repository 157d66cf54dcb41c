import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cycleState, makeNode, makePod, nodeInfos } from '../testing-support.js';
import { volumeBinding, type ClaimLike, type StorageClassLike, type VolumeLike } from './volume-binding.js';

const classes: Record<string, StorageClassLike> = {
  standard: { metadata: { name: 'standard' }, volumeBindingMode: 'WaitForFirstConsumer' },
  fast: { metadata: { name: 'fast' }, volumeBindingMode: 'Immediate' },
};
const claims: Record<string, ClaimLike> = {
  'default/delayed': { metadata: { name: 'delayed', namespace: 'default' }, spec: { storageClassName: 'standard' } },
  'default/immediate': { metadata: { name: 'immediate', namespace: 'default' }, spec: { storageClassName: 'fast' } },
  'default/bound-n1': { metadata: { name: 'bound-n1', namespace: 'default' }, spec: { storageClassName: 'standard', volumeName: 'pv-n1' }, status: { phase: 'Bound' } },
  'default/bound-any': { metadata: { name: 'bound-any', namespace: 'default' }, spec: { storageClassName: 'fast', volumeName: 'pv-any' }, status: { phase: 'Bound' } },
};
const volumes: Record<string, VolumeLike> = {
  'pv-n1': { metadata: { name: 'pv-n1' }, spec: { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] }] } } } },
  'pv-any': { metadata: { name: 'pv-any' }, spec: {} },
};
const plugin = volumeBinding({ claim: (ns, name) => claims[`${ns}/${name}`], volume: (name) => volumes[name], storageClass: (name) => classes[name] });

const cases: { name: string; claims: string[]; node: string; want: string | undefined }[] = [
  { name: 'a claim that does not exist makes the pod unschedulable', claims: ['missing'], node: 'n1', want: 'persistentvolumeclaim "missing" not found' },
  { name: 'an unbound Immediate claim makes the pod unschedulable', claims: ['immediate'], node: 'n1', want: 'pod has unbound immediate PersistentVolumeClaims' },
  { name: 'an unbound WaitForFirstConsumer claim passes', claims: ['delayed'], node: 'n2', want: undefined },
  { name: 'a bound claim whose volume is pinned to the node passes', claims: ['bound-n1'], node: 'n1', want: undefined },
  { name: 'a bound claim whose volume is pinned elsewhere conflicts', claims: ['bound-n1'], node: 'n2', want: 'node(s) had volume node affinity conflict' },
  { name: 'a volume with no node affinity fits every node', claims: ['bound-any', 'delayed'], node: 'n2', want: undefined },
];

for (const c of cases) {
  test(`VolumeBinding: ${c.name}`, () => {
    const pod = makePod('p', { spec: { volumes: c.claims.map((claimName, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName } })) } });
    const nodes = nodeInfos([makeNode('n1'), makeNode('n2')]);
    const node = nodes.find((n) => n.name === c.node)!;
    const state = cycleState(pod, nodes);
    const pre = plugin.preFilter!(state);
    const status = pre && pre !== 'skip' && 'status' in pre ? pre.status : plugin.filter!(state, node);
    assert.equal(status?.reasons[0], c.want);
    if (c.want) assert.equal(status?.code, 'UnschedulableAndUnresolvable');
  });
}

test('VolumeBinding: a pod without claims skips the plugin', () => {
  assert.equal(plugin.preFilter!(cycleState(makePod('p'))), 'skip');
});
