// Finds every resource the garbage collector follows, through the API's discovery documents.
import { discover, groupVersionOf, type ApiClient, type ApiResource } from '../../client/index.js';

/** A resource known from discovery, with its kind. */
export type DiscoveredResource = ApiResource;

/** What discovery found: resources to follow (preferred versions) and a kind map over every served version. */
export interface DiscoveryResult {
  /** Resources of each group's preferred version that can be listed, watched and deleted. */
  deletable: DiscoveredResource[];
  /** `apiVersion/kind` → resource, over every served version. */
  byKind: Map<string, DiscoveredResource>;
}

/**
 * Resources the collector never follows, as kube-controller-manager's defaults: Events in both groups (many, short-
 * lived, owned by nothing; following them would cost a graph node and a watch event each).
 */
export const ignoredResources: ReadonlySet<string> = new Set(['/events', 'events.k8s.io/events']);

/** Reads discovery and keeps what the collector needs. */
export async function discoverResources(client: ApiClient, signal: AbortSignal): Promise<DiscoveryResult> {
  const d = await discover(client, signal);
  const deletable: DiscoveredResource[] = [];
  const byKind = new Map<string, DiscoveredResource>();
  for (const r of d.resources) {
    byKind.set(`${groupVersionOf(r)}/${r.kind}`, r);
    const verbs = new Set(r.verbs);
    if (ignoredResources.has(`${r.group}/${r.plural}`)) continue;
    if (r.preferred && verbs.has('list') && verbs.has('watch') && verbs.has('delete')) deletable.push(r);
  }
  return { deletable, byKind };
}
