// Label selectors: the string syntax of `?labelSelector=` and `kubectl -l`, matching against labels, conversion
// from metav1.LabelSelector objects, and formatting, with Kubernetes' semantics and error wording.
import type { LabelSelector as KLabelSelector } from 'kubernetes-types/meta/v1.js';
import { badRequest } from './errors.js';
import { child, fieldError, index, type FieldError } from './field-errors.js';
import { isValidLabelValue, validateLabelName, validateLabels } from './validation.js';
import { newRequirement, requirementMatches, requirementToString, type LabelOperator, type LabelRequirement, type Labels } from './label-requirement.js';
import { parseRequirements, SelectorParseError } from './label-selector-syntax.js';

export * from './label-requirement.js';

/**
 * A parsed label selector: requirements sorted by key, all of which must match. `nothing` marks the selector of
 * an absent metav1.LabelSelector, which matches no object; no requirements and no `nothing` matches everything.
 */
export interface LabelSelector {
  readonly requirements: readonly LabelRequirement[];
  readonly nothing?: true;
}

/** The metav1.LabelSelector object found in specs (matchLabels + matchExpressions). */
export type LabelSelectorObject = KLabelSelector;

/** The selector that matches every object. */
export const everything: LabelSelector = Object.freeze({ requirements: Object.freeze([]) as readonly LabelRequirement[] });
/** The selector that matches no object. */
export const nothing: LabelSelector = Object.freeze({ requirements: Object.freeze([]) as readonly LabelRequirement[], nothing: true as const });

/** True when the labels satisfy every requirement of the selector (and the selector is not `nothing`). */
export function matchesLabels(sel: LabelSelector, labels: Labels | undefined): boolean {
  if (sel.nothing) return false;
  for (const r of sel.requirements) if (!requirementMatches(r, labels)) return false;
  return true;
}

/** True for a selector that matches everything (no requirements). */
export function isEverything(sel: LabelSelector): boolean {
  return !sel.nothing && sel.requirements.length === 0;
}

/** The value a selector requires for `label` by equality (`=`, `==`, or `in` with one value), if any. */
export function requiresExactMatch(sel: LabelSelector, label: string): string | undefined {
  for (const r of sel.requirements) {
    if (r.key !== label) continue;
    if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
    return undefined;
  }
  return undefined;
}

// --- formatting ----------------------------------------------------------------------------------------------

/** The string form of a selector, as Kubernetes prints it (`app=web,tier in (a,b)`); empty for everything. */
export function labelSelectorToString(sel: LabelSelector): string {
  return sel.requirements.map(requirementToString).join(',');
}

// Requirements are kept sorted by key, as Kubernetes does, so that parsing is deterministic.
function sortByKey(reqs: LabelRequirement[]): LabelRequirement[] {
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A selector requiring every label of `set` by equality (SelectorFromValidatedSet: no checks). */
export function selectorFromSet(set: Labels | undefined | null): LabelSelector {
  if (!set) return everything;
  const reqs = Object.keys(set).map((k): LabelRequirement => ({ key: k, operator: '=', values: [set[k] ?? ''] }));
  return { requirements: sortByKey(reqs) };
}

// --- conversion from metav1.LabelSelector ---------------------------------------------------------------------

const expressionOperators: Record<string, LabelOperator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * Converts a metav1.LabelSelector as Kubernetes' LabelSelectorAsSelector does: absent → nothing, empty →
 * everything. Throws a 400 BadRequest StatusError with Kubernetes' message when it is invalid.
 */
export function labelSelectorFromObject(ls: LabelSelectorObject | null | undefined): LabelSelector {
  const r = tryLabelSelectorFromObject(ls);
  if (typeof r === 'string') throw badRequest(r);
  return r;
}

/** As labelSelectorFromObject, but returns the error message instead of throwing. */
export function tryLabelSelectorFromObject(ls: LabelSelectorObject | null | undefined): LabelSelector | string {
  if (ls === null || ls === undefined) return nothing;
  const matchLabels = ls.matchLabels ?? {};
  const exprs = ls.matchExpressions ?? [];
  const labelKeys = Object.keys(matchLabels);
  if (labelKeys.length + exprs.length === 0) return everything;
  const reqs: LabelRequirement[] = [];
  for (const k of labelKeys) {
    const r = newRequirement(k, '=', [matchLabels[k] ?? '']);
    if (typeof r === 'string') return r;
    reqs.push(r);
  }
  for (const e of exprs) {
    const op = expressionOperators[e.operator];
    if (op === undefined) return `${JSON.stringify(e.operator)} is not a valid label selector operator`;
    const vals = e.values && e.values.length > 0 ? [...e.values] : null;
    const r = newRequirement(e.key, op, vals);
    if (typeof r === 'string') return r;
    reqs.push(r);
  }
  return { requirements: sortByKey(reqs) };
}

/**
 * The text kubectl shows for a metav1.LabelSelector (FormatLabelSelector): `app=web,tier in (a,b)`,
 * `<none>` when it selects everything or nothing, `<error>` when it is invalid.
 */
export function formatLabelSelector(ls: LabelSelectorObject | null | undefined): string {
  const sel = tryLabelSelectorFromObject(ls);
  if (typeof sel === 'string') return '<error>';
  const s = labelSelectorToString(sel);
  return s.length === 0 ? '<none>' : s;
}

/**
 * Converts a parsed selector back to a metav1.LabelSelector (ParseToLabelSelector): equality becomes matchLabels,
 * the rest matchExpressions. Throws 400 for `gt`/`lt`, which the object form cannot express.
 */
export function labelSelectorToObject(sel: LabelSelector): LabelSelectorObject {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: NonNullable<LabelSelectorObject['matchExpressions']> = [];
  const names: Partial<Record<LabelOperator, string>> = { in: 'In', notin: 'NotIn', exists: 'Exists', '!': 'DoesNotExist' };
  for (const r of sel.requirements) {
    if (r.operator === '=' || r.operator === '==') {
      matchLabels[r.key] = r.values[0] ?? '';
      continue;
    }
    const op = names[r.operator];
    if (op === undefined) throw badRequest(`${r.operator} is not a valid label selector operator`);
    const expr: NonNullable<LabelSelectorObject['matchExpressions']>[number] = { key: r.key, operator: op };
    if (r.values.length > 0) expr.values = [...r.values].sort();
    matchExpressions.push(expr);
  }
  return { matchLabels, matchExpressions };
}

/** Leniencies for validateLabelSelector, for objects stored before the rules tightened. */
export interface LabelSelectorValidationOptions {
  /** Accept values that are not valid label values. */
  allowInvalidLabelValueInSelector?: boolean;
  /** Accept operators other than In, NotIn, Exists and DoesNotExist. */
  allowUnknownOperatorInRequirement?: boolean;
}

/** Field errors for a metav1.LabelSelector in a spec (ValidateLabelSelector), at `path` (e.g. `spec.selector`). */
export function validateLabelSelector(ls: LabelSelectorObject | null | undefined, opts: LabelSelectorValidationOptions, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!ls) return errs;
  errs.push(...validateLabels(ls.matchLabels, child(path, 'matchLabels')));
  (ls.matchExpressions ?? []).forEach((e, i) => {
    const p = index(child(path, 'matchExpressions'), i);
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(fieldError.required(child(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(fieldError.forbidden(child(p, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        if (!opts.allowUnknownOperatorInRequirement) errs.push(fieldError.invalid(child(p, 'operator'), e.operator, 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(e.key, child(p, 'key')));
    if (!opts.allowInvalidLabelValueInSelector) {
      values.forEach((v, j) => {
        for (const msg of isValidLabelValue(v)) errs.push(fieldError.invalid(index(child(p, 'values'), j), v, msg));
      });
    }
  });
  return errs;
}

/** True when a selector holds a value that is not a valid label value (to allow it on update when stored so). */
export function labelSelectorHasInvalidLabelValue(ls: LabelSelectorObject | null | undefined): boolean {
  return (ls?.matchExpressions ?? []).some((e) => (e.values ?? []).some((v) => isValidLabelValue(v).length > 0));
}

/**
 * Parses a label selector string (`a=b,c in (x,y),!d,e>1`). Throws a 400 BadRequest StatusError with
 * Kubernetes' message (`unable to parse requirement: ...`, `found ',', expected: ...`) when it is malformed.
 */
export function parseLabelSelector(selector: string): LabelSelector {
  const r = tryParseLabelSelector(selector);
  if (typeof r === 'string') throw badRequest(r);
  return r;
}

/** As parseLabelSelector, but returns the error message instead of throwing. */
export function tryParseLabelSelector(selector: string): LabelSelector | string {
  try {
    const reqs = parseRequirements(selector);
    return reqs.length === 0 ? everything : { requirements: sortByKey(reqs) };
  } catch (e) {
    if (e instanceof SelectorParseError) return e.message;
    throw e;
  }
}
