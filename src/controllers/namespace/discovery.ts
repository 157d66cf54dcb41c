// Finds every deletable namespaced resource the API serves, through its discovery documents.
import { discover, type ApiClient, type ResourceRef } from '../../client/index.js';

/** A discovered resource: where to reach it, and what it is called in messages (`configmaps.`, `widgets.example.com`). */
export interface DiscoveredResource extends ResourceRef {
  /** group/resource as Kubernetes prints a GroupResource. */
  groupResource: string;
}

/** The result of discovery: the resources found, and the group versions whose documents could not be read. */
export interface DiscoveryResult {
  resources: DiscoveredResource[];
  failedGroups: Map<string, string>;
}

/** The namespaced resources that can be listed and deleted, in each group's preferred version. */
export async function discoverDeletableResources(client: ApiClient, signal: AbortSignal): Promise<DiscoveryResult> {
  const d = await discover(client, signal);
  const resources: DiscoveredResource[] = [];
  for (const r of d.resources) {
    if (!r.preferred || !r.namespaced || !r.verbs.includes('delete') || !r.verbs.includes('list')) continue;
    resources.push({ group: r.group, version: r.version, plural: r.plural, namespaced: true, groupResource: `${r.plural}.${r.group}` });
  }
  resources.sort((a, b) => a.groupResource.localeCompare(b.groupResource));
  return { resources, failedGroups: d.failed };
}
