// Matching a failed pod against a Job's podFailurePolicy: the first rule whose exit codes or pod conditions match
// decides whether the Job fails, the index fails, or the failure is counted or ignored.
import type { PodFailurePolicy, PodFailurePolicyOnExitCodesRequirement } from 'kubernetes-types/batch/v1.js';
import type { ContainerStatus, PodStatus } from 'kubernetes-types/core/v1.js';
import type { Pod } from './types.js';

/** The actions a rule can take. */
export type PodFailurePolicyAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';

/** What the policy says about one failed pod. */
export interface PodFailurePolicyMatch {
  /** The Job's failure message when a FailJob rule matched. */
  failJobMessage?: string;
  /** Whether the failure counts towards backoffLimit (false only for Ignore). */
  countFailed: boolean;
  /** The action of the rule that matched, if any. */
  action?: PodFailurePolicyAction;
}

/** Matches a failed pod against the rules in order; no policy or no matching rule counts the failure. */
export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined | null, pod: Pod): PodFailurePolicyMatch {
  if (!policy) return { countFailed: true };
  const status: PodStatus = pod.status ?? {};
  for (const [index, rule] of (policy.rules ?? []).entries()) {
    const action = rule.action as PodFailurePolicyAction;
    let what: string | undefined;
    if (rule.onExitCodes) {
      const c = matchOnExitCodes(status, rule.onExitCodes);
      if (c) what = `Container ${c.name} for pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} failed with exit code ${c.state?.terminated?.exitCode ?? 0}`;
    } else if (rule.onPodConditions) {
      const cond = (status.conditions ?? []).find((pc) => rule.onPodConditions!.some((p) => p.type === pc.type && (p.status || 'True') === pc.status));
      if (cond) what = `Pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} has condition ${cond.type}`;
    }
    if (what === undefined) continue;
    switch (action) {
      case 'Ignore':
        return { countFailed: false, action };
      case 'Count':
      case 'FailIndex':
        return { countFailed: true, action };
      case 'FailJob':
        return { countFailed: true, action, failJobMessage: `${what} matching ${action} rule at index ${index}` };
      default:
        continue; // an action this version does not know: the rule is skipped
    }
  }
  return { countFailed: true };
}

function matchOnExitCodes(status: PodStatus, req: PodFailurePolicyOnExitCodesRequirement): ContainerStatus | undefined {
  return matchingContainer(status.containerStatuses ?? [], req) ?? matchingContainer(status.initContainerStatuses ?? [], req);
}

function matchingContainer(list: ContainerStatus[], req: PodFailurePolicyOnExitCodesRequirement): ContainerStatus | undefined {
  for (const s of list) {
    const t = s.state?.terminated;
    // A container still terminating has no exit code yet; exit code 0 never matches.
    if (!t || t.exitCode === 0) continue;
    if (req.containerName && req.containerName !== s.name) continue;
    const listed = req.values.includes(t.exitCode);
    if ((req.operator === 'In' && listed) || (req.operator === 'NotIn' && !listed)) return s;
  }
  return undefined;
}
