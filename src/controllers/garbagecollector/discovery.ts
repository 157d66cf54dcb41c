// Finds every resource the garbage collector follows, through the API's discovery documents.
import type { ApiClient, ResourceRef } from '../../client/index.js';
import { bodyText } from '../../client/index.js';

/** A resource known from discovery, with its kind. */
export interface DiscoveredResource extends ResourceRef {
  kind: string;
  verbs: string[];
}

/** What discovery found: resources to follow (preferred versions) and a kind map over every served version. */
export interface DiscoveryResult {
  /** Resources of each group's preferred version that can be listed, watched and deleted. */
  deletable: DiscoveredResource[];
  /** `apiVersion/kind` → resource, over every served version. */
  byKind: Map<string, DiscoveredResource>;
}

async function getJson(client: ApiClient, path: string, signal: AbortSignal): Promise<unknown> {
  const res = await client.transport({ method: 'GET', path, query: new URLSearchParams(), headers: { accept: 'application/json' }, body: new Uint8Array(), signal });
  const text = await bodyText(res.body);
  if (res.status !== 200) throw new Error(`discovery: GET ${path}: ${res.status}`);
  return JSON.parse(text) as unknown;
}

interface ApiResourceList {
  resources?: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[];
}
interface ApiGroupList {
  groups?: { name: string; versions: { groupVersion: string; version: string }[]; preferredVersion?: { version: string } }[];
}

/** Reads /api/v1, /apis and each group version's resource list (the legacy, unaggregated documents). */
export async function discoverResources(client: ApiClient, signal: AbortSignal): Promise<DiscoveryResult> {
  const versions: { group: string; version: string; preferred: boolean }[] = [{ group: '', version: 'v1', preferred: true }];
  const groups = (await getJson(client, '/apis', signal)) as ApiGroupList;
  for (const g of groups.groups ?? []) {
    const preferred = g.preferredVersion?.version ?? g.versions[0]?.version;
    for (const v of g.versions) versions.push({ group: g.name, version: v.version, preferred: v.version === preferred });
  }
  const lists = await Promise.all(
    versions.map(async (v) => {
      const path = v.group === '' ? '/api/v1' : `/apis/${v.group}/${v.version}`;
      try {
        return { v, list: (await getJson(client, path, signal)) as ApiResourceList };
      } catch {
        return { v, list: {} as ApiResourceList }; // a group version going away while we read: skip it
      }
    }),
  );
  const deletable: DiscoveredResource[] = [];
  const byKind = new Map<string, DiscoveredResource>();
  for (const { v, list } of lists) {
    for (const r of list.resources ?? []) {
      if (r.name.includes('/')) continue;
      const res: DiscoveredResource = { group: v.group, version: v.version, plural: r.name, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs ?? [] };
      byKind.set(`${v.group === '' ? v.version : `${v.group}/${v.version}`}/${r.kind}`, res);
      const verbs = new Set(res.verbs);
      if (v.preferred && verbs.has('list') && verbs.has('watch') && verbs.has('delete')) deletable.push(res);
    }
  }
  return { deletable, byKind };
}
