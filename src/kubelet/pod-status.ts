// Pure rules of a pod's status as the kubelet reports it: the phase from its containers, the kubelet's conditions
// with Kubernetes' reasons and messages, and durations printed as Go prints them.
import type { ContainerStatus, Pod, PodCondition, PodSpec, PodStatus } from 'kubernetes-types/core/v1.js';

/** The pod phases. */
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

/** The condition types the kubelet owns (others on a pod, like DisruptionTarget or readiness gates, are kept). */
export const kubeletConditionTypes = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady'] as const;

/** True when an init container is a sidecar (restartPolicy Always): it keeps running beside the app containers. */
export function isSidecar(c: { restartPolicy?: string }): boolean {
  return c.restartPolicy === 'Always';
}

/**
 * The pod phase (the kubelet's getPhase): Pending until the init containers are done and every app container has
 * run; Running while any runs or will restart; once all stopped, Succeeded or Failed by restart policy and exit
 * codes. `terminal` says the pod is being shut down for good (deleted, or past its deadline).
 */
export function podPhase(spec: PodSpec, init: ContainerStatus[], apps: ContainerStatus[], terminal: boolean): PodPhase {
  const policy = spec.restartPolicy ?? 'Always';
  let pendingInit = false;
  for (const [i, s] of init.entries()) {
    const sidecar = isSidecar(spec.initContainers?.[i] ?? {});
    const t = s.state?.terminated;
    if (sidecar) {
      if (!s.started && !terminal) pendingInit = true;
      continue;
    }
    if (t && t.exitCode === 0) continue;
    if (t && policy === 'Never') return 'Failed';
    if (s.lastState?.terminated && policy === 'Never') return 'Failed';
    pendingInit = true;
  }
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of apps) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.lastState?.terminated) stopped++;
    else waiting++;
  }
  if (pendingInit && !terminal) return 'Pending';
  if (terminal && running === 0) {
    if (stopped === 0 && waiting > 0) return 'Failed';
    return stopped === succeeded && waiting === 0 ? 'Succeeded' : 'Failed';
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (policy === 'OnFailure') return stopped === succeeded ? 'Succeeded' : 'Running';
    return stopped === succeeded ? 'Succeeded' : 'Failed';
  }
  return 'Pending';
}

interface CondState {
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

/** The kubelet's conditions of a pod, without transition times (the caller keeps those). */
export function podConditions(spec: PodSpec, init: ContainerStatus[], apps: ContainerStatus[], phase: PodPhase, sandboxReady: boolean): Record<string, CondState> {
  const out: Record<string, CondState> = {};
  out['PodReadyToStartContainers'] = { status: sandboxReady ? 'True' : 'False' };
  // Initialized: every init container finished with 0 (a sidecar: started).
  const incomplete = init
    .filter((s, i) => (isSidecar(spec.initContainers?.[i] ?? {}) ? !s.started && !(phase === 'Succeeded' || phase === 'Failed') : !(s.state?.terminated?.exitCode === 0)))
    .map((s) => s.name);
  if (phase === 'Succeeded' && init.length > 0 && incomplete.length === 0) out['Initialized'] = { status: 'True', reason: 'PodCompleted' };
  else if (incomplete.length === 0) out['Initialized'] = { status: 'True' };
  else out['Initialized'] = { status: 'False', reason: 'ContainersNotInitialized', message: `containers with incomplete status: [${incomplete.join(' ')}]` };
  // ContainersReady and Ready: every app container (and sidecar) ready.
  let ready: CondState;
  if (phase === 'Succeeded') ready = { status: 'False', reason: 'PodCompleted' };
  else {
    const sidecars = init.filter((_, i) => isSidecar(spec.initContainers?.[i] ?? {}));
    const unready = [...sidecars, ...apps].filter((s) => !s.ready).map((s) => s.name);
    ready = unready.length === 0 ? { status: 'True' } : { status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` };
  }
  out['ContainersReady'] = ready;
  out['Ready'] = ready;
  return out;
}

/** Merges the kubelet's conditions into a pod's current ones: others kept, transition times kept when unchanged. */
export function mergeConditions(current: readonly PodCondition[], mine: Record<string, CondState>, now: string): PodCondition[] {
  const out: PodCondition[] = [];
  const seen = new Set<string>();
  const build = (type: string, c: CondState, prev: PodCondition | undefined): PodCondition => {
    const cond: PodCondition = { type, status: c.status, lastProbeTime: null as unknown as string, lastTransitionTime: prev && prev.status === c.status && prev.lastTransitionTime ? prev.lastTransitionTime : now };
    if (c.reason) cond.reason = c.reason;
    if (c.message) cond.message = c.message;
    return cond;
  };
  for (const c of current) {
    const m = mine[c.type];
    if (m) {
      out.push(build(c.type, m, c));
      seen.add(c.type);
    } else out.push(c);
  }
  for (const type of ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady']) {
    if (seen.has(type) || !mine[type]) continue;
    out.push(build(type, mine[type], undefined));
  }
  if (!out.some((c) => c.type === 'PodScheduled')) out.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null as unknown as string, lastTransitionTime: now });
  return out;
}

/** A duration as Go's time.Duration prints it (`10s`, `1m20s`, `5m0s`). */
export function goDuration(ms: number): string {
  let s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return h > 0 ? `${h}h${m}m${s}s` : `${m}m${s}s`;
}

/** The CrashLoopBackOff delay before restart number `n` (0: at once; then 10 s doubling to 5 minutes). */
export function restartDelayMs(n: number): number {
  if (n <= 0) return 0;
  return Math.min(300_000, 10_000 * 2 ** (n - 1));
}

/** Builds the status a kubelet writes for a pod from its containers' statuses and what the node knows of it. */
export function buildPodStatus(o: {
  pod: Pod;
  init: ContainerStatus[];
  apps: ContainerStatus[];
  phase: PodPhase;
  now: string;
  hostIP: string;
  podIP?: string;
  startTime?: string;
  reason?: { reason: string; message: string };
}): PodStatus {
  const spec = o.pod.spec ?? { containers: [] };
  const conds = podConditions(spec, o.init, o.apps, o.phase, o.startTime !== undefined);
  const status: PodStatus = {
    phase: o.phase,
    conditions: mergeConditions(o.pod.status?.conditions ?? [], conds, o.now),
    hostIP: o.hostIP,
    hostIPs: [{ ip: o.hostIP }],
    containerStatuses: o.apps,
  };
  if (o.podIP) {
    status.podIP = o.podIP;
    status.podIPs = [{ ip: o.podIP }];
  }
  if (o.startTime) status.startTime = o.startTime;
  if (o.init.length) status.initContainerStatuses = o.init;
  if (o.reason) {
    status.reason = o.reason.reason;
    status.message = o.reason.message;
  }
  if (o.pod.status?.qosClass) status.qosClass = o.pod.status.qosClass;
  return status;
}

