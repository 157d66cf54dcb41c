// ControllerRevisions, the history StatefulSets and DaemonSets keep of their pod templates: hashing and naming,
// equality, ordering and revision numbers (as pkg/controller/history does).
import type { ControllerRevision as KControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { KubeObject, OwnerReference } from '../../api/index.js';
import { deepEqual } from '../../machinery/index.js';

/** A ControllerRevision as the controllers read and write it. */
export type ControllerRevision = Omit<KControllerRevision, 'metadata' | 'data'> & KubeObject & { data?: unknown; revision: number };

/** The label every revision (and every pod of a StatefulSet or DaemonSet) carries: the revision it belongs to. */
export const controllerRevisionHashLabel = 'controller-revision-hash';

/** The ControllerRevision resource. */
export const controllerRevisionsRef = { group: 'apps', version: 'v1', plural: 'controllerrevisions', namespaced: true } as const;

// The alphabet of rand.SafeEncodeString: no vowels (no words) and no look-alike characters.
const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** Maps every character of `s` onto the safe alphabet (no vowels, no 0/1/3), as Kubernetes' SafeEncodeString. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += safeAlphabet[s.charCodeAt(i) % safeAlphabet.length];
  return out;
}

/** The 32-bit FNV-1a hash of a string's UTF-8 bytes. */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Stable JSON (keys sorted) so that equal objects hash alike whatever order the server wrote their keys in. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** The hash of an object and a collision count, safe-encoded: what revision names and hash labels end with. */
export function computeHash(obj: unknown, collisionCount?: number): string {
  let s = stableJson(obj);
  if (collisionCount !== undefined) s += String(collisionCount);
  return safeEncodeString(String(fnv32a(s)));
}

/** A revision's name: the owner's name (cut to 223 characters) and the hash. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > 223 ? prefix.slice(0, 223) : prefix}-${hash}`;
}

/** The controller reference of an owner (controller and blockOwnerDeletion set), as metav1.NewControllerRef. */
export function controllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata?.name ?? '', uid: owner.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** Options of `newControllerRevision`. */
export interface NewRevisionOptions {
  /** The owner's apiVersion and kind for the controller reference. */
  apiVersion: string;
  kind: string;
  /** The owner's pod template labels: the revision carries them so the owner's selector finds it. */
  templateLabels: Record<string, string> | undefined;
  /** What the revision records (a strategic merge patch replacing spec.template). */
  data: unknown;
  revision: number;
  collisionCount?: number;
  /** Annotations the revision carries (a StatefulSet's revisions copy the set's annotations). */
  annotations?: Record<string, string>;
}

/** A new revision of `parent`, named `<parent>-<hash of data and collision count>` and labelled with that hash. */
export function newControllerRevision(parent: KubeObject, o: NewRevisionOptions): ControllerRevision {
  const hash = computeHash(o.data, o.collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(parent.metadata?.name ?? '', hash),
      namespace: parent.metadata?.namespace ?? '',
      labels: { ...(o.templateLabels ?? {}), [controllerRevisionHashLabel]: hash },
      ...(o.annotations && Object.keys(o.annotations).length > 0 ? { annotations: { ...o.annotations } } : {}),
      ownerReferences: [controllerRef(parent, o.apiVersion, o.kind)],
    },
    data: o.data,
    revision: o.revision,
  };
}

/** The patch a revision records: spec.template replaced as a whole, as kubectl rollout undo applies it. */
export function templatePatch(template: unknown): Record<string, unknown> {
  return { spec: { template: { ...(template as Record<string, unknown>), $patch: 'replace' } } };
}

/** The pod template a revision's patch carries (without the `$patch` directive). */
export function templateOfRevision(rev: ControllerRevision): Record<string, unknown> | undefined {
  const t = (rev.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template;
  if (!t) return undefined;
  const { $patch: _p, ...rest } = t;
  return rest;
}

/** Whether two revisions record the same state. */
export function equalRevision(a: ControllerRevision, b: ControllerRevision): boolean {
  return deepEqual(a.data, b.data);
}

/** The revisions equal to `needle`, in the order given. */
export function findEqualRevisions(revisions: readonly ControllerRevision[], needle: ControllerRevision): ControllerRevision[] {
  return revisions.filter((r) => equalRevision(r, needle));
}

/** Sorts by revision number, then creation time, then name (oldest first), in place. */
export function sortControllerRevisions(revisions: ControllerRevision[]): ControllerRevision[] {
  return revisions.sort((a, b) => {
    if (a.revision !== b.revision) return a.revision - b.revision;
    const ta = a.metadata?.creationTimestamp ?? '';
    const tb = b.metadata?.creationTimestamp ?? '';
    if (ta !== tb) return ta < tb ? -1 : 1;
    const na = a.metadata?.name ?? '';
    const nb = b.metadata?.name ?? '';
    return na < nb ? -1 : na > nb ? 1 : 0;
  });
}

/** The next revision number: one more than the highest (1 for none). */
export function nextRevision(revisions: readonly ControllerRevision[]): number {
  let max = 0;
  for (const r of revisions) if (r.revision > max) max = r.revision;
  return max + 1;
}
