// `kubectl get pods` columns, with the upstream status-reason logic (Init:0/1, CrashLoopBackOff, Completed, Terminating).
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/index.js';
import type { Printer } from '../../strategy.js';
import { age, ageColumn, column, humanDuration, nameColumn } from '../../printing.js';
import { as, list } from '../shared/index.js';

function restartable(pod: Pod, name: string): boolean {
  return list(pod.spec?.initContainers).some((c) => c.name === name && c.restartPolicy === 'Always');
}

function hasCondition(pod: Pod, type: string): boolean {
  return list(pod.status?.conditions).some((c) => c.type === type && c.status === 'True');
}

function finishedAt(s: ContainerStatus): number {
  const t = s.lastState?.terminated?.finishedAt;
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/** The cells Ready, Status and Restarts of a pod row, computed as kubectl's server-side printer does. */
export function podStatusCells(pod: Pod, now: number): { ready: string; status: string; restarts: string } {
  let restarts = 0;
  let sidecarRestarts = 0;
  let total = list(pod.spec?.containers).length;
  let ready = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;
  const phase = pod.status?.phase ?? '';
  let reason: string = pod.status?.reason || phase;
  for (const c of list(pod.status?.conditions)) if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  for (const c of list(pod.spec?.initContainers)) if (c.restartPolicy === 'Always') total++;

  let initializing = false;
  const inits = list(pod.status?.initContainerStatuses);
  for (let i = 0; i < inits.length; i++) {
    const s = inits[i];
    if (!s) continue;
    restarts += s.restartCount ?? 0;
    lastRestart = Math.max(lastRestart, finishedAt(s));
    const sidecar = restartable(pod, s.name);
    if (sidecar) {
      sidecarRestarts += s.restartCount ?? 0;
      lastSidecarRestart = Math.max(lastSidecarRestart, finishedAt(s));
    }
    const term = s.state?.terminated;
    const waiting = s.state?.waiting;
    if (term && (term.exitCode ?? 0) === 0) continue;
    if (sidecar && s.started) {
      if (s.ready) ready++;
      continue;
    }
    if (term) reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${term.exitCode ?? 0}`;
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${list(pod.spec?.initContainers).length}`;
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(pod, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = list(pod.status?.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const s = statuses[i];
      if (!s) continue;
      restarts += s.restartCount ?? 0;
      lastRestart = Math.max(lastRestart, finishedAt(s));
      const term = s.state?.terminated;
      if (s.state?.waiting?.reason) reason = s.state.waiting.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode ?? 0}`;
      else if (s.ready && s.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    // A pod whose last container completed but which still has one running reads as Running (or NotReady).
    if (reason === 'Completed' && hasRunning) reason = hasCondition(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata?.deletionTimestamp && pod.status?.reason === 'NodeLost') reason = 'Unknown';
  else if (pod.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartsCell = restarts !== 0 && lastRestart !== 0 ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsCell };
}

/** The Pod table printer. */
export const podPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', { description: 'The aggregate readiness state of this pod for accepting traffic.' }),
    column('Status', { description: 'The aggregate status of the containers in this pod.' }),
    column('Restarts', { description: 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.' }),
    ageColumn,
    column('IP', { priority: 1, description: 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.' }),
    column('Node', { priority: 1, description: 'NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the scheduler simply schedules this pod onto that node, assuming that it fits resource requirements.' }),
    column('Nominated Node', { priority: 1, description: 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.' }),
    column('Readiness Gates', { priority: 1, description: 'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates' }),
  ],
  row(obj: KubeObject, ctx) {
    const pod = as<Pod>(obj);
    const { ready, status, restarts } = podStatusCells(pod, ctx.now);
    const gates = list(pod.spec?.readinessGates);
    let readinessGates = '<none>';
    if (gates.length) {
      const trueCount = gates.filter((g) => list(pod.status?.conditions).find((c) => c.type === g.conditionType)?.status === 'True').length;
      readinessGates = `${trueCount}/${gates.length}`;
    }
    return [
      pod.metadata?.name ?? '',
      ready,
      status,
      restarts,
      age(pod.metadata?.creationTimestamp, ctx.now),
      pod.status?.podIPs?.[0]?.ip || '<none>',
      pod.spec?.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      readinessGates,
    ];
  },
};
