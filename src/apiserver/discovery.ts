// Discovery documents: aggregated (apidiscovery.k8s.io/v2) on /api and /apis, and the legacy per-group documents.
import type { ResourceInfo } from '../api/index.js';
import { apiVersionOf } from '../api/index.js';

/** One group with its versions in preference order (the first is preferred). */
interface GroupEntry {
  name: string;
  versions: { version: string; resources: ResourceInfo[] }[];
}

/** Groups the resources by group and version, keeping the order in which they were registered. */
export function groupResources(resources: readonly ResourceInfo[]): GroupEntry[] {
  const groups = new Map<string, GroupEntry>();
  for (const r of resources) {
    let g = groups.get(r.group);
    if (!g) groups.set(r.group, (g = { name: r.group, versions: [] }));
    let v = g.versions.find((x) => x.version === r.version);
    if (!v) g.versions.push((v = { version: r.version, resources: [] }));
    v.resources.push(r);
  }
  return [...groups.values()];
}

function aggregatedResource(r: ResourceInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {
    resource: r.plural,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames.length) out['shortNames'] = r.shortNames;
  if (r.categories.length) out['categories'] = r.categories;
  if (r.subresources.length) {
    out['subresources'] = r.subresources.map((s) => ({ subresource: s.name, responseKind: s.kind, verbs: s.verbs }));
  }
  return out;
}

/** The aggregated discovery document for the core group (`/api`) or all other groups (`/apis`). */
export function aggregatedDiscovery(groups: GroupEntry[], version: 'v2' | 'v2beta1'): string {
  return JSON.stringify({
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((g) => ({
      metadata: { name: g.name },
      versions: g.versions.map((v) => ({ version: v.version, resources: v.resources.map(aggregatedResource), freshness: 'Current' })),
    })),
  });
}

/** The content type aggregated discovery must be served with, or kubectl reads it as legacy discovery. */
export function aggregatedContentType(version: 'v2' | 'v2beta1'): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

/** Legacy `/api`: the core versions. */
export function apiVersions(serverAddress: string): string {
  return JSON.stringify({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] });
}

function groupDoc(g: GroupEntry): Record<string, unknown> {
  const versions = g.versions.map((v) => ({ groupVersion: apiVersionOf(g.name, v.version), version: v.version }));
  return { name: g.name, versions, preferredVersion: versions[0] };
}

/** Legacy `/apis`: every non-core group. */
export function apiGroupList(groups: GroupEntry[]): string {
  return JSON.stringify({ kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(groupDoc) });
}

/** Legacy `/apis/<group>`. */
export function apiGroup(g: GroupEntry): string {
  return JSON.stringify({ kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(g) });
}

/** Legacy `/api/v1` or `/apis/<group>/<version>`: the resources of one group version, subresources as `pods/status`. */
export function apiResourceList(group: string, version: string, resources: readonly ResourceInfo[]): string {
  const out: Record<string, unknown>[] = [];
  for (const r of resources) {
    const e: Record<string, unknown> = { name: r.plural, singularName: r.singular, namespaced: r.namespaced, kind: r.kind, verbs: r.verbs };
    if (r.shortNames.length) e['shortNames'] = r.shortNames;
    if (r.categories.length) e['categories'] = r.categories;
    out.push(e);
    for (const s of r.subresources) {
      const se: Record<string, unknown> = { name: `${r.plural}/${s.name}`, singularName: '', namespaced: r.namespaced, kind: s.kind.kind, verbs: s.verbs };
      if (s.kind.group !== group || s.kind.version !== version) {
        se['group'] = s.kind.group;
        se['version'] = s.kind.version;
      }
      out.push(se);
    }
  }
  return JSON.stringify({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(group, version), resources: out });
}
