// The service accounts controller: every namespace that is not terminating has the `default` ServiceAccount.
import type { KubeObject } from '../../api/index.js';
import { isAlreadyExists, isNotFound, type ApiClient, type ResourceRef } from '../../client/index.js';
import type { Clock, Logger } from '../../util/index.js';
import { Controller, type Reconciler, type ReconcileResult, type SharedInformerFactory } from '../runtime/index.js';

/** The ServiceAccount every namespace gets. */
export const defaultServiceAccountName = 'default';

const namespaces: ResourceRef = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };
const serviceAccounts: ResourceRef = { group: '', version: 'v1', plural: 'serviceaccounts', namespaced: true };

/** Ensures the `default` ServiceAccount of one namespace (key: the namespace's name). */
export class ServiceAccountsReconciler implements Reconciler {
  constructor(private readonly client: ApiClient) {}

  async reconcile(name: string, signal: AbortSignal): Promise<ReconcileResult> {
    let ns: KubeObject;
    try {
      ns = await this.client.resource(namespaces).get(name, { signal });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (ns.metadata?.deletionTimestamp || (ns['status'] as { phase?: string } | undefined)?.phase === 'Terminating') return;
    const sas = this.client.resource(serviceAccounts);
    try {
      await sas.get(defaultServiceAccountName, { namespace: name, signal });
      return;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    try {
      await sas.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: defaultServiceAccountName, namespace: name } }, { signal });
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
  }
}

/** Builds the service accounts controller: namespaces, and `default` ServiceAccounts (a deleted one comes back). */
export function newServiceAccountsController(factory: SharedInformerFactory, opts: { client: ApiClient; clock?: Clock; logger?: Logger }): Controller {
  const c = new Controller({ name: 'serviceaccount', reconciler: new ServiceAccountsReconciler(opts.client), ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.logger ? { logger: opts.logger } : {}) });
  c.watch(factory.informerFor(namespaces));
  c.watch(factory.informerFor(serviceAccounts, { fieldSelector: `metadata.name=${defaultServiceAccountName}` }), (sa) => [sa.metadata?.namespace ?? '']);
  return c;
}
