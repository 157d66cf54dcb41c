// Validation of a value against a compiled schema node with the rules and messages of kube-openapi's schema
// validator as Kubernetes 1.32 runs it for custom resources: the same checks in the same order, the same
// anyOf/oneOf "best failure" choice, duplicate messages dropped, and ratcheting of unchanged values on update.
import type { SchemaNode } from './compile.js';
import type { Correlation } from './correlation.js';
import { deepEqual } from '../deep.js';
import { goFloat, isInt64, isMap, type JsonMap } from './types.js';

/** What kind of problem an error is; decides the field error it becomes. */
export type ProblemCode =
  | 'invalidType'
  | 'required'
  | 'tooLong'
  | 'tooShort'
  | 'pattern'
  | 'enum'
  | 'multipleOf'
  | 'max'
  | 'min'
  | 'unique'
  | 'maxItems'
  | 'minItems'
  | 'tooFewProperties'
  | 'tooManyProperties'
  | 'unallowedProperty'
  | 'multipleOfMustBePositive'
  | 'composite';

/** One problem: `name` is kube-openapi's dotted path of the value, `message` its full text. */
export interface Problem {
  code: ProblemCode;
  name: string;
  message: string;
  value?: unknown;
  valid?: number;
  values?: readonly unknown[];
}

/** A validation result: problems without repeats, and kube-openapi's match count used to rank failures. */
export class Result {
  problems: Problem[] = [];
  matchCount = 0;
  private seen: Set<string> | undefined;
  add(p: Problem): void {
    this.seen ??= new Set();
    if (this.seen.has(p.message)) return;
    this.seen.add(p.message);
    this.problems.push(p);
  }
  /** Drops the problems added after the first `n` (ratcheting). */
  truncate(n: number): void {
    for (let i = n; i < this.problems.length; i++) this.seen?.delete((this.problems[i] as Problem).message);
    this.problems.length = n;
  }
  merge(r: Result): void {
    for (const p of r.problems) this.add(p);
    this.matchCount += r.matchCount;
  }
  get valid(): boolean {
    return this.problems.length === 0;
  }
}

const IN = 'body';
type Kind = 'string' | 'int' | 'float' | 'bool' | 'slice' | 'map';

function kindOf(v: unknown): Kind {
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return isInt64(v) ? 'int' : 'float';
    default:
      return Array.isArray(v) ? 'slice' : 'map';
  }
}

const schemaTypeOfKind: Record<Kind, string> = { string: 'string', int: 'integer', float: 'number', bool: 'boolean', slice: 'array', map: 'object' };
const formatOfKind: Record<Kind, string> = { string: '', int: 'int64', float: 'float64', bool: '', slice: '', map: '' };

/** swag's IsFloat64AJSONInteger as vendored by Kubernetes 1.32 (relative error below 1e-9). */
export function isFloat64AJSONInteger(f: number): boolean {
  if (!Number.isFinite(f) || Math.abs(f) > 9007199254740991) return false;
  if (Number.isInteger(f)) return true;
  // Go converts a negative float to uint64 as a huge number, so the relative error is about 1.
  if (f < 0) return false;
  const g = Math.trunc(f);
  const diff = f - g;
  if (g === 0) return diff < 1e-9 * 5e-324;
  return diff / (f + g) < 1e-9;
}

function invalidType(name: string, typeName: string, value: string): Problem {
  return { code: 'invalidType', name, value, message: `${name} in ${IN} must be of type ${typeName}: ${JSON.stringify(value)}` };
}

const kindBit: Record<Kind, number> = { string: 1, int: 2, float: 4, bool: 8, slice: 16, map: 32 };
const INTEGER = 2;
const NUMBER = 4;

function validateType(node: SchemaNode, data: unknown, name: string, res: Result): void {
  const mask = node.typeMask;
  if (data === null || data === undefined) {
    if (node.types.length > 0 && (mask & 64) === 0 && !node.nullable) res.add(invalidType(name, node.types.join(','), 'null'));
    else res.matchCount++;
    return;
  }
  const kind = kindOf(data);
  const fmt = node.format;
  const has = (mask & kindBit[kind]) !== 0;
  if (has && fmt === '') {
    res.matchCount++;
    return;
  }
  const isFloatInt = kind === 'float' && (mask & INTEGER) !== 0 && isFloat64AJSONInteger(data as number);
  const isIntFloat = kind === 'int' && (mask & NUMBER) !== 0;
  if (kind !== 'string' && kind !== 'slice' && fmt !== '' && !(has || formatOfKind[kind] === fmt || isFloatInt || isIntFloat)) {
    res.add(invalidType(name, fmt, formatOfKind[kind]));
    return;
  }
  if ((mask & (INTEGER | NUMBER)) === 0 && fmt !== '' && (kind === 'string' || kind === 'slice')) {
    res.matchCount++;
    return;
  }
  if (!(has || isFloatInt || isIntFloat)) {
    res.add(invalidType(name, node.types.join(','), schemaTypeOfKind[kind]));
    return;
  }
  res.matchCount++;
}

function composite(name: string, message: string): Problem {
  return { code: 'composite', name, message };
}

// allOf, anyOf, oneOf and not. Branches are validated without ratcheting, as Kubernetes does.
function validateSchemaProps(node: SchemaNode, data: unknown, name: string, res: Result): void {
  const main = new Result();
  if (node.anyOf.length > 0) {
    let best: Result | undefined;
    let firstSuccess: Result | undefined;
    let succeeded = false;
    for (const b of node.anyOf) {
      const r = validateNode(b, data, name, undefined);
      if (r.valid) {
        best = undefined;
        succeeded = true;
        firstSuccess ??= r;
        break;
      }
      if (!best || r.matchCount > best.matchCount) best = r;
    }
    if (!succeeded) main.add(composite(name, `${JSON.stringify(name)} must validate at least one schema (anyOf)`));
    if (best) main.merge(best);
    else if (firstSuccess) main.merge(firstSuccess);
  }
  if (node.oneOf.length > 0) {
    let best: Result | undefined;
    let firstSuccess: Result | undefined;
    let validated = 0;
    for (const b of node.oneOf) {
      const r = validateNode(b, data, name, undefined);
      if (r.valid) {
        validated++;
        best = undefined;
        firstSuccess ??= r;
        continue;
      }
      if (validated === 0 && (!best || r.matchCount > best.matchCount)) best = r;
    }
    if (validated !== 1) {
      const more = validated === 0 ? 'Found none valid' : `Found ${validated} valid alternatives`;
      main.add(composite(name, `${JSON.stringify(name)} must validate one and only one schema (oneOf). ${more}`));
      if (best) main.merge(best);
    } else if (firstSuccess) main.merge(firstSuccess);
  }
  if (node.allOf.length > 0) {
    let validated = 0;
    for (const b of node.allOf) {
      const r = validateNode(b, data, name, undefined);
      if (r.valid) validated++;
      main.merge(r);
    }
    if (validated !== node.allOf.length) {
      main.add(composite(name, `${JSON.stringify(name)} must validate all the schemas (allOf)${validated === 0 ? '. None validated' : ''}`));
    }
  }
  if (node.not && validateNode(node.not, data, name, undefined).valid) {
    main.add(composite(name, `${JSON.stringify(name)} must not validate the schema (not)`));
  }
  main.matchCount++;
  res.merge(main);
}

function validateString(node: SchemaNode, data: string, name: string, res: Result): void {
  const s = node.schema;
  if (s.maxLength !== undefined || s.minLength !== undefined) {
    const len = [...data].length;
    if (s.maxLength !== undefined && len > s.maxLength) {
      res.add({ code: 'tooLong', name, value: data, valid: s.maxLength, message: `${name} in ${IN} should be at most ${s.maxLength} chars long` });
      return;
    }
    if (s.minLength !== undefined && len < s.minLength) {
      res.add({ code: 'tooShort', name, value: data, valid: s.minLength, message: `${name} in ${IN} should be at least ${s.minLength} chars long` });
      return;
    }
  }
  const p = node.pattern;
  if (p) {
    if (p.error !== undefined) {
      res.add({ code: 'pattern', name, value: data, message: `${name} in ${IN} should match '${p.source}, but pattern is invalid: ${p.error}'` });
    } else if (!p.test(data)) {
      res.add({ code: 'pattern', name, value: data, message: `${name} in ${IN} should match '${p.source}'` });
    }
  }
}

function validateFormat(node: SchemaNode, data: string, name: string, res: Result): void {
  if (node.formatCheck && !node.formatCheck(data)) res.add(invalidType(name, node.format, data));
}

// Integers compare with the bound truncated to an integer and print as integers; floats print with %v.
function validateNumber(node: SchemaNode, data: number, kind: Kind, name: string, res: Result): void {
  const s = node.schema;
  const isInt = kind === 'int';
  const show = (n: number): string => (isInt ? String(Math.trunc(n)) : goFloat(n));
  if (s.multipleOf !== undefined) {
    const factor = isInt ? Math.trunc(s.multipleOf) : s.multipleOf;
    if (factor <= 0) {
      res.add({ code: 'multipleOfMustBePositive', name, value: factor, message: `factor MultipleOf declared for ${name} must be positive: ${show(factor)}` });
    } else {
      const ok = isInt ? Math.trunc(data / factor) * factor === data : isFloat64AJSONInteger(factor < 1 ? (1 / factor) * data : data / factor);
      if (!ok) res.add({ code: 'multipleOf', name, value: data, message: `${name} in ${IN} should be a multiple of ${show(factor)}` });
    }
  }
  if (s.minimum !== undefined) {
    const min = isInt ? Math.trunc(s.minimum) : s.minimum;
    const exclusive = s.exclusiveMinimum === true;
    if (exclusive ? data <= min : data < min) {
      res.add({ code: 'min', name, value: data, message: `${name} in ${IN} should be greater than ${exclusive ? '' : 'or equal to '}${show(min)}` });
    }
  }
  if (s.maximum !== undefined) {
    const max = isInt ? Math.trunc(s.maximum) : s.maximum;
    const exclusive = s.exclusiveMaximum === true;
    if (exclusive ? data >= max : data > max) {
      res.add({ code: 'max', name, value: data, message: `${name} in ${IN} should be less than ${exclusive ? '' : 'or equal to '}${show(max)}` });
    }
  }
  res.matchCount++;
}

function validateSlice(node: SchemaNode, data: unknown[], name: string, corr: Correlation | undefined, res: Result): void {
  const items = node.items;
  if (items) {
    for (let i = 0; i < data.length; i++) validateLazy(items, data[i], `${name}[${i}]`, corr, i, name, res);
  }
  const s = node.schema;
  const size = data.length;
  if (s.minItems !== undefined && size < s.minItems) {
    res.add({ code: 'minItems', name, value: size, valid: s.minItems, message: `${name} in ${IN} should have at least ${s.minItems} items` });
  }
  if (s.maxItems !== undefined && size > s.maxItems) {
    res.add({ code: 'maxItems', name, value: size, valid: s.maxItems, message: `${name} in ${IN} should have at most ${s.maxItems} items` });
  }
  if (s.uniqueItems === true) {
    outer: for (let i = 1; i < size; i++) {
      for (let j = 0; j < i; j++) {
        if (deepEqual(data[i], data[j])) {
          res.add({ code: 'unique', name, message: `${name} in ${IN} shouldn't contain duplicates` });
          break outer;
        }
      }
    }
  }
  res.matchCount++;
}

// Go's reflect conversion lets an enum value match a value of another convertible type: numbers convert to
// each other (a float truncates to an int64 enum value) and an integer converts to the string of its rune.
function enumMatches(data: unknown, e: unknown): boolean {
  if (e === null || e === undefined) return false;
  if (typeof e === 'number' && typeof data === 'number') return isInt64(e) && !isInt64(data) ? Math.trunc(data) === e : data === e;
  if (typeof e === 'string' && typeof data === 'number' && isInt64(data)) {
    return e === (data >= 0 && data <= 0x10ffff && !(data >= 0xd800 && data <= 0xdfff) ? String.fromCodePoint(data) : '\ufffd');
  }
  return deepEqual(data, e);
}

function validateEnum(node: SchemaNode, data: unknown, name: string, res: Result): void {
  const en = node.enum;
  if (!en || en.length === 0) return;
  if (data !== null && data !== undefined) for (const e of en) if (enumMatches(data, e)) return;
  res.add({ code: 'enum', name, value: data ?? null, values: en, message: `${name} in ${IN} should be one of [${en.map(String).join(' ')}]` });
}

function validateObject(node: SchemaNode, data: JsonMap, name: string, corr: Correlation | undefined, res: Result): void {
  const s = node.schema;
  if (s.minProperties !== undefined || s.maxProperties !== undefined) {
    const n = Object.keys(data).length;
    if (s.minProperties !== undefined && n < s.minProperties) {
      res.add({ code: 'tooFewProperties', name, value: n, valid: s.minProperties, message: `${name} in ${IN} should have at least ${s.minProperties} properties` });
    }
    if (s.maxProperties !== undefined && n > s.maxProperties) {
      res.add({ code: 'tooManyProperties', name, value: n, valid: s.maxProperties, message: `${name} in ${IN} should have at most ${s.maxProperties} properties` });
    }
  }
  const props = node.properties;
  const ap = node.additionalProperties;
  // One pass over the value's fields (Kubernetes visits them in map order, which Go randomizes anyway).
  const keys = Object.keys(data);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const sub = props?.get(k);
    if (sub) validateLazy(sub, data[k], name === '' ? k : `${name}.${k}`, corr, k, name, res);
    else if (ap === false) res.add({ code: 'unallowedProperty', name, value: k, message: `${name}.${k} in ${IN} is a forbidden property` });
    else if (ap !== undefined && ap !== true) validateLazy(ap, data[k], `${name}.${k}`, corr, k, name, res);
  }
  const req = node.required;
  for (let i = 0; i < req.length; i++) {
    const k = req[i] as string;
    if (!Object.prototype.hasOwnProperty.call(data, k)) res.add({ code: 'required', name: `${name}.${k}`, message: `${name}.${k} in ${IN} is required` });
  }
}

// apiVersion and kind at the root never ratchet: both objects were converted to the same version.
function fieldCorrelation(corr: Correlation | undefined, name: string, k: string): Correlation | undefined {
  if (!corr || (name === '' && (k === 'apiVersion' || k === 'kind'))) return undefined;
  return corr.key(k);
}

// A child value; with a correlation, its errors are dropped when it equals its old value (ratcheting).
function validateChild(node: SchemaNode, data: unknown, name: string, corr: Correlation | undefined, res: Result): void {
  const before = res.problems.length;
  validateInto(node, data, name, corr, res);
  if (corr && res.problems.length > before && corr.deepEqual()) res.truncate(before);
}

// A child field (string key) or item (number) of a value correlated with `corr`. The child's correlation is
// only built when needed: to descend into an object or list, or to ratchet the errors of a scalar.
function validateLazy(node: SchemaNode, data: unknown, name: string, corr: Correlation | undefined, key: string | number, parentName: string, res: Result): void {
  if (!corr) {
    validateInto(node, data, name, undefined, res);
    return;
  }
  const childOf = (): Correlation | undefined => (typeof key === 'number' ? corr.index(key) : fieldCorrelation(corr, parentName, key));
  if (typeof data === 'object' && data !== null) {
    validateChild(node, data, name, childOf(), res);
    return;
  }
  const before = res.problems.length;
  validateInto(node, data, name, undefined, res);
  if (res.problems.length > before && childOf()?.deepEqual()) res.truncate(before);
}

/** Validates `data` against `node`; `name` is the kube-openapi path of the value ('' at the root). */
export function validateNode(node: SchemaNode, data: unknown, name: string, corr: Correlation | undefined): Result {
  const res = new Result();
  validateInto(node, data, name, corr, res);
  return res;
}

function validateInto(node: SchemaNode, data: unknown, name: string, corr: Correlation | undefined, res: Result): void {
  if (data === null || data === undefined) {
    validateType(node, data, name, res);
    validateEnum(node, data, name, res);
    return;
  }
  const kind = kindOf(data);
  if (node.typeMask !== 0 || node.format !== '') {
    validateType(node, data, name, res);
    res.matchCount++;
  }
  if (node.hasJunctors) validateSchemaProps(node, data, name, res);
  else res.matchCount++;
  res.matchCount++;
  if (kind === 'string') {
    validateString(node, data as string, name, res);
    res.matchCount++;
    if (node.formatCheck) {
      validateFormat(node, data as string, name, res);
      res.matchCount++;
    }
  } else if (kind === 'int' || kind === 'float') {
    validateNumber(node, data as number, kind, name, res);
    res.matchCount++;
  } else if (kind === 'slice') {
    validateSlice(node, data as unknown[], name, corr, res);
    res.matchCount++;
  }
  if (node.enum) validateEnum(node, data, name, res);
  res.matchCount++;
  if (kind === 'map') {
    validateObject(node, data as JsonMap, name, corr, res);
    res.matchCount++;
  }
  res.matchCount++;
}

/** Validates a whole value at the root (ratcheting against `corr` when given). */
export function validateRoot(node: SchemaNode, data: unknown, corr: Correlation | undefined): Result {
  const res = new Result();
  validateChild(node, data, '', corr, res);
  return res;
}
