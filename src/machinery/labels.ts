// Label selectors: the string syntax of `?labelSelector=` and `kubectl -l`, matching against labels, conversion
// from metav1.LabelSelector objects, and formatting, with Kubernetes' semantics and error wording.
import type { LabelSelector as KLabelSelector } from 'kubernetes-types/meta/v1.js';
import { badRequest } from './errors.js';
import { child, fieldError, index, type FieldError } from './field-errors.js';
import { isQualifiedName, isValidLabelValue, validateLabelName, validateLabels } from './validation.js';

/** Selector operators, spelled as Kubernetes' selection.Operator values. */
export type LabelOperator = '!' | '=' | '==' | 'in' | '!=' | 'notin' | 'exists' | 'gt' | 'lt';

/** One requirement of a selector: a key, an operator and its values (empty for exists and !). */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

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

/** Labels of an object, as in metadata.labels. */
export type Labels = Readonly<Record<string, string>>;

/** The selector that matches every object. */
export const everything: LabelSelector = Object.freeze({ requirements: Object.freeze([]) as readonly LabelRequirement[] });
/** The selector that matches no object. */
export const nothing: LabelSelector = Object.freeze({ requirements: Object.freeze([]) as readonly LabelRequirement[], nothing: true as const });

const binaryOperators = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const validOperators = [...binaryOperators, 'exists', '!'];

// --- requirement construction (NewRequirement) -----------------------------------------------------------------

// Go's %#v of a []string, used in these error messages.
function goStrings(vals: readonly string[] | null): string {
  if (vals === null) return '[]string(nil)';
  return `[]string{${vals.map((v) => JSON.stringify(v)).join(', ')}}`;
}

// Joins messages like a Kubernetes error aggregate: one as is, several in brackets, duplicates dropped.
function aggregate(msgs: string[]): string {
  const seen = [...new Set(msgs)];
  return seen.length === 1 ? (seen[0] ?? '') : `[${seen.join(', ')}]`;
}

function childPath(path: string | undefined, name: string): string {
  return path ? `${path}.${name}` : name;
}

const int64Re = /^[+-]?[0-9]+$/;
const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

// strconv.ParseInt(s, 10, 64) as Go does it; undefined when it would fail.
function parseInt64(s: string): bigint | undefined {
  if (!int64Re.test(s)) return undefined;
  const v = BigInt(s);
  return v < int64Min || v > int64Max ? undefined : v;
}

/**
 * Builds one requirement, checking it as Kubernetes' NewRequirement does: the key must be a qualified name,
 * values must be label values, and the number of values must fit the operator. Returns the requirement or the
 * aggregated error message. `path` prefixes field paths in messages (none by default).
 * `rawValues` null stands for a nil Go slice, which only changes how an empty list is printed.
 */
export function newRequirement(key: string, operator: string, rawValues: readonly string[] | null, path?: string): LabelRequirement | string {
  const vals = rawValues ?? [];
  const errs: string[] = [];
  const keyErrs = isQualifiedName(key);
  if (keyErrs.length) errs.push(`${childPath(path, 'key')}: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`);
  const valuePath = childPath(path, 'values');
  switch (operator) {
    case 'in':
    case 'notin':
      if (vals.length === 0) errs.push(`${valuePath}: Invalid value: ${goStrings(rawValues)}: for 'in', 'notin' operators, values set can't be empty`);
      break;
    case '=':
    case '==':
    case '!=':
      if (vals.length !== 1) errs.push(`${valuePath}: Invalid value: ${goStrings(rawValues)}: exact-match compatibility requires one single value`);
      break;
    case 'exists':
    case '!':
      if (vals.length !== 0) errs.push(`${valuePath}: Invalid value: ${goStrings(rawValues)}: values set must be empty for exists and does not exist`);
      break;
    case 'gt':
    case 'lt':
      if (vals.length !== 1) errs.push(`${valuePath}: Invalid value: ${goStrings(rawValues)}: for 'Gt', 'Lt' operators, exactly one value is required`);
      vals.forEach((v, i) => {
        if (parseInt64(v) === undefined) errs.push(`${valuePath}[${i}]: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
      });
      break;
    default:
      errs.push(
        `${childPath(path, 'operator')}: Unsupported value: ${JSON.stringify(operator)}: supported values: ${validOperators.map((o) => JSON.stringify(o)).join(', ')}`,
      );
  }
  vals.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length) errs.push(`${valuePath}[${i}][${key}]: Invalid value: ${JSON.stringify(v)}: ${msgs.join('; ')}`);
  });
  if (errs.length) return aggregate(errs);
  return { key, operator: operator as LabelOperator, values: [...vals] };
}

// --- matching --------------------------------------------------------------------------------------------------

/** True when the labels satisfy one requirement. */
export function requirementMatches(r: LabelRequirement, labels: Labels | undefined): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(labels[r.key] ?? '');
    case 'notin':
    case '!=':
      return !has || !r.values.includes(labels[r.key] ?? '');
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || r.values.length !== 1) return false;
      const lv = parseInt64(labels[r.key] ?? '');
      const rv = parseInt64(r.values[0] ?? '');
      if (lv === undefined || rv === undefined) return false;
      return r.operator === 'gt' ? lv > rv : lv < rv;
    }
    default:
      return false;
  }
}

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

/** The string form of one requirement: `a=b`, `a in (x,y)`, `!a`, `a>1`. Values are printed sorted. */
export function requirementToString(r: LabelRequirement): string {
  const ops: Record<LabelOperator, string> = { '=': '=', '==': '==', '!=': '!=', in: ' in ', notin: ' notin ', gt: '>', lt: '<', exists: '', '!': '' };
  let s = (r.operator === '!' ? '!' : '') + r.key;
  if (r.operator === 'exists' || r.operator === '!') return s;
  s += ops[r.operator];
  const vals = r.values.length === 1 ? (r.values[0] ?? '') : [...r.values].sort().join(',');
  return r.operator === 'in' || r.operator === 'notin' ? `${s}(${vals})` : s + vals;
}

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

// --- the string syntax ----------------------------------------------------------------------------------------

const enum Tok {
  Error,
  EndOfString,
  ClosedPar,
  Comma,
  DoesNotExist,
  DoubleEquals,
  Equals,
  GreaterThan,
  Identifier,
  In,
  LessThan,
  NotEquals,
  NotIn,
  OpenPar,
}

const string2token: Record<string, Tok> = {
  ')': Tok.ClosedPar,
  ',': Tok.Comma,
  '!': Tok.DoesNotExist,
  '==': Tok.DoubleEquals,
  '=': Tok.Equals,
  '>': Tok.GreaterThan,
  in: Tok.In,
  '<': Tok.LessThan,
  '!=': Tok.NotEquals,
  notin: Tok.NotIn,
  '(': Tok.OpenPar,
};

interface Item {
  tok: Tok;
  lit: string;
}

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecial = (ch: string): boolean => ch === '=' || ch === '!' || ch === '(' || ch === ')' || ch === ',' || ch === '>' || ch === '<';

function tokenOf(s: string): Tok | undefined {
  return Object.prototype.hasOwnProperty.call(string2token, s) ? string2token[s] : undefined;
}

// Splits the selector into tokens exactly as Kubernetes' lexer does.
function lex(s: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos] ?? '')) pos++;
    if (pos >= s.length) {
      items.push({ tok: Tok.EndOfString, lit: '' });
      return items;
    }
    const ch = s[pos] ?? '';
    if (isSpecial(ch)) {
      // The longest run of special characters that still forms a known token.
      let buf = '';
      let last: Item | undefined;
      while (pos < s.length && isSpecial(s[pos] ?? '')) {
        buf += s[pos];
        const t = tokenOf(buf);
        if (t !== undefined) last = { tok: t, lit: buf };
        else if (last) break;
        pos++;
      }
      items.push(last ?? { tok: Tok.Error, lit: `error expected: keyword found '${buf}'` });
    } else {
      const start = pos;
      while (pos < s.length && !isSpecial(s[pos] ?? '') && !isWhitespace(s[pos] ?? '')) pos++;
      const lit = s.slice(start, pos);
      items.push({ tok: tokenOf(lit) ?? Tok.Identifier, lit });
    }
  }
}

class ParseError extends Error {}

// A recursive-descent parser over the token list, mirroring Kubernetes' Parser; errors carry its wording.
class Parser {
  private pos = 0;
  constructor(private readonly items: Item[]) {}

  // In the Values context the keywords `in`/`notin` are plain identifiers.
  private lookahead(values: boolean): Item {
    const it = this.items[this.pos] ?? { tok: Tok.EndOfString, lit: '' };
    return values && (it.tok === Tok.In || it.tok === Tok.NotIn) ? { tok: Tok.Identifier, lit: it.lit } : it;
  }
  private consume(values: boolean): Item {
    const it = this.lookahead(values);
    this.pos++;
    return it;
  }

  parse(): LabelRequirement[] {
    const reqs: LabelRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead(true);
      if (tok === Tok.Identifier || tok === Tok.DoesNotExist) {
        let r: LabelRequirement;
        try {
          r = this.parseRequirement();
        } catch (e) {
          if (e instanceof ParseError) throw new ParseError(`unable to parse requirement: ${e.message}`);
          throw e;
        }
        reqs.push(r);
        const t = this.consume(true);
        if (t.tok === Tok.EndOfString) return reqs;
        if (t.tok === Tok.Comma) {
          const t2 = this.lookahead(true);
          if (t2.tok !== Tok.Identifier && t2.tok !== Tok.DoesNotExist) throw new ParseError(`found '${t2.lit}', expected: identifier after ','`);
        } else {
          throw new ParseError(`found '${t.lit}', expected: ',' or 'end of string'`);
        }
      } else if (tok === Tok.EndOfString) {
        return reqs;
      } else {
        throw new ParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): LabelRequirement {
    const [key, inferred] = this.parseKeyAndInferOperator();
    let op: LabelOperator;
    let values: string[];
    if (inferred === 'exists' || inferred === '!') {
      op = inferred;
      values = [];
    } else {
      op = this.parseOperator();
      values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    }
    const r = newRequirement(key, op, values);
    if (typeof r === 'string') throw new ParseError(r);
    return r;
  }

  private parseKeyAndInferOperator(): [string, LabelOperator | undefined] {
    let op: LabelOperator | undefined;
    let it = this.consume(true);
    if (it.tok === Tok.DoesNotExist) {
      op = '!';
      it = this.consume(true);
    }
    if (it.tok !== Tok.Identifier) throw new ParseError(`found '${it.lit}', expected: identifier`);
    const keyErrs = isQualifiedName(it.lit);
    if (keyErrs.length) throw new ParseError(`<nil>: Invalid value: ${JSON.stringify(it.lit)}: ${keyErrs.join('; ')}`);
    const next = this.lookahead(true).tok;
    if ((next === Tok.EndOfString || next === Tok.Comma) && op !== '!') op = 'exists';
    return [it.lit, op];
  }

  private parseOperator(): LabelOperator {
    const it = this.consume(false);
    switch (it.tok) {
      case Tok.In:
        return 'in';
      case Tok.Equals:
        return '=';
      case Tok.DoubleEquals:
        return '==';
      case Tok.GreaterThan:
        return 'gt';
      case Tok.LessThan:
        return 'lt';
      case Tok.NotIn:
        return 'notin';
      case Tok.NotEquals:
        return '!=';
      default:
        throw new ParseError(`found '${it.lit}', expected: ${binaryOperators.join(', ')}`);
    }
  }

  // `(a,b,c)`: returns the sorted set of values; empty entries stand for the empty string.
  private parseValues(): string[] {
    const open = this.consume(true);
    if (open.tok !== Tok.OpenPar) throw new ParseError(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead(true);
    if (tok === Tok.Identifier || tok === Tok.Comma) {
      const s = this.parseIdentifiersList();
      if (this.consume(true).tok !== Tok.ClosedPar) throw new ParseError(`found '${lit}', expected: ')'`);
      return sortedSet(s);
    }
    if (tok === Tok.ClosedPar) {
      this.consume(true);
      return [''];
    }
    throw new ParseError(`found '${lit}', expected: ',', ')' or identifier`);
  }

  private parseIdentifiersList(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const it = this.consume(true);
      if (it.tok === Tok.Identifier) {
        s.add(it.lit);
        const next = this.lookahead(true);
        if (next.tok === Tok.Comma) continue;
        if (next.tok === Tok.ClosedPar) return s;
        throw new ParseError(`found '${next.lit}', expected: ',' or ')'`);
      } else if (it.tok === Tok.Comma) {
        if (s.size === 0) s.add(''); // "(,"
        const next = this.lookahead(true).tok;
        if (next === Tok.ClosedPar) {
          s.add(''); // ",)"
          return s;
        }
        if (next === Tok.Comma) {
          this.consume(true);
          s.add(''); // ",,"
        }
      } else {
        throw new ParseError(`found '${it.lit}', expected: ',', or identifier`);
      }
    }
  }

  private parseExactValue(): string[] {
    const next = this.lookahead(true).tok;
    if (next === Tok.EndOfString || next === Tok.Comma) return [''];
    const it = this.consume(true);
    if (it.tok === Tok.Identifier) return [it.lit];
    throw new ParseError(`found '${it.lit}', expected: identifier`);
  }
}

function sortedSet(s: Set<string>): string[] {
  return [...s].sort();
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
    const reqs = new Parser(lex(selector)).parse();
    return reqs.length === 0 ? everything : { requirements: sortByKey(reqs) };
  } catch (e) {
    if (e instanceof ParseError) return e.message;
    throw e;
  }
}
