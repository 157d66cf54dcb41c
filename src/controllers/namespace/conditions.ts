// The conditions a terminating namespace carries: what failed and what is left, in Kubernetes' words.
/** One namespace condition. */
export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** The condition types of namespace deletion, in the order they are written. */
export const deletionConditionTypes = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

const okReasons: Record<string, string> = {
  NamespaceDeletionDiscoveryFailure: 'ResourcesDiscovered',
  NamespaceDeletionGroupVersionParsingFailure: 'ParsedGroupVersions',
  NamespaceDeletionContentFailure: 'ContentDeleted',
  NamespaceContentRemaining: 'ContentRemoved',
  NamespaceFinalizersRemaining: 'ContentHasNoFinalizers',
};
const okMessages: Record<string, string> = {
  NamespaceDeletionDiscoveryFailure: 'All resources successfully discovered',
  NamespaceDeletionGroupVersionParsingFailure: 'All legacy kube types successfully parsed',
  NamespaceDeletionContentFailure: 'All content successfully deleted, may be waiting on finalization',
  NamespaceContentRemaining: 'All content successfully removed',
  NamespaceFinalizersRemaining: 'All content-preserving finalizers finished',
};

/** What one pass over a namespace's content found. */
export interface DeletionOutcome {
  /** Groups whose discovery failed, with their errors. */
  discoveryFailures: Map<string, string>;
  /** Errors deleting content. */
  deleteErrors: string[];
  /** Objects still there, by `resource.group`. */
  remainingByResource: Map<string, number>;
  /** Objects still there holding each finalizer. */
  remainingByFinalizer: Map<string, number>;
}

/** The failing conditions an outcome calls for (those not listed are fine). */
export function failingConditions(o: DeletionOutcome): NamespaceCondition[] {
  const out: NamespaceCondition[] = [];
  if (o.discoveryFailures.size > 0) {
    const entries = [...o.discoveryFailures].sort(([a], [b]) => a.localeCompare(b)).map(([g, e]) => `${g}:${e}`);
    out.push({ type: 'NamespaceDeletionDiscoveryFailure', status: 'True', reason: 'DiscoveryFailed', message: `Discovery failed for some groups, ${o.discoveryFailures.size} failing: map[${entries.join(' ')}]` });
  }
  if (o.deleteErrors.length > 0) {
    out.push({ type: 'NamespaceDeletionContentFailure', status: 'True', reason: 'ContentDeletionFailed', message: `Failed to delete all resource types, ${o.deleteErrors.length} remaining: [${o.deleteErrors.join(' ')}]` });
  }
  if (o.remainingByResource.size > 0) {
    const parts = [...o.remainingByResource].map(([r, n]) => `${r} has ${n} resource instances`).sort();
    out.push({ type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${parts.join(', ')}` });
  }
  if (o.remainingByFinalizer.size > 0) {
    const parts = [...o.remainingByFinalizer].map(([f, n]) => `${f} in ${n} resource instances`).sort();
    out.push({ type: 'NamespaceFinalizersRemaining', status: 'True', reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${parts.join(', ')}` });
  }
  return out;
}

/**
 * The namespace's conditions after a pass: every deletion condition present (failing or fine), others kept,
 * lastTransitionTime kept when a condition's status did not change.
 */
export function mergeConditions(existing: NamespaceCondition[] | undefined, failing: NamespaceCondition[], now: string): NamespaceCondition[] {
  const old = new Map((existing ?? []).map((c) => [c.type, c]));
  const failingByType = new Map(failing.map((c) => [c.type, c]));
  const out: NamespaceCondition[] = (existing ?? []).filter((c) => !(deletionConditionTypes as readonly string[]).includes(c.type));
  for (const type of deletionConditionTypes) {
    const next = failingByType.get(type) ?? { type, status: 'False' as const, reason: okReasons[type]!, message: okMessages[type]! };
    const prev = old.get(type);
    out.push({ type: next.type, status: next.status, lastTransitionTime: prev && prev.status === next.status && prev.lastTransitionTime ? prev.lastTransitionTime : now, ...(next.reason ? { reason: next.reason } : {}), ...(next.message ? { message: next.message } : {}) });
  }
  return out;
}
