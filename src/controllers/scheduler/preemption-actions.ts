// The API side of preemption (kube-scheduler's prepareCandidate and PreemptPod): each victim gets the
// DisruptionTarget condition, is deleted with its own grace period and gets a Preempted event; pods of lower priority
// nominated to the chosen node lose their nomination.
import { isNotFound, type ApiClient, type ResourceRef } from '../../client/index.js';
import { rfc3339, type Clock, type Logger } from '../../util/index.js';
import { keyOf, type EventRecorder } from '../runtime/index.js';
import type { Candidate } from './preemption.js';
import type { Pod } from './types.js';

const podsRef: ResourceRef = { group: '', version: 'v1', plural: 'pods', namespaced: true };

/** The reason of the DisruptionTarget condition the scheduler puts on its victims (PodReasonPreemptionByScheduler). */
export const preemptionByScheduler = 'PreemptionByScheduler';

/** What the API side of preemption writes with. */
export interface PreemptionActionsOptions {
  client: ApiClient;
  recorder: EventRecorder;
  clock: Clock;
  logger: Logger;
}

/** The DisruptionTarget condition of a victim; message `<scheduler name>: preempting to accommodate a higher priority pod`. */
export function disruptionTargetCondition(preemptor: Pod, now: number): Record<string, unknown> {
  return {
    type: 'DisruptionTarget',
    status: 'True',
    reason: preemptionByScheduler,
    message: `${preemptor.spec?.schedulerName || 'default-scheduler'}: preempting to accommodate a higher priority pod`,
    lastProbeTime: null,
    lastTransitionTime: rfc3339(now),
  };
}

/** The message of the Preempted event on a victim. */
export function preemptedMessage(preemptor: Pod, node: string): string {
  return `Preempted by pod ${preemptor.metadata?.uid ?? ''} on node ${node}`;
}

/**
 * Preempts one victim (PreemptPod): adds the DisruptionTarget condition unless it says so already, deletes the pod
 * (its own grace period) and records a Preempted event. A victim already gone counts as preempted.
 */
export async function preemptPod(o: PreemptionActionsOptions, preemptor: Pod, victim: Pod, node: string): Promise<void> {
  const pods = o.client.resource<Pod>(podsRef);
  const ns = victim.metadata?.namespace ?? '';
  const name = victim.metadata?.name ?? '';
  const cond = disruptionTargetCondition(preemptor, o.clock.now());
  const prev = victim.status?.conditions?.find((c) => c.type === 'DisruptionTarget');
  try {
    if (!prev || prev.status !== cond['status'] || prev.reason !== cond['reason'] || prev.message !== cond['message']) {
      await pods.patch(name, 'strategic', { status: { conditions: [cond] } }, { namespace: ns, subresource: 'status' });
    }
    await pods.delete(name, { namespace: ns });
  } catch (e) {
    if (isNotFound(e)) return;
    throw e;
  }
  o.recorder.event(victim, 'Normal', 'Preempted', preemptedMessage(preemptor, node));
}

/**
 * Preempts every victim of a candidate; rejects with the first error (the others still run). A victim whose graceful
 * deletion has already started is left as it is.
 */
export async function preemptVictims(o: PreemptionActionsOptions, preemptor: Pod, candidate: Candidate): Promise<void> {
  const victims = candidate.victims.filter((v) => !v.metadata?.deletionTimestamp);
  const results = await Promise.allSettled(victims.map((v) => preemptPod(o, preemptor, v, candidate.node)));
  for (const r of results) if (r.status === 'rejected') throw r.reason;
}

/**
 * Clears status.nominatedNodeName of pods nominated by the scheduler (ClearNominatedNodeName). The pods come from
 * the scheduler's own nominations, whose status write may not show in their objects yet: each gets the patch.
 * Failures are only logged.
 */
export async function clearNominatedNodeName(o: PreemptionActionsOptions, pods: readonly Pod[]): Promise<void> {
  const client = o.client.resource<Pod>(podsRef);
  await Promise.all(
    pods.map(async (p) => {
      try {
        await client.patch(p.metadata?.name ?? '', 'strategic', { status: { nominatedNodeName: null } }, { namespace: p.metadata?.namespace ?? '', subresource: 'status' });
      } catch (e) {
        if (!isNotFound(e)) o.logger.warn('could not clear the nominated node', { pod: keyOf(p), error: e instanceof Error ? e.message : String(e) });
      }
    }),
  );
}
