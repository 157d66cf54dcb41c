// Server-side apply next to client-side apply, as kube-apiserver's field manager does it for `kubectl apply`:
// an object last applied client-side (it has the last-applied-configuration annotation) can be applied
// server-side by kubectl without conflicts on the fields it applied before, and every server-side apply by
// kubectl keeps that annotation in step, so going back to client-side apply still sees what was applied last.
import type { KubeObject } from '../../api/index.js';
import { compare } from './compare.js';
import type { Conflict } from './conflicts.js';
import { FieldSet } from './field-set.js';
import type { SsaType } from './ssa-type.js';
import { fieldSet } from './to-field-set.js';

/** The annotation client-side apply records the applied configuration in. */
export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

/** The only field manager whose applies take part (kubectl's default for `apply --server-side`). */
export const kubectlApplyManager = 'kubectl';

/** Kubernetes' limit on the total size of an object's annotations (keys and values), in bytes. */
export const totalAnnotationSizeLimit = 256 * 1024;

/** Go's encoding/json escaping of a string (HTML-safe: <, >, & and U+2028/2029 escaped). */
function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** JSON as Go encodes a decoded object: map keys in byte order, HTML-safe strings, no spaces. */
export function goJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
  return `{${keys.map((k) => `${goString(k)}:${goJson(o[k])}`).join(',')}}`;
}

/** The annotation value for an applied configuration: its JSON (the annotation itself left out) and a newline. */
export function buildLastApplied(applied: KubeObject): string {
  const annotations = applied.metadata?.annotations;
  if (annotations && lastAppliedAnnotation in annotations) {
    const { [lastAppliedAnnotation]: _, ...rest } = annotations;
    applied = { ...applied, metadata: { ...applied.metadata, annotations: rest } };
  }
  return goJson(applied) + '\n';
}

/** True when the object carries a last-applied annotation. */
export function hasLastApplied(obj: KubeObject | undefined): boolean {
  return obj?.metadata?.annotations?.[lastAppliedAnnotation] !== undefined;
}

/**
 * After a server-side apply by kubectl: when the resulting object still has the annotation (it was managed by
 * client-side apply), its value becomes the configuration just applied. Should the annotations grow past their
 * size limit, the annotation is dropped instead. Returns the object to store (`obj` unchanged otherwise).
 */
export function updateLastApplied(obj: KubeObject, applied: KubeObject, manager: string): KubeObject {
  if (manager !== kubectlApplyManager || !hasLastApplied(obj)) return obj;
  const annotations: Record<string, string> = { ...obj.metadata!.annotations!, [lastAppliedAnnotation]: buildLastApplied(applied) };
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) size += Buffer.byteLength(k) + Buffer.byteLength(v);
  if (size > totalAnnotationSizeLimit) delete annotations[lastAppliedAnnotation];
  return { ...obj, metadata: { ...obj.metadata, annotations } };
}

/**
 * The fields kubectl may take over from their current owners when it applies server-side an object it applied
 * client-side before: those of the last-applied configuration whose values the live object still has. Undefined
 * when there is no usable annotation.
 */
export function allowedConflictsFromLastApplied(live: KubeObject | undefined, type: SsaType): FieldSet | undefined {
  const text = live?.metadata?.annotations?.[lastAppliedAnnotation];
  if (!text) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (last === null || typeof last !== 'object' || Array.isArray(last)) return undefined;
  try {
    const c = compare(last, live, type);
    return fieldSet(last, type).difference(c.modified).difference(c.added).difference(c.removed);
  } catch {
    return undefined;
  }
}

/** The conflicts that remain once those in `allowed` are forgiven. */
export function conflictsOutside(conflicts: readonly Conflict[], allowed: FieldSet): Conflict[] {
  return conflicts.filter((c) => !allowed.has(c.path));
}
