// metav1.LabelSelector as the API server uses it: validation, matching and kubectl's string form.
import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1.js';
import { child, fieldError, index, type FieldError } from '../../machinery/index.js';
import { labelValueErrors, qualifiedNameErrors, validateLabels } from './validation-helpers.js';

/** One compiled requirement of a selector. */
interface Requirement {
  key: string;
  op: 'in' | 'notin' | 'exists' | '!' | '=';
  values: string[];
}

/** A compiled selector: `nothing` for a nil selector (matches no object), otherwise a list of requirements (empty = everything). */
export type CompiledSelector = { nothing: true } | { nothing: false; requirements: Requirement[] };

/** Compiles a selector as metav1.LabelSelectorAsSelector does; undefined when the selector is invalid. */
export function compileSelector(sel: LabelSelector | null | undefined): CompiledSelector | undefined {
  if (sel === null || sel === undefined) return { nothing: true };
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) {
    if (qualifiedNameErrors(k).length || labelValueErrors(v).length) return undefined;
    reqs.push({ key: k, op: '=', values: [v] });
  }
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])];
    let op: Requirement['op'];
    switch (e.operator) {
      case 'In':
        op = 'in';
        break;
      case 'NotIn':
        op = 'notin';
        break;
      case 'Exists':
        op = 'exists';
        break;
      case 'DoesNotExist':
        op = '!';
        break;
      default:
        return undefined;
    }
    if ((op === 'in' || op === 'notin') && values.length === 0) return undefined;
    if ((op === 'exists' || op === '!') && values.length > 0) return undefined;
    if (qualifiedNameErrors(e.key).length || values.some((v) => labelValueErrors(v).length)) return undefined;
    reqs.push({ key: e.key, op, values: [...new Set(values)].sort() });
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { nothing: false, requirements: reqs };
}

/** True when the compiled selector selects everything (no requirements). */
export function selectorIsEmpty(s: CompiledSelector): boolean {
  return !s.nothing && s.requirements.length === 0;
}

/** True when `labels` satisfy the compiled selector. */
export function selectorMatches(s: CompiledSelector, labels: Record<string, string> | undefined): boolean {
  if (s.nothing) return false;
  const l = labels ?? {};
  return s.requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case '=':
      case 'in':
        return has && r.values.includes(v!);
      case 'notin':
        return !has || !r.values.includes(v!);
      case 'exists':
        return has;
      case '!':
        return !has;
    }
  });
}

/** The selector as labels.Selector.String() prints it: `app=web,tier in (a,b),!legacy`; empty for everything or nothing. */
export function selectorString(s: CompiledSelector): string {
  if (s.nothing) return '';
  return s.requirements
    .map((r) => {
      switch (r.op) {
        case '=':
          return `${r.key}=${r.values[0] ?? ''}`;
        case 'in':
        case 'notin':
          return `${r.key} ${r.op} (${r.values.join(',')})`;
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
      }
    })
    .join(',');
}

/** metav1.FormatLabelSelector: `<none>` when empty, `<error>` when invalid. */
export function formatLabelSelector(sel: LabelSelector | null | undefined): string {
  const s = compileSelector(sel);
  if (!s) return '<error>';
  return selectorString(s) || '<none>';
}

/** The Selector cell of wide workload tables: `<invalid>` when it does not compile. */
export function selectorCell(sel: LabelSelector | null | undefined): string {
  const s = compileSelector(sel);
  return s ? selectorString(s) : '<invalid>';
}

/** labels.FormatLabels: `a=1,b=2` sorted by key, `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (!keys.length) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/** Validates a selector's syntax as metav1validation.ValidateLabelSelector does. */
export function validateLabelSelector(sel: LabelSelector | null | undefined, path: string, opts: { allowInvalidLabelValue?: boolean } = {}): FieldError[] {
  if (!sel) return [];
  const errs = validateLabels(sel.matchLabels, child(path, 'matchLabels'));
  (sel.matchExpressions ?? []).forEach((e, i) => errs.push(...validateRequirement(e, index(child(path, 'matchExpressions'), i), opts)));
  return errs;
}

function validateRequirement(r: LabelSelectorRequirement, path: string, opts: { allowInvalidLabelValue?: boolean }): FieldError[] {
  const errs: FieldError[] = [];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
    case 'NotIn':
      if (!values.length) errs.push(fieldError.required(child(path, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length) errs.push(fieldError.forbidden(child(path, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    default:
      errs.push(fieldError.invalid(child(path, 'operator'), r.operator, 'not a valid selector operator'));
  }
  for (const msg of qualifiedNameErrors(r.key ?? '')) errs.push(fieldError.invalid(child(path, 'key'), r.key, msg));
  if (!opts.allowInvalidLabelValue) {
    values.forEach((v, i) => {
      for (const msg of labelValueErrors(v)) errs.push(fieldError.invalid(index(child(path, 'values'), i), v, msg));
    });
  }
  return errs;
}
