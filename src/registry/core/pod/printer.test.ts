import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { podPrinter, podStatusCells } from './printer.js';

const now = Date.parse('2024-05-01T12:00:00Z');
const minutesAgo = (m: number) => new Date(now - m * 60_000).toISOString();

function pod(spec: Partial<Pod['spec']>, status: Pod['status'], meta: Pod['metadata'] = {}): Pod {
  return { metadata: { name: 'p', creationTimestamp: minutesAgo(10), ...meta }, spec: { containers: [{ name: 'a', image: 'x' }], ...spec }, status } as Pod;
}

const running = { running: { startedAt: minutesAgo(9) } };

const cases: { name: string; pod: Pod; want: { ready: string; status: string; restarts: string } }[] = [
  { name: 'a new pod is Pending', pod: pod({}, { phase: 'Pending' }), want: { ready: '0/1', status: 'Pending', restarts: '0' } },
  { name: 'a running ready container', pod: pod({}, { phase: 'Running', containerStatuses: [{ name: 'a', ready: true, restartCount: 0, image: 'x', imageID: '', state: running }] }), want: { ready: '1/1', status: 'Running', restarts: '0' } },
  { name: 'a container being created', pod: pod({}, { phase: 'Pending', containerStatuses: [{ name: 'a', ready: false, restartCount: 0, image: 'x', imageID: '', state: { waiting: { reason: 'ContainerCreating' } } }] }), want: { ready: '0/1', status: 'ContainerCreating', restarts: '0' } },
  {
    name: 'a crash-looping container shows restarts with the time of the last one',
    pod: pod({}, { phase: 'Running', containerStatuses: [{ name: 'a', ready: false, restartCount: 3, image: 'x', imageID: '', state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: minutesAgo(5) } } }] }),
    want: { ready: '0/1', status: 'CrashLoopBackOff', restarts: '3 (5m ago)' },
  },
  { name: 'a finished job pod is Completed', pod: pod({}, { phase: 'Succeeded', containerStatuses: [{ name: 'a', ready: false, restartCount: 0, image: 'x', imageID: '', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }), want: { ready: '0/1', status: 'Completed', restarts: '0' } },
  { name: 'a terminated container without reason shows its exit code', pod: pod({}, { phase: 'Failed', containerStatuses: [{ name: 'a', ready: false, restartCount: 0, image: 'x', imageID: '', state: { terminated: { exitCode: 2 } } }] }), want: { ready: '0/1', status: 'ExitCode:2', restarts: '0' } },
  {
    name: 'a pod waiting for its first init container',
    pod: pod({ initContainers: [{ name: 'i', image: 'x' }] }, { phase: 'Pending', initContainerStatuses: [{ name: 'i', ready: false, restartCount: 0, image: 'x', imageID: '', state: { waiting: { reason: 'PodInitializing' } } }] }),
    want: { ready: '0/1', status: 'Init:0/1', restarts: '0' },
  },
  {
    name: 'a failing init container',
    pod: pod({ initContainers: [{ name: 'i', image: 'x' }] }, { phase: 'Pending', initContainerStatuses: [{ name: 'i', ready: false, restartCount: 2, image: 'x', imageID: '', state: { waiting: { reason: 'CrashLoopBackOff' } } }] }),
    want: { ready: '0/1', status: 'Init:CrashLoopBackOff', restarts: '2' },
  },
  {
    name: 'an init container that failed with an error',
    pod: pod({ initContainers: [{ name: 'i', image: 'x' }, { name: 'j', image: 'x' }] }, { phase: 'Pending', initContainerStatuses: [{ name: 'i', ready: false, restartCount: 0, image: 'x', imageID: '', state: { terminated: { exitCode: 0 } } }, { name: 'j', ready: false, restartCount: 0, image: 'x', imageID: '', state: { terminated: { exitCode: 1, reason: 'Error' } } }] }),
    want: { ready: '0/1', status: 'Init:Error', restarts: '0' },
  },
  {
    name: 'a started sidecar counts towards ready containers',
    pod: pod({ initContainers: [{ name: 's', image: 'x', restartPolicy: 'Always' }] }, { phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }], initContainerStatuses: [{ name: 's', ready: true, started: true, restartCount: 0, image: 'x', imageID: '', state: running }], containerStatuses: [{ name: 'a', ready: true, restartCount: 0, image: 'x', imageID: '', state: running }] }),
    want: { ready: '2/2', status: 'Running', restarts: '0' },
  },
  { name: 'a pod being deleted is Terminating', pod: pod({}, { phase: 'Running' }, { deletionTimestamp: minutesAgo(1) }), want: { ready: '0/1', status: 'Terminating', restarts: '0' } },
  { name: 'a deleted pod on a lost node is Unknown', pod: pod({}, { phase: 'Running', reason: 'NodeLost' }, { deletionTimestamp: minutesAgo(1) }), want: { ready: '0/1', status: 'Unknown', restarts: '0' } },
  { name: 'a scheduling-gated pod', pod: pod({}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }), want: { ready: '0/1', status: 'SchedulingGated', restarts: '0' } },
  { name: 'an evicted pod shows the status reason', pod: pod({}, { phase: 'Failed', reason: 'Evicted' }), want: { ready: '0/1', status: 'Evicted', restarts: '0' } },
  {
    name: 'one container completed while another still runs and the pod is not ready',
    pod: pod({ containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'x' }] }, { phase: 'Running', containerStatuses: [{ name: 'a', ready: false, restartCount: 0, image: 'x', imageID: '', state: { terminated: { exitCode: 0, reason: 'Completed' } } }, { name: 'b', ready: true, restartCount: 0, image: 'x', imageID: '', state: running }] }),
    want: { ready: '1/2', status: 'NotReady', restarts: '0' },
  },
];

for (const c of cases) test(`pod status: ${c.name}`, () => assert.deepEqual(podStatusCells(c.pod, now), c.want));

test('the wide columns show IP, node, nominated node and readiness gates or <none>', () => {
  const p = pod({ nodeName: 'n1', readinessGates: [{ conditionType: 'example.com/ready' }] }, { phase: 'Running', podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }], conditions: [{ type: 'example.com/ready', status: 'True' }] });
  assert.deepEqual(podPrinter.row(p as never, { now }), ['p', '0/1', 'Running', '0', '10m', '10.0.0.5', 'n1', '<none>', '1/1']);
  const bare = pod({}, { phase: 'Pending' });
  assert.deepEqual(podPrinter.row(bare as never, { now }).slice(5), ['<none>', '<none>', '<none>', '<none>']);
});

test('pod columns are the ones kubectl shows, wide ones with priority 1', () => {
  assert.deepEqual(podPrinter.columns.map((c) => [c.name, c.type, c.priority]), [
    ['Name', 'string', 0], ['Ready', 'string', 0], ['Status', 'string', 0], ['Restarts', 'string', 0], ['Age', 'string', 0],
    ['IP', 'string', 1], ['Node', 'string', 1], ['Nominated Node', 'string', 1], ['Readiness Gates', 'string', 1],
  ]);
});
