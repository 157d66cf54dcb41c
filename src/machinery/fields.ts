// Field selectors: the syntax of `?fieldSelector=` (`a=b,c!=d`, `\` escapes), matching against an object's
// selectable fields, and the check of which keys a resource supports, with Kubernetes' wording.
import { badRequest } from './errors.js';

/** One term of a field selector. `==` is stored as `=`, as Kubernetes does. */
export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

/** A parsed field selector: all terms must hold. No terms selects everything. */
export interface FieldSelector {
  readonly requirements: readonly FieldRequirement[];
}

/** The selectable fields of one object, e.g. `{ 'metadata.name': 'web', 'status.phase': 'Running' }`. */
export type SelectableFields = Readonly<Record<string, string>>;

/** The selector that matches everything. */
export const everythingFields: FieldSelector = Object.freeze({ requirements: Object.freeze([]) as readonly FieldRequirement[] });

/** Escapes `\`, `,` and `=` in a value so it can be written in a selector. */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => '\\' + c);
}

// Undoes escapeFieldValue; a bad escape or an unescaped `,`/`=` is an error with Kubernetes' wording.
function unescapeFieldValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    // Go prints the rune with %v, which is its number.
    else if (c === ',' || c === '=') throw new FieldSelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw new FieldSelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

class FieldSelectorError extends Error {}

// Splits on commas that are not escaped.
function splitTerms(sel: string): string[] {
  if (sel.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < sel.length; i++) {
    const c = sel[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(sel.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(sel.slice(start));
  return terms;
}

// The first operator found scanning left to right, `!=` and `==` preferred to `=` at the same position.
function splitTerm(term: string): [string, '=' | '==' | '!=', string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '='] as const) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

// Go sorts strings by bytes; comparing by code point gives the same order as comparing UTF-8 bytes.
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx - cy;
  }
}

/** As parseFieldSelector, but returns the error message instead of throwing. */
export function tryParseFieldSelector(selector: string): FieldSelector | string {
  // Terms are sorted before parsing, so the first error reported is the one of the smallest term.
  const parts = splitTerms(selector).sort(compareCodePoints);
  const reqs: FieldRequirement[] = [];
  try {
    for (const part of parts) {
      if (part === '') continue;
      const t = splitTerm(part);
      if (!t) return `invalid selector: '${selector}'; can't understand '${part}'`;
      const [field, op, rhs] = t;
      reqs.push({ field, operator: op === '!=' ? '!=' : '=', value: unescapeFieldValue(rhs) });
    }
  } catch (e) {
    if (e instanceof FieldSelectorError) return e.message;
    throw e;
  }
  return { requirements: reqs };
}

/**
 * Parses a field selector string (`metadata.name=web,status.phase!=Failed`). Throws a 400 BadRequest StatusError
 * with Kubernetes' message when it is malformed.
 */
export function parseFieldSelector(selector: string): FieldSelector {
  const r = tryParseFieldSelector(selector);
  if (typeof r === 'string') throw badRequest(r);
  return r;
}

/** True when the fields satisfy every term; a missing field counts as the empty string. */
export function matchesFields(sel: FieldSelector, fields: SelectableFields): boolean {
  for (const r of sel.requirements) {
    const v = Object.prototype.hasOwnProperty.call(fields, r.field) ? (fields[r.field] ?? '') : '';
    if (r.operator === '=' ? v !== r.value : v === r.value) return false;
  }
  return true;
}

/** True when the selector has no terms. */
export function isEverythingFields(sel: FieldSelector): boolean {
  return sel.requirements.length === 0;
}

/** The value a selector requires for `field` by equality, if any (RequiresExactMatch). */
export function requiresExactFieldMatch(sel: FieldSelector, field: string): string | undefined {
  for (const r of sel.requirements) if (r.field === field && r.operator === '=') return r.value;
  return undefined;
}

/** The string form of a selector, values escaped: `a=b,c!=d`. */
export function fieldSelectorToString(sel: FieldSelector): string {
  return sel.requirements.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
}

/** A selector requiring each field of `set` by equality. */
export function fieldSelectorFromSet(set: SelectableFields): FieldSelector {
  return { requirements: Object.keys(set).map((k) => ({ field: k, operator: '=' as const, value: set[k] ?? '' })) };
}

/**
 * Rewrites every term with `fn`, which returns the new field and value or throws; a term turned into an empty
 * field and value is dropped (Kubernetes' Transform).
 */
export function transformFieldSelector(sel: FieldSelector, fn: (field: string, value: string) => [string, string]): FieldSelector {
  const out: FieldRequirement[] = [];
  for (const r of sel.requirements) {
    const [field, value] = fn(r.field, r.value);
    if (field === '' && value === '') continue;
    out.push({ field, operator: r.operator, value });
  }
  return { requirements: out };
}

/** The fields every resource supports. */
export const defaultSelectableFields: readonly string[] = ['metadata.name', 'metadata.namespace'];

/** Which keys a resource accepts in field selectors, and how it words a refusal. */
export interface FieldLabelRules {
  /** The supported keys. */
  supported: Iterable<string>;
  /**
   * `default` for kinds without their own conversion (`"x" is not a known field selector: only "metadata.name",
   * "metadata.namespace"`); `label` for kinds that have one (Pods, Nodes, Events, Secrets, Services, Namespaces,
   * ReplicationControllers, custom resources, ...: `field label not supported: x`).
   */
  wording: 'default' | 'label';
  /** Old names accepted and rewritten, e.g. Pods' `spec.host` → `spec.nodeName`. */
  aliases?: Readonly<Record<string, string>>;
}

/** The refusal of an unknown field selector key, in the given wording. */
export function unsupportedFieldLabelMessage(key: string, wording: FieldLabelRules['wording']): string {
  return wording === 'label'
    ? `field label not supported: ${key}`
    : `${JSON.stringify(key)} is not a known field selector: only "metadata.name", "metadata.namespace"`;
}

/**
 * Checks every key of the selector against the resource's rules, in Kubernetes' order, and returns the selector
 * with aliases rewritten. Throws a 400 BadRequest StatusError with Kubernetes' message for the first unknown key.
 */
export function checkFieldSelector(sel: FieldSelector, rules: FieldLabelRules): FieldSelector {
  const supported = rules.supported instanceof Set ? (rules.supported as ReadonlySet<string>) : new Set(rules.supported);
  return transformFieldSelector(sel, (field, value) => {
    const alias = rules.aliases && Object.prototype.hasOwnProperty.call(rules.aliases, field) ? rules.aliases[field] : undefined;
    if (alias !== undefined) return [alias, value];
    if (supported.has(field)) return [field, value];
    throw badRequest(unsupportedFieldLabelMessage(field, rules.wording));
  });
}
