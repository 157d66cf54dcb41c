// The root CA certificate publisher: every namespace that is not terminating has the `kube-root-ca.crt` ConfigMap
// holding the cluster CA under `ca.crt`.
import type { KubeObject } from '../../api/index.js';
import { isAlreadyExists, isNotFound, type ApiClient, type ResourceRef } from '../../client/index.js';
import type { Clock, Logger } from '../../util/index.js';
import { Controller, type Reconciler, type ReconcileResult, type SharedInformerFactory } from '../runtime/index.js';

/** The ConfigMap's name. */
export const rootCaConfigMapName = 'kube-root-ca.crt';

/** The annotation Kubernetes puts on the ConfigMap. */
export const rootCaDescription =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

const namespaces: ResourceRef = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };
const configMaps: ResourceRef = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };

/** Options of the publisher. */
export interface RootCaPublisherOptions {
  client: ApiClient;
  /** The cluster CA certificate, PEM. */
  caCertPem: string;
  clock?: Clock;
  logger?: Logger;
}

/** Ensures the `kube-root-ca.crt` ConfigMap of one namespace (key: the namespace's name). */
export class RootCaPublisherReconciler implements Reconciler {
  constructor(private readonly options: RootCaPublisherOptions) {}

  async reconcile(name: string, signal: AbortSignal): Promise<ReconcileResult> {
    const client = this.options.client;
    let ns: KubeObject;
    try {
      ns = await client.resource(namespaces).get(name, { signal });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (ns.metadata?.deletionTimestamp || (ns['status'] as { phase?: string } | undefined)?.phase === 'Terminating') return;
    const cms = client.resource(configMaps);
    const data = { 'ca.crt': this.options.caCertPem };
    let cm: KubeObject;
    try {
      cm = await cms.get(rootCaConfigMapName, { namespace: name, signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
      try {
        await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: rootCaConfigMapName, namespace: name, annotations: { 'kubernetes.io/description': rootCaDescription } }, data }, { signal });
      } catch (e2) {
        if (!isAlreadyExists(e2)) throw e2;
      }
      return;
    }
    const cur = cm['data'] as Record<string, string> | undefined;
    const annotated = cm.metadata?.annotations?.['kubernetes.io/description'] === rootCaDescription;
    if (cur && Object.keys(cur).length === 1 && cur['ca.crt'] === this.options.caCertPem && annotated) return;
    const next: KubeObject = { ...cm, metadata: { ...cm.metadata, annotations: { ...cm.metadata?.annotations, 'kubernetes.io/description': rootCaDescription } }, data };
    await cms.update(next, { signal });
  }
}

/** Builds the publisher: namespaces, and the `kube-root-ca.crt` ConfigMaps (changed or deleted ones are put back). */
export function newRootCaPublisher(factory: SharedInformerFactory, opts: RootCaPublisherOptions): Controller {
  const c = new Controller({ name: 'root-ca-cert-publisher', reconciler: new RootCaPublisherReconciler(opts), ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.logger ? { logger: opts.logger } : {}) });
  c.watch(factory.informerFor(namespaces));
  c.watch(factory.informerFor(configMaps, { fieldSelector: `metadata.name=${rootCaConfigMapName}` }), (cm) => [cm.metadata?.namespace ?? '']);
  return c;
}
