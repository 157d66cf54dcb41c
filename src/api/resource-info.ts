// What the API serves for one resource: names, scope, verbs and subresources, as discovery reports them.

/** The verbs a resource can support, in the order discovery lists them. */
export type Verb = 'create' | 'delete' | 'deletecollection' | 'get' | 'list' | 'patch' | 'update' | 'watch';

/** A subresource such as `status` or `scale`. */
export interface SubresourceInfo {
  name: string;
  /** The kind served at the subresource; `scale` serves autoscaling/v1 Scale. */
  kind: { group: string; version: string; kind: string };
  verbs: Verb[];
}

/** Static description of one served resource (one group/version/plural). */
export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  /** Lower-case plural, the URL segment: `pods`. */
  plural: string;
  /** Lower-case singular: `pod`. */
  singular: string;
  namespaced: boolean;
  listKind: string;
  shortNames: string[];
  categories: string[];
  verbs: Verb[];
  subresources: SubresourceInfo[];
}

/** Every verb a normal stored resource supports. */
export const allVerbs: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
