// The RBAC objects every Kubernetes 1.32 cluster starts with: the user-facing roles (cluster-admin, admin, edit,
// view and the aggregated pieces they are built from), the system:* roles of the control-plane components and
// the system:controller:* roles of the controllers, with their ClusterRoleBindings, and the few Roles and
// RoleBindings of kube-system and kube-public. The API server creates the
// missing ones at start-up; the data mirrors Kubernetes' bootstrap policy, written down in kin's own shorthand.
import type { KubeObject } from '../api/index.js';

/** The label every bootstrap RBAC object carries. */
export const bootstrappingLabel = { 'kubernetes.io/bootstrapping': 'rbac-defaults' } as const;
/** The annotation telling the API server it may reconcile the object on start-up. */
export const autoupdateAnnotation = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } as const;

/** One PolicyRule. */
export interface PolicyRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

const list = (s: string): string[] => (s === '' ? [''] : s.split(','));
/** A resource rule: verbs, API groups and resources as comma-separated lists (`''` is the core group). */
const r = (verbs: string, groups: string, resources: string, names?: string): PolicyRule => {
  const rule: PolicyRule = { apiGroups: list(groups), resources: list(resources), verbs: list(verbs) };
  if (names) rule.resourceNames = list(names);
  return rule;
};
/** A non-resource rule. */
const nr = (verbs: string, urls: string): PolicyRule => ({ nonResourceURLs: list(urls), verbs: list(verbs) });

const read = 'get,list,watch';
const write = 'create,delete,deletecollection,patch,update';
const rw = 'create,delete,deletecollection,get,list,patch,update,watch';
/** Recording events, which almost every component does. */
const events = r('create,patch,update', ',events.k8s.io', 'events');

interface RoleSpec {
  rules?: PolicyRule[];
  labels?: Record<string, string>;
  /** Labels of the roles whose rules this one aggregates. */
  aggregateFrom?: Record<string, string>[];
}

const aggregateTo = (role: string): Record<string, string> => ({ [`rbac.authorization.k8s.io/aggregate-to-${role}`]: 'true' });

/** The cluster roles, by name. */
const clusterRoles: Record<string, RoleSpec> = {
  'cluster-admin': { rules: [r('*', '*', '*'), nr('*', '*')] },
  admin: { aggregateFrom: [aggregateTo('admin')] },
  edit: { labels: aggregateTo('admin'), aggregateFrom: [aggregateTo('edit')] },
  view: { labels: aggregateTo('edit'), aggregateFrom: [aggregateTo('view')] },
  'system:aggregate-to-admin': {
    labels: aggregateTo('admin'),
    rules: [r('create', 'authorization.k8s.io', 'localsubjectaccessreviews'), r(rw, 'rbac.authorization.k8s.io', 'rolebindings,roles')],
  },
  'system:aggregate-to-edit': {
    labels: aggregateTo('edit'),
    rules: [
      r(read, '', 'pods/attach,pods/exec,pods/portforward,pods/proxy,secrets,services/proxy'),
      r('impersonate', '', 'serviceaccounts'),
      r(write, '', 'pods,pods/attach,pods/exec,pods/portforward,pods/proxy'),
      r('create', '', 'pods/eviction'),
      r(write, '', 'configmaps,events,persistentvolumeclaims,replicationcontrollers,replicationcontrollers/scale,secrets,serviceaccounts,services,services/proxy'),
      r('create', '', 'serviceaccounts/token'),
      r(write, 'apps', 'daemonsets,deployments,deployments/rollback,deployments/scale,replicasets,replicasets/scale,statefulsets,statefulsets/scale'),
      r(write, 'autoscaling', 'horizontalpodautoscalers'),
      r(write, 'batch', 'cronjobs,jobs'),
      r(write, 'extensions', 'daemonsets,deployments,deployments/rollback,deployments/scale,ingresses,networkpolicies,replicasets,replicasets/scale,replicationcontrollers/scale'),
      r(write, 'policy', 'poddisruptionbudgets'),
      r(write, 'networking.k8s.io', 'ingresses,networkpolicies'),
      r(rw, 'coordination.k8s.io', 'leases'),
    ],
  },
  'system:aggregate-to-view': {
    labels: aggregateTo('view'),
    rules: [
      r(read, '', 'configmaps,endpoints,persistentvolumeclaims,persistentvolumeclaims/status,pods,replicationcontrollers,replicationcontrollers/scale,serviceaccounts,services,services/status'),
      r(read, '', 'bindings,events,limitranges,namespaces/status,pods/log,pods/status,replicationcontrollers/status,resourcequotas,resourcequotas/status'),
      r(read, '', 'namespaces'),
      r(read, 'discovery.k8s.io', 'endpointslices'),
      r(read, 'apps', 'controllerrevisions,daemonsets,daemonsets/status,deployments,deployments/scale,deployments/status,replicasets,replicasets/scale,replicasets/status,statefulsets,statefulsets/scale,statefulsets/status'),
      r(read, 'autoscaling', 'horizontalpodautoscalers,horizontalpodautoscalers/status'),
      r(read, 'batch', 'cronjobs,cronjobs/status,jobs,jobs/status'),
      r(read, 'extensions', 'daemonsets,daemonsets/status,deployments,deployments/scale,deployments/status,ingresses,ingresses/status,networkpolicies,replicasets,replicasets/scale,replicasets/status,replicationcontrollers/scale'),
      r(read, 'policy', 'poddisruptionbudgets,poddisruptionbudgets/status'),
      r(read, 'networking.k8s.io', 'ingresses,ingresses/status,networkpolicies'),
    ],
  },
  'system:auth-delegator': { rules: [r('create', 'authentication.k8s.io', 'tokenreviews'), r('create', 'authorization.k8s.io', 'subjectaccessreviews')] },
  'system:basic-user': { rules: [r('create', 'authorization.k8s.io', 'selfsubjectaccessreviews,selfsubjectrulesreviews'), r('create', 'authentication.k8s.io', 'selfsubjectreviews')] },
  'system:certificates.k8s.io:certificatesigningrequests:nodeclient': { rules: [r('create', 'certificates.k8s.io', 'certificatesigningrequests/nodeclient')] },
  'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient': { rules: [r('create', 'certificates.k8s.io', 'certificatesigningrequests/selfnodeclient')] },
  'system:certificates.k8s.io:kube-apiserver-client-approver': { rules: [r('approve', 'certificates.k8s.io', 'signers', 'kubernetes.io/kube-apiserver-client')] },
  'system:certificates.k8s.io:kube-apiserver-client-kubelet-approver': { rules: [r('approve', 'certificates.k8s.io', 'signers', 'kubernetes.io/kube-apiserver-client-kubelet')] },
  'system:certificates.k8s.io:kubelet-serving-approver': { rules: [r('approve', 'certificates.k8s.io', 'signers', 'kubernetes.io/kubelet-serving')] },
  'system:certificates.k8s.io:legacy-unknown-approver': { rules: [r('approve', 'certificates.k8s.io', 'signers', 'kubernetes.io/legacy-unknown')] },
  'system:discovery': { rules: [nr('get', '/api,/api/*,/apis,/apis/*,/healthz,/livez,/openapi,/openapi/*,/readyz,/version,/version/')] },
  'system:heapster': { rules: [r(read, '', 'events,namespaces,nodes,pods'), r(read, 'extensions', 'deployments')] },
  'system:kube-aggregator': { rules: [r(read, '', 'endpoints,services')] },
  'system:kube-controller-manager': {
    rules: [
      events,
      r('create', 'coordination.k8s.io', 'leases'),
      r('get,update', 'coordination.k8s.io', 'leases', 'kube-controller-manager'),
      r('create', '', 'secrets,serviceaccounts'),
      r('delete', '', 'secrets'),
      r('get', '', 'configmaps,namespaces,secrets,serviceaccounts'),
      r('update', '', 'secrets,serviceaccounts'),
      r('create', 'authentication.k8s.io', 'tokenreviews'),
      r('create', 'authorization.k8s.io', 'subjectaccessreviews'),
      r('list,watch', '*', '*'),
      r('create', '', 'serviceaccounts/token'),
    ],
  },
  'system:kube-dns': { rules: [r('list,watch', '', 'endpoints,services')] },
  'system:kube-scheduler': {
    rules: [
      events,
      r('create', 'coordination.k8s.io', 'leases'),
      r('get,update', 'coordination.k8s.io', 'leases', 'kube-scheduler'),
      r(read, '', 'nodes'),
      r('delete,get,list,watch', '', 'pods'),
      r('create', '', 'bindings,pods/binding'),
      r('patch,update', '', 'pods/status'),
      r(read, '', 'replicationcontrollers,services'),
      r(read, 'apps,extensions', 'replicasets'),
      r(read, 'apps', 'statefulsets'),
      r(read, 'policy', 'poddisruptionbudgets'),
      r(read, '', 'persistentvolumeclaims,persistentvolumes'),
      r('create', 'authentication.k8s.io', 'tokenreviews'),
      r('create', 'authorization.k8s.io', 'subjectaccessreviews'),
      r(read, 'storage.k8s.io', 'csinodes'),
      r(read, '', 'namespaces'),
      r(read, 'storage.k8s.io', 'csidrivers'),
      r(read, 'storage.k8s.io', 'csistoragecapacities'),
    ],
  },
  'system:kubelet-api-admin': { rules: [r(read, '', 'nodes'), r('proxy', '', 'nodes'), r('*', '', 'nodes/log,nodes/metrics,nodes/proxy,nodes/stats')] },
  'system:monitoring': { rules: [nr('get', '/healthz,/healthz/*,/livez,/livez/*,/metrics,/metrics/slis,/readyz,/readyz/*')] },
  'system:node': {
    rules: [
      r('create', 'authentication.k8s.io', 'tokenreviews'),
      r('create', 'authorization.k8s.io', 'localsubjectaccessreviews,subjectaccessreviews'),
      r(read, '', 'services'),
      r('create,get,list,watch', '', 'nodes'),
      r('patch,update', '', 'nodes/status'),
      r('patch,update', '', 'nodes'),
      r('create,patch,update', '', 'events'),
      r(read, '', 'pods'),
      r('create,delete', '', 'pods'),
      r('patch,update', '', 'pods/status'),
      r('create', '', 'pods/eviction'),
      r(read, '', 'configmaps,secrets'),
      r('get', '', 'persistentvolumeclaims,persistentvolumes'),
      r('get', '', 'endpoints'),
      r('create,get,list,watch', 'certificates.k8s.io', 'certificatesigningrequests'),
      r('create,delete,get,patch,update', 'coordination.k8s.io', 'leases'),
      r('get', 'storage.k8s.io', 'volumeattachments'),
      r('create', '', 'serviceaccounts/token'),
      r('get,patch,update', '', 'persistentvolumeclaims/status'),
      r(read, 'storage.k8s.io', 'csidrivers'),
      r('create,delete,get,patch,update', 'storage.k8s.io', 'csinodes'),
      r(read, 'node.k8s.io', 'runtimeclasses'),
    ],
  },
  'system:node-bootstrapper': { rules: [r('create,get,list,watch', 'certificates.k8s.io', 'certificatesigningrequests')] },
  'system:node-problem-detector': { rules: [r('get', '', 'nodes'), r('patch', '', 'nodes/status'), events] },
  'system:node-proxier': { rules: [r('list,watch', '', 'endpoints,services'), r(read, '', 'nodes'), events, r('list,watch', 'discovery.k8s.io', 'endpointslices')] },
  'system:persistent-volume-provisioner': {
    rules: [r('create,delete,get,list,watch', '', 'persistentvolumes'), r('get,list,update,watch', '', 'persistentvolumeclaims'), r(read, 'storage.k8s.io', 'storageclasses'), r('watch', '', 'events'), events],
  },
  'system:public-info-viewer': { rules: [nr('get', '/healthz,/livez,/readyz,/version,/version/')] },
  'system:service-account-issuer-discovery': { rules: [nr('get', '/.well-known/openid-configuration,/openid/v1/jwks')] },
  'system:volume-scheduler': { rules: [r('get,list,patch,update,watch', '', 'persistentvolumes'), r(read, 'storage.k8s.io', 'storageclasses'), r('get,list,patch,update,watch', '', 'persistentvolumeclaims')] },
};

/** The roles of the controllers (`system:controller:<name>`, bound to the service account kube-system/<name>). */
const controllerRoles: Record<string, PolicyRule[]> = {
  'clusterrole-aggregation-controller': [r('escalate,get,list,patch,update,watch', 'rbac.authorization.k8s.io', 'clusterroles')],
  'cronjob-controller': [
    r('get,list,update,watch', 'batch', 'cronjobs'),
    r('create,delete,get,list,patch,update,watch', 'batch', 'jobs'),
    r('update', 'batch', 'cronjobs/status'),
    r('update', 'batch', 'cronjobs/finalizers'),
    r('delete,list,watch', '', 'pods'),
    events,
  ],
  'daemon-set-controller': [
    r(read, 'apps,extensions', 'daemonsets'),
    r('update', 'apps,extensions', 'daemonsets/status'),
    r('update', 'apps,extensions', 'daemonsets/finalizers'),
    r('list,watch', '', 'nodes'),
    r('create,delete,list,patch,watch', '', 'pods'),
    r('create', '', 'pods/binding'),
    r('create,delete,get,list,patch,update,watch', 'apps', 'controllerrevisions'),
    events,
  ],
  'deployment-controller': [
    r('get,list,update,watch', 'apps,extensions', 'deployments'),
    r('update', 'apps,extensions', 'deployments/status'),
    r('update', 'apps,extensions', 'deployments/finalizers'),
    r('create,delete,get,list,patch,update,watch', 'apps,extensions', 'replicasets'),
    r('get,list,update,watch', '', 'pods'),
    events,
  ],
  'endpoint-controller': [
    r(read, '', 'pods,services'),
    r('create,delete,get,list,update,watch', '', 'endpoints'),
    r('create', '', 'endpoints/restricted'),
    events,
  ],
  'endpointslice-controller': [
    r(read, '', 'nodes,pods,services'),
    r('update', '', 'services/finalizers'),
    r('create,delete,get,list,update,watch', 'discovery.k8s.io', 'endpointslices'),
    events,
  ],
  'generic-garbage-collector': [r('delete,get,list,patch,update,watch', '*', '*'), events],
  'job-controller': [
    r('get,list,patch,update,watch', 'batch', 'jobs'),
    r('update', 'batch', 'jobs/status'),
    r('update', 'batch', 'jobs/finalizers'),
    r('create,delete,list,patch,watch', '', 'pods'),
    events,
  ],
  'namespace-controller': [r('delete,get,list,watch', '', 'namespaces'), r('update', '', 'namespaces/finalize,namespaces/status'), r('delete,deletecollection,get,list,watch', '*', '*')],
  'node-controller': [
    r('delete,get,list,patch,update,watch', '', 'nodes'),
    r('patch,update', '', 'nodes/status'),
    r('patch,update', '', 'pods/status'),
    r('delete,get,list,watch', '', 'pods'),
    events,
  ],
  'pv-protection-controller': [r('get,list,update,watch', '', 'persistentvolumes'), events],
  'pvc-protection-controller': [r('get,list,update,watch', '', 'persistentvolumeclaims'), r('update', '', 'persistentvolumeclaims/status'), r(read, '', 'pods'), events],
  'replicaset-controller': [
    r('get,list,update,watch', 'apps,extensions', 'replicasets'),
    r('update', 'apps,extensions', 'replicasets/status'),
    r('update', 'apps,extensions', 'replicasets/finalizers'),
    r('create,delete,list,patch,watch', '', 'pods'),
    events,
  ],
  'replication-controller': [
    r('get,list,update,watch', '', 'replicationcontrollers'),
    r('update', '', 'replicationcontrollers/status'),
    r('update', '', 'replicationcontrollers/finalizers'),
    r('create,delete,list,patch,watch', '', 'pods'),
    events,
  ],
  'root-ca-cert-publisher': [r('create,update', '', 'configmaps'), events],
  'service-account-controller': [r('create', '', 'serviceaccounts'), events],
  'statefulset-controller': [
    r('list,watch', '', 'pods'),
    r(read, 'apps', 'statefulsets'),
    r('update', 'apps', 'statefulsets/status'),
    r('update', 'apps', 'statefulsets/finalizers'),
    r('create,delete,get,patch,update', '', 'pods'),
    r('create,delete,get,list,patch,update,watch', 'apps', 'controllerrevisions'),
    r('create,get,list,watch', '', 'persistentvolumeclaims'),
    r('delete,update', '', 'persistentvolumeclaims'),
    r('update', '', 'pods/finalizers'),
    events,
  ],
  'ttl-after-finished-controller': [r('delete,get,list,watch', 'batch', 'jobs'), events],
};

/** The namespaced Roles, by namespace and name. */
const namespaceRoles: Record<string, Record<string, PolicyRule[]>> = {
  'kube-public': {
    'system:controller:bootstrap-signer': [r(read, '', 'configmaps'), r('update', '', 'configmaps', 'cluster-info'), events],
  },
  'kube-system': {
    'extension-apiserver-authentication-reader': [r(read, '', 'configmaps', 'extension-apiserver-authentication')],
    'system::leader-locking-kube-controller-manager': [r('create,get,list,update,watch', 'coordination.k8s.io', 'leases'), r('create,get,list,update,watch', 'coordination.k8s.io', 'leasecandidates')],
    'system::leader-locking-kube-scheduler': [r('create,get,list,update,watch', 'coordination.k8s.io', 'leases'), r('create,get,list,update,watch', 'coordination.k8s.io', 'leasecandidates')],
    'system:controller:bootstrap-signer': [r(read, '', 'secrets')],
    'system:controller:cloud-provider': [r('create,get,list,watch', '', 'configmaps')],
    'system:controller:token-cleaner': [r('delete,get,list,watch', '', 'secrets'), events],
  },
};

type Subject = { kind: 'Group' | 'User'; name: string } | { kind: 'ServiceAccount'; name: string; namespace: string };
const group = (name: string): Subject => ({ kind: 'Group', name });
const user = (name: string): Subject => ({ kind: 'User', name });

/** The ClusterRoleBindings of the system roles (each binding has its role's name). */
const clusterRoleBindings: Record<string, Subject[]> = {
  'cluster-admin': [group('system:masters')],
  'system:basic-user': [group('system:authenticated')],
  'system:discovery': [group('system:authenticated')],
  'system:kube-controller-manager': [user('system:kube-controller-manager')],
  'system:kube-dns': [{ kind: 'ServiceAccount', name: 'kube-dns', namespace: 'kube-system' }],
  'system:kube-scheduler': [user('system:kube-scheduler')],
  'system:monitoring': [group('system:monitoring')],
  'system:node': [],
  'system:node-proxier': [user('system:kube-proxy')],
  'system:public-info-viewer': [group('system:authenticated'), group('system:unauthenticated')],
  'system:service-account-issuer-discovery': [group('system:serviceaccounts')],
  'system:volume-scheduler': [user('system:kube-scheduler')],
};

const sa = (name: string): Subject => ({ kind: 'ServiceAccount', name, namespace: 'kube-system' });

/** The namespaced RoleBindings: namespace → name → [role, subjects]. */
const namespaceRoleBindings: Record<string, Record<string, [string, Subject[]]>> = {
  'kube-public': {
    'system:controller:bootstrap-signer': ['system:controller:bootstrap-signer', [sa('bootstrap-signer')]],
  },
  'kube-system': {
    'system::extension-apiserver-authentication-reader': ['extension-apiserver-authentication-reader', [user('system:kube-controller-manager'), user('system:kube-scheduler')]],
    'system::leader-locking-kube-controller-manager': ['system::leader-locking-kube-controller-manager', [user('system:kube-controller-manager'), sa('kube-controller-manager'), sa('leader-election-controller')]],
    'system::leader-locking-kube-scheduler': ['system::leader-locking-kube-scheduler', [user('system:kube-scheduler'), sa('kube-scheduler')]],
    'system:controller:bootstrap-signer': ['system:controller:bootstrap-signer', [sa('bootstrap-signer')]],
    'system:controller:cloud-provider': ['system:controller:cloud-provider', [sa('cloud-provider')]],
    'system:controller:token-cleaner': ['system:controller:token-cleaner', [sa('token-cleaner')]],
  },
};

const meta = (name: string, labels?: Record<string, string>) => ({
  name,
  labels: { ...bootstrappingLabel, ...labels },
  annotations: { ...autoupdateAnnotation },
});

function clusterRole(name: string, spec: RoleSpec): KubeObject {
  const o: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta(name, spec.labels) };
  if (spec.aggregateFrom) o['aggregationRule'] = { clusterRoleSelectors: spec.aggregateFrom.map((matchLabels) => ({ matchLabels })) };
  if (spec.rules) o['rules'] = spec.rules;
  return o;
}

function binding(name: string, subjects: Subject[], ns?: { namespace: string; role: string }): KubeObject {
  const o: KubeObject = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: ns ? 'RoleBinding' : 'ClusterRoleBinding',
    metadata: ns ? { ...meta(name), namespace: ns.namespace } : meta(name),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: ns ? 'Role' : 'ClusterRole', name: ns ? ns.role : name },
  };
  if (subjects.length) o['subjects'] = subjects.map((s) => (s.kind === 'ServiceAccount' ? { ...s } : { apiGroup: 'rbac.authorization.k8s.io', ...s }));
  return o;
}

/** Every bootstrap ClusterRole, fresh objects on each call (callers may change them). */
export function bootstrapClusterRoles(): KubeObject[] {
  const out = Object.entries(clusterRoles).map(([name, spec]) => clusterRole(name, spec));
  for (const [name, rules] of Object.entries(controllerRoles)) out.push(clusterRole(`system:controller:${name}`, { rules }));
  return structuredClone(out);
}

/** Every bootstrap ClusterRoleBinding, fresh objects on each call. */
export function bootstrapClusterRoleBindings(): KubeObject[] {
  const out = Object.entries(clusterRoleBindings).map(([name, subjects]) => binding(name, subjects));
  for (const name of Object.keys(controllerRoles)) {
    out.push(binding(`system:controller:${name}`, [{ kind: 'ServiceAccount', name, namespace: 'kube-system' }]));
  }
  return structuredClone(out);
}

/** Every bootstrap Role (in kube-system and kube-public), fresh objects on each call. */
export function bootstrapRoles(): KubeObject[] {
  const out: KubeObject[] = [];
  for (const [namespace, roles] of Object.entries(namespaceRoles)) {
    for (const [name, rules] of Object.entries(roles)) out.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { ...meta(name), namespace }, rules });
  }
  return structuredClone(out);
}

/** Every bootstrap RoleBinding, fresh objects on each call. */
export function bootstrapRoleBindings(): KubeObject[] {
  const out: KubeObject[] = [];
  for (const [namespace, bindings] of Object.entries(namespaceRoleBindings)) {
    for (const [name, [role, subjects]] of Object.entries(bindings)) out.push(binding(name, subjects, { namespace, role }));
  }
  return structuredClone(out);
}
