// Discovery: every resource the API server serves, read from its legacy discovery documents (/api/v1, /apis and
// each group version), and kubectl's way of naming one (`pods`, `pod`, `po`, `Pod`, `deployments.apps`, `deploy.v1.apps`).
import { bodyText, type Transport } from './transport.js';
import { statusErrorOf, type ApiClient, type ResourceRef } from './client.js';

/** One served resource (no subresources) in one group version. */
export interface ApiResource extends ResourceRef {
  kind: string;
  singularName: string;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  /** This is the group's preferred version. */
  preferred: boolean;
}

/** What discovery found, and the group versions whose documents could not be read (`apps/v1` → reason). */
export interface Discovery {
  resources: ApiResource[];
  failed: Map<string, string>;
}

interface ApiResourceList {
  resources?: { name: string; singularName?: string; kind: string; namespaced: boolean; verbs?: string[]; shortNames?: string[]; categories?: string[] }[];
}
interface ApiGroupList {
  groups?: { name: string; versions?: { version: string }[]; preferredVersion?: { version: string } }[];
}

/** GETs one JSON document; a non-2xx answer throws its StatusError. */
export async function getJson<T>(transport: Transport, path: string, signal?: AbortSignal, userAgent = 'kin'): Promise<T> {
  const res = await transport({ method: 'GET', path, query: new URLSearchParams(), headers: { accept: 'application/json', 'user-agent': userAgent }, body: new Uint8Array(), signal: signal ?? new AbortController().signal });
  const text = await bodyText(res.body);
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (res.status < 200 || res.status >= 300) throw statusErrorOf(res.status, parsed);
  return parsed as T;
}

/** Reads every group version's resource list. A group version that fails (going away, an unready aggregate) is reported, not fatal. */
export async function discover(client: ApiClient, signal?: AbortSignal): Promise<Discovery> {
  const versions: { group: string; version: string; preferred: boolean }[] = [{ group: '', version: 'v1', preferred: true }];
  const groups = await getJson<ApiGroupList>(client.transport, '/apis', signal);
  for (const g of groups.groups ?? []) {
    const preferred = g.preferredVersion?.version ?? g.versions?.[0]?.version;
    for (const v of g.versions ?? []) versions.push({ group: g.name, version: v.version, preferred: v.version === preferred });
  }
  const failed = new Map<string, string>();
  const lists = await Promise.all(
    versions.map(async (v) => {
      const gv = v.group === '' ? v.version : `${v.group}/${v.version}`;
      try {
        return { v, list: await getJson<ApiResourceList>(client.transport, v.group === '' ? '/api/v1' : `/apis/${gv}`, signal) };
      } catch (e) {
        failed.set(gv, e instanceof Error ? e.message : String(e));
        return { v, list: {} as ApiResourceList };
      }
    }),
  );
  const resources: ApiResource[] = [];
  for (const { v, list } of lists) {
    for (const r of list.resources ?? []) {
      if (r.name.includes('/')) continue;
      resources.push({
        group: v.group,
        version: v.version,
        plural: r.name,
        namespaced: r.namespaced,
        kind: r.kind,
        singularName: r.singularName || r.kind.toLowerCase(),
        verbs: r.verbs ?? [],
        shortNames: r.shortNames ?? [],
        categories: r.categories ?? [],
        preferred: v.preferred,
      });
    }
  }
  return { resources, failed };
}

/** `group/version` as an apiVersion (`v1` for the core group). */
export function groupVersionOf(r: { group: string; version: string }): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}

/** The resource of an object's `apiVersion` and `kind`, in that exact version. */
export function resourceForKind(d: Discovery, apiVersion: string, kind: string): ApiResource | undefined {
  return d.resources.find((r) => r.kind === kind && groupVersionOf(r) === apiVersion);
}

/**
 * Resolves a resource the way kubectl reads its first argument: a plural, singular, short name or kind (any case),
 * optionally qualified by group (`deployments.apps`) or version and group (`deployments.v1.apps`). The preferred
 * version wins; among groups, the core group and then the built-in ones (as kubectl's priority lists them) win.
 */
export function resolveResource(d: Discovery, name: string): ApiResource | undefined {
  const lower = name.toLowerCase();
  const candidates: { r: ApiResource; rank: number }[] = [];
  for (const r of d.resources) {
    const names = [r.plural, r.singularName, r.kind.toLowerCase(), ...r.shortNames.map((s) => s.toLowerCase())];
    for (const n of names) {
      let rank = -1;
      if (lower === n) rank = r.group === '' ? 0 : r.group.includes('.') && !r.group.endsWith('.k8s.io') ? 2 : 1;
      else if (r.group !== '' && lower === `${n}.${r.group}`) rank = 0;
      else if (lower === `${n}.${r.version}.${r.group}` || (r.group === '' && lower === `${n}.${r.version}`)) rank = 0;
      if (rank >= 0) {
        candidates.push({ r, rank: rank * 2 + (r.preferred ? 0 : 1) });
        break;
      }
    }
  }
  candidates.sort((a, b) => a.rank - b.rank);
  return candidates[0]?.r;
}
