// The finalizers kin's own parts remove: which component handles each, so tools can tell a finalizer that will
// go away from one that nothing in the cluster will ever remove.
import { foregroundDeletionFinalizer, orphanFinalizer } from './garbagecollector/index.js';
import { kubernetesFinalizer } from './namespace/index.js';
import { pvcProtectionFinalizer } from './volume/pvcprotection/index.js';
import { pvProtectionFinalizer } from './volume/pvprotection/index.js';

/** Who removes a finalizer: a controller of the controller manager, or the API server itself. */
export interface FinalizerHandler {
  /** The component: `garbage-collector`, `namespace`, ... or `kube-apiserver`. */
  component: string;
  /** Runs in the controller manager (alive only while it holds its Lease) rather than in the API server. */
  controllerManager: boolean;
  /** What must be true before it removes the finalizer, in plain words (reads after "once"). */
  waitsFor: string;
}

/** Every finalizer a kin component handles, by name. */
export const knownFinalizers: ReadonlyMap<string, FinalizerHandler> = new Map<string, FinalizerHandler>([
  [foregroundDeletionFinalizer, { component: 'garbage-collector', controllerManager: true, waitsFor: 'its dependents with blockOwnerDeletion=true are deleted' }],
  [orphanFinalizer, { component: 'garbage-collector', controllerManager: true, waitsFor: 'the ownerReferences to it are removed from its dependents' }],
  [kubernetesFinalizer, { component: 'namespace', controllerManager: true, waitsFor: 'everything in the namespace is deleted' }],
  [pvcProtectionFinalizer, { component: 'persistentvolumeclaim-protection', controllerManager: true, waitsFor: 'no pod uses the claim' }],
  [pvProtectionFinalizer, { component: 'persistentvolume-protection', controllerManager: true, waitsFor: 'the volume is no longer bound to a claim' }],
  ['batch.kubernetes.io/job-tracking', { component: 'job', controllerManager: true, waitsFor: 'the Job controller has counted the pod in the status of its Job' }],
  ['service.kubernetes.io/load-balancer-cleanup', { component: 'service-lb', controllerManager: true, waitsFor: 'the load balancer address is released' }],
  ['customresourcecleanup.apiextensions.k8s.io', { component: 'kube-apiserver', controllerManager: false, waitsFor: 'every custom resource of the definition is deleted' }],
]);
