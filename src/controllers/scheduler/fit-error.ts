// Why a pod fits no node, worded as kube-scheduler's FitError ("0/3 nodes are available: 1 Insufficient cpu, 2
// node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 1 No preemption victims
// found for incoming pod, 2 Preemption is not helpful for scheduling.").
import type { Pod, Status } from './types.js';

/** The message when the cluster has no nodes at all (ErrNoNodesAvailable). */
export const noNodesAvailableMessage = 'no nodes available to schedule pods';

/** The outcome of an attempt that found no node: every node's rejection, and the nodes PreFilter ruled out. */
export interface FitError {
  pod: Pod;
  numAllNodes: number;
  /** Rejections of the nodes that were filtered, by node name. */
  statuses: Map<string, Status>;
  /** A PreFilter rejection of every node (its message replaces the per-node histogram). */
  preFilter?: Status;
  /** Nodes never filtered because PreFilter narrowed the candidates, with the plugins that did it. */
  skipped?: { count: number; plugins: string[] };
}

function histogram(counts: Map<string, number>): string {
  const parts: string[] = [];
  for (const [reason, n] of counts) parts.push(`${n} ${reason}`);
  // Go's sort.Strings: byte order of the whole "count reason" text.
  parts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return parts.join(', ');
}

/** The histogram of filter reasons: `0/N nodes are available: ...` (FitError.Error without the preemption part). */
export function filterMessage(e: FitError): string {
  let msg = `0/${e.numAllNodes} nodes are available:`;
  if (e.preFilter) return `${msg} ${e.preFilter.reasons.join(', ')}.`;
  const counts = new Map<string, number>();
  for (const s of e.statuses.values()) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  if (e.skipped && e.skipped.count > 0) counts.set(`node(s) didn't satisfy plugin(s) [${e.skipped.plugins.join(' ')}]`, e.skipped.count);
  if (counts.size) msg += ` ${histogram(counts)}.`;
  return msg;
}

/** The message for nodes absent from the preemption statuses (never tried: preemption could not help there). */
export const preemptionNotHelpful = 'Preemption is not helpful for scheduling';

/**
 * What a failed preemption says: the histogram of the dry run's per-node reasons, every node it did not try
 * counting as "Preemption is not helpful for scheduling".
 */
export function preemptionFailureMessage(numAllNodes: number, statuses: ReadonlyMap<string, Status>): string {
  const counts = new Map<string, number>();
  for (const s of statuses.values()) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const absent = numAllNodes - statuses.size;
  if (absent > 0) counts.set(preemptionNotHelpful, (counts.get(preemptionNotHelpful) ?? 0) + absent);
  let msg = `preemption: 0/${numAllNodes} nodes are available:`;
  if (counts.size) msg += ` ${histogram(counts)}.`;
  return msg;
}

/** The full message of the FailedScheduling event and the PodScheduled condition: filters, then PostFilter's part. */
export function fitErrorMessage(e: FitError, postFilter = ''): string {
  return postFilter ? `${filterMessage(e)} ${postFilter}` : filterMessage(e);
}
