// The kinds kin accepts as protobuf request bodies, and the message each one is encoded as.

/** Kinds per apiVersion, and the table package (`core/v1`, `rbac/v1` …) holding their messages. */
const KINDS: ReadonlyArray<{ apiVersion: string; pkg: string; kinds: readonly string[] }> = [
  { apiVersion: 'v1', pkg: 'core/v1', kinds: ['Namespace', 'ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'ResourceQuota', 'Pod'] },
  { apiVersion: 'apps/v1', pkg: 'apps/v1', kinds: ['Deployment'] },
  { apiVersion: 'batch/v1', pkg: 'batch/v1', kinds: ['Job', 'CronJob'] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', pkg: 'rbac/v1', kinds: ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding'] },
  { apiVersion: 'policy/v1', pkg: 'policy/v1', kinds: ['PodDisruptionBudget', 'Eviction'] },
  { apiVersion: 'scheduling.k8s.io/v1', pkg: 'scheduling/v1', kinds: ['PriorityClass'] },
  { apiVersion: 'networking.k8s.io/v1', pkg: 'networking/v1', kinds: ['Ingress'] },
  { apiVersion: 'autoscaling/v1', pkg: 'autoscaling/v1', kinds: ['HorizontalPodAutoscaler'] },
  { apiVersion: 'autoscaling/v2', pkg: 'autoscaling/v2', kinds: ['HorizontalPodAutoscaler'] },
  { apiVersion: 'authorization.k8s.io/v1', pkg: 'authorization/v1', kinds: ['SelfSubjectAccessReview', 'SelfSubjectRulesReview'] },
  { apiVersion: 'authentication.k8s.io/v1', pkg: 'authentication/v1', kinds: ['SelfSubjectReview', 'TokenRequest'] },
  { apiVersion: 'certificates.k8s.io/v1', pkg: 'certificates/v1', kinds: ['CertificateSigningRequest'] },
];

/** Kinds registered in every group version (as Kubernetes adds them to each), decoded from meta/v1. */
const EVERY_VERSION_KINDS = new Set(['DeleteOptions']);

const BY_KEY = new Map<string, string>();
for (const e of KINDS) for (const k of e.kinds) BY_KEY.set(`${e.apiVersion}/${k}`, `${e.pkg}.${k}`);

/** The qualified message (`apps/v1.Deployment`) a kind is encoded as, or undefined when kin has no table for it. */
export function messageForKind(apiVersion: string, kind: string): string | undefined {
  if (EVERY_VERSION_KINDS.has(kind) && apiVersion !== '') return `meta/v1.${kind}`;
  return BY_KEY.get(`${apiVersion}/${kind}`);
}

/** Every apiVersion/kind pair decodable from protobuf (DeleteOptions stands for any apiVersion). */
export function protobufKinds(): Array<{ apiVersion: string; kind: string; message: string }> {
  const out = KINDS.flatMap((e) => e.kinds.map((kind) => ({ apiVersion: e.apiVersion, kind, message: `${e.pkg}.${kind}` })));
  for (const kind of EVERY_VERSION_KINDS) out.push({ apiVersion: 'meta.k8s.io/v1', kind, message: `meta/v1.${kind}` });
  return out;
}
