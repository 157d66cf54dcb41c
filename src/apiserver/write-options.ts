// The options of writes (CreateOptions, UpdateOptions, PatchOptions, DeleteOptions) checked as kube-apiserver
// checks them: every problem is a field error, and together they are a 422 Invalid of the options kind.
import { fieldError, FieldErrorType, invalid, type FieldError } from '../machinery/index.js';
import { fieldValidationParam, type FieldValidation } from './body.js';

/** Which options a write takes, as Kubernetes names the kind in its 422. */
export type OptionsKind = 'CreateOptions' | 'UpdateOptions' | 'PatchOptions' | 'DeleteOptions';

/** The checked options of a create, update or patch. */
export interface WriteParams {
  dryRun: boolean;
  fieldManager: string | undefined;
  fieldValidation: FieldValidation;
}

/** The longest field manager accepted, in bytes. */
export const fieldManagerMaxLength = 128;

/** Go's `%#v` of a []string, as a field error shows it: `[]string{"a", "b"}`. */
function goStringSlice(values: readonly string[]): string {
  return `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/** The dryRun field errors: only "All" is a supported value. */
export function dryRunErrors(values: readonly string[]): FieldError[] {
  if (values.every((v) => v === 'All')) return [];
  // The value is the whole list, printed as Go prints a slice (not quoted as a string would be).
  return [{ type: FieldErrorType.NotSupported, field: 'dryRun', detail: `${goStringSlice(values)}: supported values: "All"` }];
}

/** The fieldManager field errors: at most 128 bytes, printable characters only. */
export function fieldManagerErrors(manager: string): FieldError[] {
  const errs: FieldError[] = [];
  if (Buffer.byteLength(manager) > fieldManagerMaxLength) errs.push(fieldError.tooLong('fieldManager', fieldManagerMaxLength));
  let pos = 0;
  for (const ch of manager) {
    if (!isPrint(ch)) {
      const cp = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      errs.push(fieldError.invalid('fieldManager', manager, `invalid character U+${cp} (at position ${pos})`));
    }
    pos += Buffer.byteLength(ch);
  }
  return errs;
}

/** Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
function isPrint(ch: string): boolean {
  return ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
}

function fieldValidationErrors(v: string | null): FieldError[] {
  if (v === null || v === '' || v === 'Strict' || v === 'Warn' || v === 'Ignore') return [];
  return [fieldError.notSupported('fieldValidation', v, ['', 'Ignore', 'Strict', 'Warn'])];
}

/** Throws the 422 of an options kind when there are field errors. */
export function throwOptionErrors(kind: OptionsKind, errs: FieldError[]): void {
  if (errs.length) throw invalid({ group: 'meta.k8s.io', kind }, '', errs);
}

/** Reads and checks the query options of a create, update or patch (`patchType` for a patch). */
export function writeParams(q: URLSearchParams, kind: Exclude<OptionsKind, 'DeleteOptions'>, patchType?: string): WriteParams {
  const dryRun = q.getAll('dryRun');
  const manager = q.get('fieldManager') ?? '';
  const fv = q.get('fieldValidation');
  const errs: FieldError[] = [];
  if (kind === 'PatchOptions') {
    if (patchType !== 'application/apply-patch+yaml') {
      if (q.has('force')) errs.push(fieldError.forbidden('force', 'may not be specified for non-apply patch'));
    } else if (manager === '') {
      errs.push(fieldError.required('fieldManager', 'is required for apply patch'));
    }
  }
  errs.push(...fieldManagerErrors(manager), ...dryRunErrors(dryRun), ...fieldValidationErrors(fv));
  throwOptionErrors(kind, errs);
  return { dryRun: dryRun.length > 0, fieldManager: manager || undefined, fieldValidation: fieldValidationParam(fv) };
}
