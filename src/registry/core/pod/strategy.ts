// The Pod strategy (pkg/registry/core/pod/strategy.go): create-time status and admission defaults, update rules.
import type { Pod, PodStatus, Toleration } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { as, coreInfo, isDNS1123Label, keepOldStatus, list, nameIsDNSSubdomain, statusSubresource, type CoreStrategy } from '../shared/index.js';
import { defaultPod, mirrorServiceAccount, normalizePodStatusIPs } from './defaults.js';
import { computePodQOS } from './qos.js';
import { podPrinter } from './printer.js';
import { validatePod, validatePodStatusUpdate, validatePodUpdate } from './validate-pod.js';

// Objects being created: validate() adds the create-only checks for these (the store calls validate on updates too).
const creating = new WeakSet<KubeObject>();

/** Priorities of the built-in priority classes (the Priority admission plugin resolves them). */
const systemPriorities: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };

/**
 * Priority admission: priority 0 and preemptionPolicy PreemptLowerPriority when no class is named (kin has no
 * default PriorityClass); the two system classes resolve to their values. Other classes are left to admission.
 */
export function applyPriorityDefaults(pod: Pod): void {
  const spec = pod.spec;
  if (!spec) return;
  const cls = spec.priorityClassName;
  if (spec.priority === undefined || spec.priority === null) {
    if (!cls) spec.priority = 0;
    else if (cls in systemPriorities) spec.priority = systemPriorities[cls] as number;
  }
  if (!spec.preemptionPolicy && (!cls || cls in systemPriorities)) spec.preemptionPolicy = 'PreemptLowerPriority';
}

/** DefaultTolerationSeconds admission: tolerate not-ready and unreachable nodes for 300s unless the pod says otherwise. */
export function applyDefaultTolerations(pod: Pod): void {
  const spec = pod.spec;
  if (!spec) return;
  const tols = list(spec.tolerations);
  const tolerates = (key: string) => tols.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
  const add: Toleration[] = [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerates(key)) add.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
  if (add.length) spec.tolerations = [...tols, ...add];
}

/** The DNS-label warning on create (a pod name becomes its hostname). */
function podWarnings(obj: KubeObject, old: KubeObject | undefined): string[] {
  if (old) return [];
  const msgs = isDNS1123Label(obj.metadata?.name ?? '');
  return msgs.length ? [`metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [${msgs.join(' ')}]`] : [];
}

/** The Pod strategy. */
export const podStrategy: CoreStrategy = {
  info: coreInfo('Pod'),
  schemaName: 'io.k8s.api.core.v1.Pod',
  nameValidation: nameIsDNSSubdomain,
  // Kubernetes 1.32 (the version kin serves) keeps no metadata.generation on pods; 1.33 started to.
  generation: 'none',
  defaults: (obj) => defaultPod(as<Pod>(obj)),
  prepareForCreate(obj) {
    const pod = as<Pod>(obj);
    // Admission plugins that run on every pod upstream (Priority, DefaultTolerationSeconds); kin applies them here.
    applyPriorityDefaults(pod);
    applyDefaultTolerations(pod);
    const status: PodStatus = { phase: 'Pending', qosClass: computePodQOS(pod) };
    obj['status'] = status;
    if (list(pod.spec?.schedulingGates).length) {
      status.conditions = [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates', lastProbeTime: null as unknown as string, lastTransitionTime: null as unknown as string }];
    }
    creating.add(obj);
  },
  prepareForUpdate(obj, old) {
    keepOldStatus(obj, old);
    // Priority admission set these on create; an update that leaves them out keeps them.
    const spec = as<Pod>(obj).spec;
    const prev = as<Pod>(old).spec;
    if (spec && prev) {
      if ((spec.priority === undefined || spec.priority === null) && prev.priority !== undefined) spec.priority = prev.priority;
      if (!spec.preemptionPolicy && prev.preemptionPolicy) spec.preemptionPolicy = prev.preemptionPolicy;
    }
  },
  validate: (obj) => validatePod(as<Pod>(obj), creating.has(obj)),
  validateUpdate: (obj, old) => validatePodUpdate(as<Pod>(obj), as<Pod>(old)),
  warnings: podWarnings,
  canonicalize(obj) {
    const pod = as<Pod>(obj);
    if (pod.spec) mirrorServiceAccount(pod.spec);
    normalizePodStatusIPs(pod);
  },
  printer: podPrinter,
  selectableFields(obj) {
    const pod = as<Pod>(obj);
    return {
      'spec.nodeName': pod.spec?.nodeName ?? '',
      'spec.restartPolicy': pod.spec?.restartPolicy ?? '',
      'spec.schedulerName': pod.spec?.schedulerName ?? '',
      'spec.serviceAccountName': pod.spec?.serviceAccountName ?? '',
      'spec.hostNetwork': String(pod.spec?.hostNetwork === true),
      'status.phase': pod.status?.phase ?? '',
      'status.podIP': pod.status?.podIPs?.[0]?.ip ?? '',
      // Accepted as a field label upstream but never filled in, so it only ever matches the empty value.
      'status.podIPs': '',
      'status.nominatedNodeName': pod.status?.nominatedNodeName ?? '',
    };
  },
  status: statusSubresource({
    prepare(obj, old) {
      const pod = as<Pod>(obj);
      const prev = as<Pod>(old);
      // Kubelets may not rewrite owner references through pods/status.
      pod.metadata = { ...pod.metadata };
      if (prev.metadata?.ownerReferences) pod.metadata.ownerReferences = structuredClone(prev.metadata.ownerReferences);
      else delete pod.metadata.ownerReferences;
      const status = (obj['status'] ??= {}) as PodStatus & { observedGeneration?: number };
      if (!status.qosClass && prev.status?.qosClass) status.qosClass = prev.status.qosClass;
      const st = status;
      const pst = (prev.status ?? {}) as { observedGeneration?: number };
      if (!st.observedGeneration && pst.observedGeneration) st.observedGeneration = pst.observedGeneration;
      normalizePodStatusIPs(pod);
    },
    validate: (obj, old) => validatePodStatusUpdate(as<Pod>(obj), as<Pod>(old)),
  }),
};
