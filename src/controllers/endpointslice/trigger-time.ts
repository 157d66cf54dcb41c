// When the change behind an Endpoints or EndpointSlice write happened (the
// `endpoints.kubernetes.io/last-change-trigger-time` annotation), tracked per Service across syncs.
import type { Pod, Service } from './types.js';
import { podCondition } from './pod-endpoints.js';

/** The annotation naming the time of the change that led to a write. */
export const lastChangeTriggerTimeAnnotation = 'endpoints.kubernetes.io/last-change-trigger-time';

interface ServiceState {
  pods: Map<string, number>;
  service: number;
}

/** Milliseconds of an RFC 3339 time, 0 when absent or unreadable. */
function ms(t: string | undefined | null): number {
  const v = t ? Date.parse(t) : NaN;
  return Number.isNaN(v) ? 0 : v;
}

/** Go's RFC3339Nano rendering of a time in UTC (fraction without trailing zeros). */
export function rfc3339Nano(t: number): string {
  const iso = new Date(t).toISOString();
  const [head, frac] = iso.slice(0, -1).split('.');
  const f = (frac ?? '').replace(/0+$/, '');
  return `${head}${f ? `.${f}` : ''}Z`;
}

/**
 * Remembers, per Service, the trigger times seen at its last sync: a pod's is its Ready condition's
 * lastTransitionTime, a Service's its creationTimestamp. A sync's trigger time is the earliest of those that
 * changed since (the Service's creation on its first sync); 0 when none changed.
 */
export class TriggerTimeTracker {
  private readonly states = new Map<string, ServiceState>();

  /** The trigger time (ms) of a sync of `svc` over `pods`, recording them as seen. */
  compute(svc: Service, pods: readonly Pod[]): number {
    const key = `${svc.metadata?.namespace ?? ''}/${svc.metadata?.name ?? ''}`;
    const prev = this.states.get(key);
    const next: ServiceState = { pods: new Map(), service: ms(svc.metadata?.creationTimestamp) };
    let min = 0;
    const consider = (t: number) => {
      if (t > 0 && (min === 0 || t < min)) min = t;
    };
    for (const pod of pods) {
      const t = ms(podCondition(pod, 'Ready')?.lastTransitionTime);
      if (t === 0) continue;
      next.pods.set(pod.metadata?.name ?? '', t);
      if (t > (prev?.pods.get(pod.metadata?.name ?? '') ?? 0)) consider(t);
    }
    if (next.service > (prev?.service ?? 0)) consider(next.service);
    this.states.set(key, next);
    return prev ? min : next.service;
  }

  /** Forgets a deleted Service. */
  forget(namespace: string, name: string): void {
    this.states.delete(`${namespace}/${name}`);
  }
}
