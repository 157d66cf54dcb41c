// One requirement of a label selector: construction with Kubernetes' checks and messages, matching, printing.
import { isQualifiedName, isValidLabelValue } from './validation.js';

/** Selector operators, spelled as Kubernetes' selection.Operator values. */
export type LabelOperator = '!' | '=' | '==' | 'in' | '!=' | 'notin' | 'exists' | 'gt' | 'lt';

/** Labels of an object, as in metadata.labels. */
export type Labels = Readonly<Record<string, string>>;

/** One requirement of a selector: a key, an operator and its values (empty for exists and !). */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  readonly values: readonly string[];
}

/** The binary operators, in the order Kubernetes lists them in messages. */
export const binaryOperators = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
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

/** The string form of one requirement: `a=b`, `a in (x,y)`, `!a`, `a>1`. Values are printed sorted. */
export function requirementToString(r: LabelRequirement): string {
  const ops: Record<LabelOperator, string> = { '=': '=', '==': '==', '!=': '!=', in: ' in ', notin: ' notin ', gt: '>', lt: '<', exists: '', '!': '' };
  let s = (r.operator === '!' ? '!' : '') + r.key;
  if (r.operator === 'exists' || r.operator === '!') return s;
  s += ops[r.operator];
  const vals = r.values.length === 1 ? (r.values[0] ?? '') : [...r.values].sort().join(',');
  return r.operator === 'in' || r.operator === 'notin' ? `${s}(${vals})` : s + vals;
}

