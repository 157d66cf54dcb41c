// The built-in resources kin serves, as discovery describes them (names, scope, short names, categories).
import { allVerbs, type ResourceInfo, type SubresourceInfo, type Verb } from './resource-info.js';

interface Entry {
  kind: string;
  plural?: string;
  short?: string[];
  cat?: string[];
  cluster?: boolean;
  sub?: ('status' | 'scale' | 'token' | 'binding')[];
  verbs?: Verb[];
}

const scaleKind = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
const tokenRequestKind = { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' };
const bindingKind = { group: '', version: 'v1', kind: 'Binding' };
/** Verbs of resources served without deletecollection (namespaces; services in Kubernetes 1.32). */
const noDeleteCollection: Verb[] = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

function build(group: string, version: string, entries: Entry[]): ResourceInfo[] {
  return entries.map((e) => {
    const plural = e.plural ?? e.kind.toLowerCase() + 's';
    const self = { group, version, kind: e.kind };
    const subresources: SubresourceInfo[] = (e.sub ?? []).map((s) =>
      s === 'status'
        ? { name: 'status', kind: self, verbs: ['get', 'patch', 'update'] as Verb[] }
        : s === 'token'
          ? { name: 'token', kind: tokenRequestKind, verbs: ['create'] as Verb[] }
          : s === 'binding'
            ? { name: 'binding', kind: bindingKind, verbs: ['create'] as Verb[] }
            : { name: 'scale', kind: scaleKind, verbs: ['get', 'patch', 'update'] as Verb[] },
    );
    return {
      group,
      version,
      kind: e.kind,
      plural,
      singular: e.kind.toLowerCase(),
      namespaced: !e.cluster,
      listKind: e.kind + 'List',
      shortNames: e.short ?? [],
      categories: e.cat ?? [],
      verbs: e.verbs ?? allVerbs,
      subresources,
    };
  });
}

const all = ['all'];
const ext = ['api-extensions'];

/** Every built-in resource, grouped by group/version; within a group the first version is the preferred one. */
export const builtinResources: ResourceInfo[] = [
  ...build('', 'v1', [
    { kind: 'Namespace', short: ['ns'], cluster: true, sub: ['status'], verbs: noDeleteCollection },
    { kind: 'Pod', short: ['po'], cat: all, sub: ['binding', 'status'] },
    { kind: 'Service', short: ['svc'], cat: all, sub: ['status'], verbs: noDeleteCollection },
    { kind: 'ConfigMap', short: ['cm'] },
    { kind: 'Secret' },
    { kind: 'ServiceAccount', short: ['sa'], sub: ['token'] },
    { kind: 'Node', short: ['no'], cluster: true, sub: ['status'] },
    { kind: 'Event', short: ['ev'] },
    { kind: 'Endpoints', plural: 'endpoints', short: ['ep'] },
    { kind: 'PersistentVolume', short: ['pv'], cluster: true, sub: ['status'] },
    { kind: 'PersistentVolumeClaim', short: ['pvc'], sub: ['status'] },
    { kind: 'LimitRange', short: ['limits'] },
    { kind: 'ResourceQuota', short: ['quota'], sub: ['status'] },
    { kind: 'ReplicationController', short: ['rc'], cat: all, sub: ['status', 'scale'] },
    { kind: 'PodTemplate' },
  ]),
  ...build('apps', 'v1', [
    { kind: 'Deployment', short: ['deploy'], cat: all, sub: ['status', 'scale'] },
    { kind: 'ReplicaSet', short: ['rs'], cat: all, sub: ['status', 'scale'] },
    { kind: 'StatefulSet', short: ['sts'], cat: all, sub: ['status', 'scale'] },
    { kind: 'DaemonSet', short: ['ds'], cat: all, sub: ['status'] },
    { kind: 'ControllerRevision' },
  ]),
  ...build('batch', 'v1', [
    { kind: 'Job', cat: all, sub: ['status'] },
    { kind: 'CronJob', short: ['cj'], cat: all, sub: ['status'] },
  ]),
  ...build('networking.k8s.io', 'v1', [
    { kind: 'Ingress', plural: 'ingresses', short: ['ing'], sub: ['status'] },
    { kind: 'IngressClass', plural: 'ingressclasses', cluster: true },
    { kind: 'NetworkPolicy', plural: 'networkpolicies', short: ['netpol'] },
  ]),
  ...build('discovery.k8s.io', 'v1', [{ kind: 'EndpointSlice' }]),
  ...build('coordination.k8s.io', 'v1', [{ kind: 'Lease' }]),
  ...build('events.k8s.io', 'v1', [{ kind: 'Event', short: ['ev'] }]),
  ...build('rbac.authorization.k8s.io', 'v1', [
    { kind: 'Role' },
    { kind: 'RoleBinding' },
    { kind: 'ClusterRole', cluster: true },
    { kind: 'ClusterRoleBinding', cluster: true },
  ]),
  ...build('storage.k8s.io', 'v1', [{ kind: 'StorageClass', plural: 'storageclasses', short: ['sc'], cluster: true }]),
  ...build('policy', 'v1', [{ kind: 'PodDisruptionBudget', short: ['pdb'], sub: ['status'] }]),
  ...build('autoscaling', 'v2', [{ kind: 'HorizontalPodAutoscaler', short: ['hpa'], cat: all, sub: ['status'] }]),
  ...build('autoscaling', 'v1', [{ kind: 'HorizontalPodAutoscaler', short: ['hpa'], cat: all, sub: ['status'] }]),
  ...build('scheduling.k8s.io', 'v1', [{ kind: 'PriorityClass', plural: 'priorityclasses', short: ['pc'], cluster: true }]),
  ...build('admissionregistration.k8s.io', 'v1', [
    { kind: 'MutatingWebhookConfiguration', cat: ext, cluster: true },
    { kind: 'ValidatingWebhookConfiguration', cat: ext, cluster: true },
    { kind: 'ValidatingAdmissionPolicy', plural: 'validatingadmissionpolicies', cat: ext, cluster: true, sub: ['status'] },
    { kind: 'ValidatingAdmissionPolicyBinding', cat: ext, cluster: true },
  ]),
];

/** The storage version of a resource served in several versions (the others are converted). */
export const storageVersions: Record<string, string> = {
  'autoscaling/horizontalpodautoscalers': 'v2',
};
