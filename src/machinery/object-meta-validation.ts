// Validation of metadata shared by every kind, on create and on update: names, namespace by scope, labels,
// annotations, owner references, finalizers, managed fields and the fields an update may not change.
// Mirrors Kubernetes' ObjectMeta validation, including the extra finalizer rule of the built-in API groups.
import type { ManagedFieldsEntry, ObjectMeta, OwnerReference } from '../api/index.js';
import { child, fieldError, index, FieldErrorType, type FieldError } from './field-errors.js';
import { byteLength, validateNamespaceName, type NameValidator } from './names.js';
import { isQualifiedName, validateAnnotations, validateLabels } from './validation.js';

/** Kubernetes' message for a changed immutable field. */
export const fieldImmutableErrorMsg = 'field is immutable';
/** Finalizers that may be written without a domain prefix. */
export const standardFinalizers: readonly string[] = ['kubernetes', 'orphan', 'foregroundDeletion'];
/** Maximum length of a field manager name. */
export const fieldManagerMaxLength = 128;
/** Maximum length of a subresource name in managed fields. */
export const maxSubresourceNameLength = 256;

/** How to validate metadata on create. */
export interface ObjectMetaOptions {
  /** Namespaced kinds need metadata.namespace; cluster-scoped kinds may not have one. */
  namespaced: boolean;
  /** The kind's rule for metadata.name and metadata.generateName. */
  nameValidator: NameValidator;
  /** The field path of the metadata, `metadata` by default. */
  path?: string;
  /**
   * Built-in kinds also refuse a finalizer without `/` unless it is a standard one (`kubernetes`, `orphan`,
   * `foregroundDeletion`): true by default. Custom resources pass false and report finalizerWarnings instead.
   */
  strictFinalizerNames?: boolean;
}

/** How to validate metadata on update. */
export interface ObjectMetaUpdateOptions {
  path?: string;
  strictFinalizerNames?: boolean;
}

// An Invalid error whose value Go prints without quotes or in Go syntax; field errors quote strings as JSON,
// so the value goes into the detail where it reads the same.
function invalidPrinted(path: string, printed: string, detail: string): FieldError {
  return { type: FieldErrorType.Invalid, field: path, omitValue: true, detail: `${printed}: ${detail}` };
}

// Go's %#v of a []string.
function goStrings(vals: readonly string[]): string {
  return `[]string{${vals.map((v) => JSON.stringify(v)).join(', ')}}`;
}

// time.Time's String() for a metav1.Time in UTC: `2024-01-02 03:04:05 +0000 UTC`.
function goTimeString(ts: string): string {
  const ms = Date.parse(ts);
  if (Number.isNaN(ms)) return ts;
  const iso = new Date(ms).toISOString(); // 2024-01-02T03:04:05.000Z
  const frac = /\.(\d+)/.exec(ts)?.[1]?.replace(/0+$/, '') ?? '';
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${frac ? '.' + frac : ''} +0000 UTC`;
}

/** Field errors for one finalizer name: it must be a qualified name. Errors are reported at `path` itself. */
export function validateFinalizerName(name: string, path: string): FieldError[] {
  return isQualifiedName(name).map((msg) => fieldError.invalid(path, name, msg));
}

/** Field errors for metadata.finalizers: qualified names, and `orphan` with `foregroundDeletion` is refused. */
export function validateFinalizers(finalizers: readonly string[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!finalizers) return errs;
  for (const f of finalizers) errs.push(...validateFinalizerName(f, path));
  if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion')) {
    errs.push(invalidPrinted(path, goStrings(finalizers), 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

// The rule of the built-in groups: an unqualified finalizer must be a standard one.
function validateKubeFinalizerNames(finalizers: readonly string[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (finalizers ?? []).forEach((f, i) => {
    if (!f.includes('/') && !standardFinalizers.includes(f)) {
      errs.push(fieldError.invalid(index(path, i), f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return errs;
}

/**
 * Warnings Kubernetes returns for finalizers newly added to a custom resource (`metadata.finalizers: "x": prefer a
 * domain-qualified finalizer name ...`). Pass the old metadata on update so only added finalizers are reported.
 */
export function finalizerWarnings(meta: ObjectMeta | undefined, old?: ObjectMeta): string[] {
  const path = 'metadata.finalizers';
  const before = new Set(old?.finalizers ?? []);
  const added = [...new Set(meta?.finalizers ?? [])].filter((f) => !before.has(f)).sort();
  const out: string[] = [];
  for (const f of added) {
    for (const msg of isQualifiedName(f)) out.push(`${path}: ${JSON.stringify(f)}: ${msg}`);
    if (!f.includes('/') && !standardFinalizers.includes(f)) {
      const hint = f.includes('.') ? 'prefer a domain-qualified finalizer name including a path (/)' : 'prefer a domain-qualified finalizer name';
      out.push(`${path}: ${JSON.stringify(f)}: ${hint} to avoid accidental conflicts with other finalizer writers`);
    }
  }
  return out;
}

// Splits an apiVersion as Kubernetes' FromAPIVersionAndKind does; an unparsable one yields no version.
function versionOf(apiVersion: string): string {
  if (apiVersion === '') return '';
  const parts = apiVersion.split('/');
  if (parts.length === 1) return apiVersion;
  if (parts.length === 2) return parts[1] ?? '';
  return '';
}

/** Field errors for metadata.ownerReferences: required parts, no Event owners, at most one controller. */
export function validateOwnerReferences(refs: readonly OwnerReference[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = '';
  for (const ref of refs ?? []) {
    const apiVersion = ref.apiVersion ?? '';
    const kind = ref.kind ?? '';
    if (versionOf(apiVersion) === '') errs.push(fieldError.invalid(child(path, 'apiVersion'), apiVersion, 'version must not be empty'));
    if (kind === '') errs.push(fieldError.invalid(child(path, 'kind'), kind, 'kind must not be empty'));
    if ((ref.name ?? '') === '') errs.push(fieldError.invalid(child(path, 'name'), ref.name ?? '', 'name must not be empty'));
    if ((ref.uid ?? '') === '') errs.push(fieldError.invalid(child(path, 'uid'), ref.uid ?? '', 'uid must not be empty'));
    if (apiVersion === 'v1' && kind === 'Event') errs.push(fieldError.invalid(path, ref, '/v1, Kind=Event is disallowed from being an owner'));
    if (ref.controller === true) {
      const name = `${kind}/${ref.name ?? ''}`;
      if (firstController !== '') {
        errs.push(
          fieldError.invalid(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${name}`),
        );
      } else {
        firstController = name;
      }
    }
  }
  return errs;
}

const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** Field errors for a field manager name: at most 128 bytes of printable characters. */
export function validateFieldManager(manager: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (byteLength(manager) > fieldManagerMaxLength) errs.push(fieldError.tooLong(path, fieldManagerMaxLength));
  let pos = 0;
  for (const ch of manager) {
    if (!printable.test(ch)) {
      const hex = (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
      errs.push(fieldError.invalid(path, manager, `invalid character U+${hex} (at position ${pos})`));
    }
    pos += byteLength(ch);
  }
  return errs;
}

/** Field errors for metadata.managedFields. */
export function validateManagedFields(entries: readonly ManagedFieldsEntry[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  (entries ?? []).forEach((e, i) => {
    const p = index(path, i);
    const op = e.operation ?? '';
    if (op !== 'Apply' && op !== 'Update') errs.push(fieldError.invalid(child(p, 'operation'), op, 'must be `Apply` or `Update`'));
    if (e.fieldsType && e.fieldsType !== 'FieldsV1') errs.push(fieldError.invalid(child(p, 'fieldsType'), e.fieldsType, 'must be `FieldsV1`'));
    errs.push(...validateFieldManager(e.manager ?? '', child(p, 'manager')));
    if (byteLength(e.subresource ?? '') > maxSubresourceNameLength) errs.push(fieldError.tooLong(child(p, 'subresource'), maxSubresourceNameLength));
  });
  return errs;
}

/**
 * Validates metadata of an object being created (after name generation), as Kubernetes' ValidateObjectMeta:
 * name or generateName, namespace by scope, generation, labels, annotations, owner references, finalizers and
 * managed fields. Returns every error.
 */
export function validateObjectMeta(meta: ObjectMeta | undefined, opts: ObjectMetaOptions): FieldError[] {
  const m = meta ?? {};
  const path = opts.path ?? 'metadata';
  const errs: FieldError[] = [];
  const generateName = m.generateName ?? '';
  if (generateName !== '') {
    for (const msg of opts.nameValidator(generateName, true)) errs.push(fieldError.invalid(child(path, 'generateName'), generateName, msg));
  }
  const name = m.name ?? '';
  if (name === '') errs.push(fieldError.required(child(path, 'name'), 'name or generateName is required'));
  else for (const msg of opts.nameValidator(name, false)) errs.push(fieldError.invalid(child(path, 'name'), name, msg));
  const ns = m.namespace ?? '';
  if (opts.namespaced) {
    if (ns === '') errs.push(fieldError.required(child(path, 'namespace')));
    else for (const msg of validateNamespaceName(ns, false)) errs.push(fieldError.invalid(child(path, 'namespace'), ns, msg));
  } else if (ns !== '') {
    errs.push(fieldError.forbidden(child(path, 'namespace'), 'not allowed on this type'));
  }
  if ((m.generation ?? 0) < 0) errs.push(fieldError.invalid(child(path, 'generation'), m.generation, 'must be greater than or equal to 0'));
  errs.push(...validateLabels(m.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(m.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(m.ownerReferences, child(path, 'ownerReferences')));
  errs.push(...validateFinalizers(m.finalizers, child(path, 'finalizers')));
  errs.push(...validateManagedFields(m.managedFields, child(path, 'managedFields')));
  if (opts.strictFinalizerNames !== false) errs.push(...validateKubeFinalizerNames(m.finalizers, child(path, 'finalizers')));
  return errs;
}

// Equality as Kubernetes' semantic comparison: timestamps compare as instants.
function sameTime(a: string | undefined, b: string | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const x = Date.parse(a);
  const y = Date.parse(b);
  return !Number.isNaN(x) && x === y;
}

/** Field errors when newVal differs from oldVal: `field is immutable`. */
export function validateImmutableField(newVal: unknown, oldVal: unknown, path: string): FieldError[] {
  if (newVal === oldVal) return [];
  if (JSON.stringify(newVal) === JSON.stringify(oldVal)) return [];
  return [fieldError.invalid(path, newVal ?? null, fieldImmutableErrorMsg)];
}

/**
 * Validates metadata on update, as Kubernetes' ValidateObjectMetaUpdate: no new finalizers while deleting,
 * resourceVersion present, generation not decremented, and name, namespace, uid, creationTimestamp,
 * deletionTimestamp and deletionGracePeriodSeconds unchanged; then labels, annotations, owner references and
 * managed fields of the new object.
 */
export function validateObjectMetaUpdate(newMeta: ObjectMeta | undefined, oldMeta: ObjectMeta | undefined, opts: ObjectMetaUpdateOptions = {}): FieldError[] {
  const n = newMeta ?? {};
  const o = oldMeta ?? {};
  const path = opts.path ?? 'metadata';
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const before = new Set(o.finalizers ?? []);
    const extra = [...new Set(n.finalizers ?? [])].filter((f) => !before.has(f)).sort();
    if (extra.length) {
      errs.push(
        fieldError.forbidden(
          child(path, 'finalizers'),
          `no new finalizers can be added if the object is being deleted, found new finalizers ${goStrings(extra)}`,
        ),
      );
    }
  }
  if ((n.resourceVersion ?? '') === '') errs.push(fieldError.invalid(child(path, 'resourceVersion'), '', 'must be specified for an update'));
  if ((n.generation ?? 0) < (o.generation ?? 0)) errs.push(fieldError.invalid(child(path, 'generation'), n.generation ?? 0, 'must not be decremented'));
  errs.push(...validateImmutableField(n.name ?? '', o.name ?? '', child(path, 'name')));
  errs.push(...validateImmutableField(n.namespace ?? '', o.namespace ?? '', child(path, 'namespace')));
  errs.push(...validateImmutableField(n.uid ?? '', o.uid ?? '', child(path, 'uid')));
  for (const f of ['creationTimestamp', 'deletionTimestamp'] as const) {
    // Clients send `creationTimestamp: null`; it means unset.
    const v = n[f] ?? undefined;
    if (!sameTime(v, o[f] ?? undefined)) {
      // Go prints a time with its String() (no quotes); an absent creationTimestamp is the zero time, an absent
      // deletionTimestamp (a pointer) is null.
      if (v !== undefined) errs.push(invalidPrinted(child(path, f), goTimeString(v), fieldImmutableErrorMsg));
      else if (f === 'creationTimestamp') errs.push(invalidPrinted(child(path, f), '0001-01-01 00:00:00 +0000 UTC', fieldImmutableErrorMsg));
      else errs.push(fieldError.invalid(child(path, f), null, fieldImmutableErrorMsg));
    }
  }
  errs.push(...validateImmutableField(n.deletionGracePeriodSeconds ?? null, o.deletionGracePeriodSeconds ?? null, child(path, 'deletionGracePeriodSeconds')));
  errs.push(...validateLabels(n.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(n.annotations, child(path, 'annotations')));
  errs.push(...validateOwnerReferences(n.ownerReferences, child(path, 'ownerReferences')));
  errs.push(...validateManagedFields(n.managedFields, child(path, 'managedFields')));
  if (opts.strictFinalizerNames !== false) errs.push(...validateKubeFinalizerNames(n.finalizers, child(path, 'finalizers')));
  return errs;
}
