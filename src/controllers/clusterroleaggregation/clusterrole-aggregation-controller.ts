// The ClusterRole aggregation controller: a ClusterRole with an aggregationRule gets as its rules the union of the
// rules of every other ClusterRole its clusterRoleSelectors match (roles in name order, each rule once), written
// with server-side apply as the `clusterrole-aggregation-controller` field manager.
import type { KubeObject } from '../../api/index.js';
import { deepEqual, matchesLabels, tryLabelSelectorFromObject, type LabelSelectorObject } from '../../machinery/index.js';
import { isNotFound, type ApiClient, type ResourceRef } from '../../client/index.js';
import type { Clock, Logger } from '../../util/index.js';
import { Controller, type Lister, type Reconciler, type ReconcileResult, type SharedInformerFactory } from '../runtime/index.js';

/** The field manager of the aggregated rules. */
export const aggregationFieldManager = 'clusterrole-aggregation-controller';

const clusterRoles: ResourceRef = { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterroles', namespaced: false };

/** A ClusterRole as far as aggregation cares. */
export interface ClusterRole extends KubeObject {
  rules?: Record<string, unknown>[] | null;
  aggregationRule?: { clusterRoleSelectors?: LabelSelectorObject[] | null } | null;
}

/**
 * The rules an aggregated role should have: for each selector in order, the matching roles sorted by name (the
 * role itself left out), each of their rules unless an equal one is already taken. An invalid selector matches
 * nothing.
 */
export function aggregatedRules(role: ClusterRole, all: readonly ClusterRole[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const byName = [...all].sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : (a.metadata?.name ?? '') > (b.metadata?.name ?? '') ? 1 : 0));
  for (const ls of role.aggregationRule?.clusterRoleSelectors ?? []) {
    const sel = tryLabelSelectorFromObject(ls);
    if (typeof sel === 'string') continue;
    for (const other of byName) {
      if (other.metadata?.name === role.metadata?.name || !matchesLabels(sel, other.metadata?.labels)) continue;
      for (const rule of other.rules ?? []) if (!out.some((r) => deepEqual(r, rule))) out.push(rule);
    }
  }
  return out;
}

/** Brings one aggregated ClusterRole's rules up to date (key: its name). */
export class ClusterRoleAggregationReconciler implements Reconciler {
  constructor(
    private readonly client: ApiClient,
    private readonly roles: Lister<ClusterRole>,
  ) {}

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const role = this.roles.get(key);
    if (!role?.aggregationRule) return;
    const rules = aggregatedRules(role, this.roles.list());
    // Empty and absent rules are the same (as Kubernetes' semantic equality has it).
    if (deepEqual(rules, role.rules ?? [])) return;
    const patch = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: key }, rules };
    try {
      await this.client.resource(clusterRoles).patch(key, 'apply', patch, { fieldManager: aggregationFieldManager, force: true, signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

/** Builds the controller: any ClusterRole change re-checks every aggregated ClusterRole. */
export function newClusterRoleAggregationController(factory: SharedInformerFactory, opts: { client: ApiClient; clock?: Clock; logger?: Logger }): Controller {
  const informer = factory.informerFor<ClusterRole>(clusterRoles);
  const c = new Controller({
    name: 'clusterrole-aggregation',
    reconciler: new ClusterRoleAggregationReconciler(opts.client, informer.store),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  c.watch(informer, () => informer.store.list().filter((r) => r.aggregationRule).map((r) => r.metadata?.name ?? ''));
  return c;
}
