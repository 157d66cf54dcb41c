// What `kin why` reads from the cluster: discovery, and the metadata of every object of the resources it needs,
// each list read once (metadata only: as=PartialObjectMetadataList, so no object bodies cross the wire).
import type { KubeObject, ObjectMeta } from '../../api/index.js';
import { bodyText, discover, getJson, groupVersionOf, isNotFound, resourceForKind, type ApiClient, type ApiResource, type Discovery } from '../../client/index.js';

/** One object as `kin why` sees it: its resource, apiVersion/kind and metadata. */
export interface ObjectInfo {
  resource: ApiResource;
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  /** The whole object, when it was read in full (the object asked about, pods, namespaces). */
  object?: KubeObject;
}

const metadataAccept = 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json';

/** A lazily filled, read-once view of the cluster. */
export class ClusterView {
  private readonly lists = new Map<string, Promise<ObjectInfo[]>>();

  private constructor(
    readonly client: ApiClient,
    readonly discovery: Discovery,
  ) {}

  /** Reads discovery. */
  static async open(client: ApiClient): Promise<ClusterView> {
    return new ClusterView(client, await discover(client));
  }

  /** The resources whose objects can own or depend on others: listable, preferred versions. */
  listable(namespaced?: boolean): ApiResource[] {
    return this.discovery.resources.filter((r) => r.preferred && r.verbs.includes('list') && (namespaced === undefined || r.namespaced === namespaced));
  }

  /** Reads one object in full; undefined when it does not exist. */
  async get(resource: ApiResource, namespace: string | undefined, name: string): Promise<ObjectInfo | undefined> {
    try {
      const obj = await this.client.resource(resource).get(name, resource.namespaced && namespace ? { namespace } : {});
      return { resource, apiVersion: groupVersionOf(resource), kind: resource.kind, metadata: obj.metadata ?? {}, object: obj };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** The metadata of every object of a resource (in one namespace, or all when absent); failures give an empty list. */
  list(resource: ApiResource, namespace?: string): Promise<ObjectInfo[]> {
    const key = `${groupVersionOf(resource)}/${resource.plural}/${namespace ?? ''}`;
    let p = this.lists.get(key);
    if (!p) {
      const base = resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
      const path = resource.namespaced && namespace ? `${base}/namespaces/${namespace}/${resource.plural}` : `${base}/${resource.plural}`;
      p = this.listPath(path, resource).catch(() => []);
      this.lists.set(key, p);
    }
    return p;
  }

  private async listPath(path: string, resource: ApiResource): Promise<ObjectInfo[]> {
    const res = await this.client.transport({
      method: 'GET',
      path,
      query: new URLSearchParams(),
      headers: { accept: metadataAccept, 'user-agent': 'kin-why' },
      body: new Uint8Array(),
      signal: new AbortController().signal,
    });
    const text = await bodyText(res.body);
    if (res.status !== 200) return [];
    const list = JSON.parse(text) as { items?: KubeObject[] };
    return (list.items ?? []).map((o) => ({ resource, apiVersion: groupVersionOf(resource), kind: resource.kind, metadata: o.metadata ?? {} }));
  }

  /** Every object (metadata) that could depend on an owner in `namespace` (cluster-wide for a cluster-scoped owner). */
  async candidatesIn(namespace: string | undefined): Promise<ObjectInfo[]> {
    const resources = namespace ? this.listable(true) : this.listable();
    const lists = await Promise.all(resources.map((r) => this.list(r, namespace)));
    return lists.flat();
  }

  /** The objects (metadata) whose ownerReferences name `uid`. */
  async dependentsOf(owner: ObjectInfo): Promise<ObjectInfo[]> {
    const uid = owner.metadata.uid;
    if (!uid) return [];
    const all = await this.candidatesIn(owner.resource.namespaced ? owner.metadata.namespace : undefined);
    return all.filter((o) => o.metadata.ownerReferences?.some((r) => r.uid === uid));
  }

  /** The resource an owner reference points at. */
  resourceOf(apiVersion: string, kind: string): ApiResource | undefined {
    // An owner reference may name a version no longer served: any served version of the same group and kind will do.
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    return resourceForKind(this.discovery, apiVersion, kind) ?? this.discovery.resources.find((r) => r.kind === kind && r.group === group && r.preferred);
  }

  /** A JSON document from the API (the controller manager's Lease, say). */
  getJson<T>(path: string): Promise<T> {
    return getJson<T>(this.client.transport, path);
  }
}

/** `kind/name` as kubectl prints it: the lower-case resource, qualified by group when not core. */
export function refText(o: { resource: ApiResource; metadata: ObjectMeta }): string {
  const r = o.resource;
  return `${r.group ? `${r.singularName}.${r.group}` : r.singularName}/${o.metadata.name ?? ''}`;
}
