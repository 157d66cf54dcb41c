// Finds every deletable namespaced resource the API serves, through its discovery documents.
import type { ApiClient, ResourceRef } from '../../client/index.js';
import { bodyText, statusErrorOf } from '../../client/index.js';

/** A discovered resource: where to reach it, and what it is called in messages (`configmaps.`, `widgets.example.com`). */
export interface DiscoveredResource extends ResourceRef {
  /** group/resource as Kubernetes prints a GroupResource. */
  groupResource: string;
}

/** The result of discovery: the resources found, and the groups whose documents could not be read. */
export interface DiscoveryResult {
  resources: DiscoveredResource[];
  failedGroups: Map<string, string>;
}

interface ApiResourceList {
  resources?: { name: string; namespaced: boolean; verbs?: string[] }[];
}
interface ApiGroupList {
  groups?: { name: string; preferredVersion?: { version: string }; versions?: { version: string }[] }[];
}

/** GETs one JSON document from the API server. */
export async function getJson<T>(client: ApiClient, path: string, signal: AbortSignal): Promise<T> {
  const res = await client.transport({ method: 'GET', path, query: new URLSearchParams(), headers: { accept: 'application/json', 'user-agent': 'kin-namespace-controller' }, body: new Uint8Array(), signal });
  const text = await bodyText(res.body);
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (res.status < 200 || res.status >= 300) throw statusErrorOf(res.status, parsed);
  return parsed as T;
}

/** The namespaced resources that can be listed and deleted, in each group's preferred version. */
export async function discoverDeletableResources(client: ApiClient, signal: AbortSignal): Promise<DiscoveryResult> {
  const resources: DiscoveredResource[] = [];
  const failedGroups = new Map<string, string>();
  const versions: { group: string; version: string; path: string }[] = [{ group: '', version: 'v1', path: '/api/v1' }];
  const groups = await getJson<ApiGroupList>(client, '/apis', signal);
  for (const g of groups.groups ?? []) {
    const version = g.preferredVersion?.version ?? g.versions?.[0]?.version;
    if (version) versions.push({ group: g.name, version, path: `/apis/${g.name}/${version}` });
  }
  await Promise.all(
    versions.map(async (v) => {
      try {
        const list = await getJson<ApiResourceList>(client, v.path, signal);
        for (const r of list.resources ?? []) {
          if (r.name.includes('/') || !r.namespaced) continue;
          const verbs = r.verbs ?? [];
          if (!verbs.includes('delete') || !verbs.includes('list')) continue;
          resources.push({ group: v.group, version: v.version, plural: r.name, namespaced: true, groupResource: `${r.name}.${v.group}` });
        }
      } catch (e) {
        failedGroups.set(v.group === '' ? v.version : `${v.group}/${v.version}`, e instanceof Error ? e.message : String(e));
      }
    }),
  );
  resources.sort((a, b) => a.groupResource.localeCompare(b.groupResource));
  return { resources, failedGroups };
}
