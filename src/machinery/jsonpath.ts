// Kubernetes' JSONPath (client-go's util/jsonpath, as kubectl and the API server's printer columns use it):
// fields, `['key']`, indices and slices, `[*]`, unions, `..` recursion and `[?(@.a == "b")]` filters; plus the
// cell a custom resource printer column shows for a value, as the server-side table converter computes it.
import { humanDuration } from '../util/index.js';
import { goV } from './go-format.js';
import { timeParseError } from './schema/index.js';

type PNode =
  | { t: 'list'; nodes: PNode[] }
  | { t: 'text'; text: string }
  | { t: 'field'; name: string }
  | { t: 'array'; params: [Param, Param, Param] }
  | { t: 'filter'; left: PNode & { t: 'list' }; right: PNode & { t: 'list' }; op: string }
  | { t: 'int'; value: number }
  | { t: 'float'; value: number }
  | { t: 'bool'; value: boolean }
  | { t: 'wildcard' }
  | { t: 'recursive' }
  | { t: 'union'; nodes: (PNode & { t: 'list' })[] }
  | { t: 'identifier'; name: string };

interface Param {
  known: boolean;
  value: number;
  derived: boolean;
}

/** A JSONPath expression that failed to parse or evaluate, with client-go's message. */
export class JsonPathError extends Error {}

const isTerminator = (r: string | undefined): boolean => r === undefined || ' \t\r\n.,[]$@{}'.includes(r);
const isAlphaNumeric = (r: string): boolean => /^[_\p{L}\p{Nd}]$/u.test(r);

class Parser {
  pos = 0;
  start = 0;
  constructor(private readonly input: string) {}

  parse(): PNode & { t: 'list' } {
    const root: PNode & { t: 'list' } = { t: 'list', nodes: [] };
    this.parseText(root);
    return root;
  }
  private next(): string | undefined {
    const cp = this.input.codePointAt(this.pos);
    if (cp === undefined) return undefined;
    const r = String.fromCodePoint(cp);
    this.pos += r.length;
    return r;
  }
  private consume(): string {
    const v = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return v;
  }
  private parseText(root: PNode & { t: 'list' }): void {
    for (;;) {
      if (this.input.startsWith('{', this.pos)) {
        if (this.pos > this.start) root.nodes.push({ t: 'text', text: this.consume() });
        this.pos += 1;
        this.consume();
        const list: PNode & { t: 'list' } = { t: 'list', nodes: [] };
        root.nodes.push(list);
        this.parseInside(list, root);
        return;
      }
      if (this.next() === undefined) break;
    }
    if (this.pos > this.start) root.nodes.push({ t: 'text', text: this.consume() });
  }
  private parseInside(cur: PNode & { t: 'list' }, root: PNode & { t: 'list' }): void {
    for (;;) {
      const rest = this.input.slice(this.pos);
      if (rest.startsWith('}')) {
        this.pos += 1;
        this.consume();
        this.parseText(root);
        return;
      }
      if (rest.startsWith('[?(')) {
        this.parseFilter(cur);
        continue;
      }
      if (rest.startsWith('..')) {
        const last = cur.nodes[cur.nodes.length - 1];
        if (last?.t === 'recursive') throw new JsonPathError('invalid multiple recursive descent');
        this.pos += 2;
        this.consume();
        cur.nodes.push({ t: 'recursive' });
        if (this.input[this.pos] !== undefined && isAlphaNumeric(this.input[this.pos] as string)) this.parseField(cur);
        continue;
      }
      const r = this.next();
      if (r === undefined || r === '\r' || r === '\n') throw new JsonPathError('unclosed action');
      if (r === ' ' || r === '@' || r === '$') this.consume();
      else if (r === '[') this.parseArray(cur);
      else if (r === '"' || r === "'") this.parseQuote(cur, r);
      else if (r === '.') this.parseField(cur);
      else if (r === '+' || r === '-' || /\p{Nd}/u.test(r)) {
        this.pos -= r.length;
        this.parseNumber(cur);
      } else if (isAlphaNumeric(r)) {
        this.pos -= r.length;
        this.parseIdentifier(cur);
      } else {
        const cp = (r.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
        throw new JsonPathError(`unrecognized character in action: U+${cp} '${r}'`);
      }
    }
  }
  private parseIdentifier(cur: PNode & { t: 'list' }): void {
    while (!isTerminator(this.input[this.pos])) this.next();
    const v = this.consume();
    cur.nodes.push(v === 'true' || v === 'false' ? { t: 'bool', value: v === 'true' } : { t: 'identifier', name: v });
  }
  private parseNumber(cur: PNode & { t: 'list' }): void {
    if (this.input[this.pos] === '+' || this.input[this.pos] === '-') this.pos++;
    while (this.input[this.pos] === '.' || /[0-9]/.test(this.input[this.pos] ?? '')) this.pos++;
    const v = this.consume();
    if (/^[+-]?[0-9]+$/.test(v)) cur.nodes.push({ t: 'int', value: Number(v) });
    else if (/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$/.test(v)) cur.nodes.push({ t: 'float', value: Number(v) });
    else throw new JsonPathError(`cannot parse number ${v}`);
  }
  private parseArray(cur: PNode & { t: 'list' }): void {
    for (;;) {
      const r = this.next();
      if (r === undefined || r === '\n') throw new JsonPathError('unterminated array');
      if (r === ']') break;
    }
    let text = this.consume().slice(1, -1);
    if (text === '*') text = ':';
    const parts = text.split(',');
    if (parts.length > 1) {
      cur.nodes.push({ t: 'union', nodes: parts.map((p) => parseAction(`[${p.trim()}]`)) });
      return;
    }
    const dict = /^'([^']*)'$/.exec(text);
    if (dict) {
      cur.nodes.push(...parseAction(`.${dict[1]}`).nodes);
      return;
    }
    const m = /^(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?$/.exec(text);
    if (!m) throw new JsonPathError(`invalid array index ${text}`);
    const params: Param[] = [];
    for (let i = 0; i < 3; i++) {
      let v = m[i + 1] ?? '';
      if (v !== '') {
        if (i > 0) v = v.slice(1);
        if (i > 0 && v === '') params.push({ known: false, value: 0, derived: false });
        else if (!/^-?[0-9]+$/.test(v)) throw new JsonPathError(`array index ${v} is not a number`);
        else params.push({ known: true, value: Number(v), derived: false });
      } else if (i === 1) params.push({ known: true, value: (params[0]?.value ?? 0) + 1, derived: true });
      else params.push({ known: false, value: 0, derived: false });
    }
    cur.nodes.push({ t: 'array', params: params as [Param, Param, Param] });
  }
  private parseFilter(cur: PNode & { t: 'list' }): void {
    this.pos += 3;
    this.consume();
    let begin = false;
    let end = false;
    let pair = '';
    for (;;) {
      const r = this.next();
      if (r === undefined || r === '\n') throw new JsonPathError('unterminated filter');
      if (r === '"' || r === "'") {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true;
      } else if (r === ')' && begin === end) break;
    }
    if (this.next() !== ']') throw new JsonPathError('unclosed array expect ]');
    const text = this.consume().slice(0, -2);
    const m = /^([^!<>=]+)([!<>=]+)(.+?)$/s.exec(text);
    if (!m) cur.nodes.push({ t: 'filter', left: parseAction(text), right: { t: 'list', nodes: [] }, op: 'exists' });
    else cur.nodes.push({ t: 'filter', left: parseAction(m[1] as string), right: parseAction(m[3] as string), op: m[2] as string });
  }
  private parseQuote(cur: PNode & { t: 'list' }, end: string): void {
    for (;;) {
      const r = this.next();
      if (r === undefined || r === '\n') throw new JsonPathError('unterminated quoted string');
      if (r === end && this.input[this.pos - 2] !== '\\') break;
    }
    const raw = this.consume();
    const text = unquote(raw.slice(1, -1), raw);
    cur.nodes.push({ t: 'text', text });
  }
  private parseField(cur: PNode & { t: 'list' }): void {
    this.consume();
    for (;;) {
      const r = this.input[this.pos];
      if (r === '\\') this.pos += 2;
      else if (isTerminator(r)) break;
      else this.next();
    }
    const v = this.consume();
    cur.nodes.push(v === '*' ? { t: 'wildcard' } : { t: 'field', name: v.replace(/\\/g, '') });
  }
}

const escapes: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };

// Go's strconv.UnquoteChar over a quoted body: \n, \t, \xNN, \uNNNN, \UNNNNNNNN, octal \NNN and quotes.
function unquote(body: string, raw: string): string {
  if (!body.includes('\\')) return body;
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/gs, (_m, e: string) => {
    if (e.length > 1) return String.fromCodePoint(parseInt(e[0] === 'x' || e[0] === 'u' || e[0] === 'U' ? e.slice(1) : e, e[0] === 'x' || e[0] === 'u' || e[0] === 'U' ? 16 : 8));
    const r = escapes[e];
    if (r === undefined) throw new JsonPathError(`unquote string ${raw} error invalid syntax`);
    return r;
  });
}

// A sub-expression as client-go parses it: wrapped in braces, its first list.
function parseAction(text: string): PNode & { t: 'list' } {
  const root = new Parser(`{${text}}`).parse();
  return root.nodes[0] as PNode & { t: 'list' };
}

const cache = new Map<string, PNode & { t: 'list' }>();

/** A parsed JSONPath template. */
export type JsonPathTemplate = PNode & { t: 'list' };

/** Parses a JSONPath template (`{.spec.replicas}`); a bare expression (`.spec.replicas`) is wrapped in braces. */
export function parseJsonPath(expr: string): JsonPathTemplate {
  const text = expr.includes('{') ? expr : `{${expr}}`;
  const hit = cache.get(text);
  if (hit) return hit;
  const p = new Parser(text).parse();
  if (cache.size > 1000) cache.clear();
  cache.set(text, p);
  return p;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const children = (v: unknown): unknown[] => (Array.isArray(v) ? v : isObj(v) ? Object.values(v) : typeof v === 'string' ? [...Buffer.from(v)] : []);

// Kinds of Go's template comparison: JSON integers are int64, other numbers float64; literals int or float.
type Cmp = { k: 'int' | 'float' | 'string' | 'bool'; v: number | string | boolean };
interface Val {
  v: unknown;
  literal?: 'int' | 'float';
}

function cmpOf(x: Val): Cmp {
  const v = x.v;
  if (typeof v === 'boolean') return { k: 'bool', v };
  if (typeof v === 'string') return { k: 'string', v };
  if (typeof v === 'number') return { k: x.literal ?? (Number.isInteger(v) ? 'int' : 'float'), v };
  throw new JsonPathError('invalid type for comparison');
}

function compare(op: string, a: Val, b: Val): boolean {
  const l = cmpOf(a);
  const r = cmpOf(b);
  if (l.k !== r.k) throw new JsonPathError('incompatible types for comparison');
  const eq = l.v === r.v;
  if (op === '==') return eq;
  if (op === '!=') return !eq;
  if (l.k === 'bool') throw new JsonPathError('invalid type for comparison');
  const lt = (l.v as number | string) < (r.v as number | string);
  switch (op) {
    case '<':
      return lt;
    case '<=':
      return lt || eq;
    case '>':
      return !(lt || eq);
    case '>=':
      return !lt;
    default:
      throw new JsonPathError(`unrecognized filter operator ${op}`);
  }
}

function evalList(input: Val[], list: PNode & { t: 'list' }, allowMissing: boolean): Val[] {
  let cur = input;
  for (const n of list.nodes) cur = walk(cur, n, allowMissing);
  return cur;
}

function evalArray(input: Val[], params: [Param, Param, Param]): Val[] {
  const out: Val[] = [];
  for (const { v } of input) {
    if (v === null || v === undefined) continue;
    if (!Array.isArray(v)) throw new JsonPathError(`${isObj(v) ? 'map[string]interface {}' : typeof v} is not array or slice`);
    const len = v.length;
    let start = params[0].known ? params[0].value : 0;
    if (start < 0) start += len;
    let end = params[1].known ? params[1].value : len;
    if (end < 0 || (end === 0 && params[1].derived)) end += len;
    if (end === start) return out;
    if (start >= len || start < 0) throw new JsonPathError(`array index out of bounds: index ${start}, length ${len}`);
    if (end > len || end < 0) throw new JsonPathError(`array index out of bounds: index ${end - 1}, length ${len}`);
    if (start > end) throw new JsonPathError(`starting index ${start} is greater than ending index ${end}`);
    const step = params[2].known ? params[2].value : 1;
    if (params[2].known && step <= 0) throw new JsonPathError('step must be > 0');
    for (let i = start; i < end; i += step) out.push({ v: v[i] });
  }
  return out;
}

function walk(input: Val[], n: PNode, allowMissing: boolean): Val[] {
  switch (n.t) {
    case 'list':
      return evalList(input, n, allowMissing);
    case 'text':
      return [{ v: n.text }];
    case 'int':
    case 'float':
      return input.map(() => ({ v: n.value, literal: n.t }));
    case 'bool':
      return input.map(() => ({ v: n.value }));
    case 'field': {
      const out: Val[] = [];
      for (const { v } of input) if (isObj(v) && Object.prototype.hasOwnProperty.call(v, n.name)) out.push({ v: v[n.name] });
      if (out.length === 0 && input.length > 0 && !allowMissing) throw new JsonPathError(`${n.name} is not found`);
      return out;
    }
    case 'array':
      return evalArray(input, n.params);
    case 'wildcard':
      return input.flatMap(({ v }) => children(v).map((c) => ({ v: c })));
    case 'recursive': {
      const out: Val[] = [];
      const visit = (v: unknown): void => {
        const cs = children(v);
        if (cs.length === 0) return;
        out.push({ v });
        for (const c of cs) visit(c);
      };
      for (const { v } of input) visit(v);
      return out;
    }
    case 'union':
      return n.nodes.flatMap((l) => evalList(input, l, allowMissing));
    case 'identifier':
      throw new JsonPathError(n.name === 'end' ? 'not in range, nothing to end' : `unrecognized identifier ${n.name}`);
    case 'filter': {
      const out: Val[] = [];
      for (const { v } of input) {
        if (!Array.isArray(v)) throw new JsonPathError(`${JSON.stringify(v)} is not array or slice and cannot be filtered`);
        for (const item of v) {
          const one = [{ v: item }];
          let lefts: Val[];
          try {
            lefts = evalList(one, n.left, allowMissing);
          } catch (e) {
            if (n.op === 'exists') continue;
            throw e;
          }
          if (n.op === 'exists') {
            if (lefts.length > 0) out.push({ v: item });
            continue;
          }
          if (lefts.length === 0) continue;
          if (lefts.length > 1) throw new JsonPathError('can only compare one element at a time');
          const rights = evalList(one, n.right, allowMissing);
          if (rights.length === 0) continue;
          if (rights.length > 1) throw new JsonPathError('can only compare one element at a time');
          if (compare(n.op, lefts[0] as Val, rights[0] as Val)) out.push({ v: item });
        }
      }
      return out;
    }
  }
}

/** Options of findJsonPathResults. */
export interface JsonPathOptions {
  /** Missing fields yield no result instead of an error (true for printer columns, as the API server sets). */
  allowMissingKeys?: boolean;
}

/** client-go's FindResults: one list of values per top-level part of the template. Throws JsonPathError. */
export function findJsonPathResults(obj: unknown, expr: string, opts: JsonPathOptions = {}): unknown[][] {
  const root = parseJsonPath(expr);
  const allow = opts.allowMissingKeys ?? true;
  return root.nodes.map((n) => walk([{ v: obj }], n, allow).map((x) => x.v));
}

/** Every value `expr` selects in `obj` (missing fields select nothing); throws JsonPathError on a bad path. */
export function evalJsonPath(obj: unknown, expr: string): unknown[] {
  return findJsonPathResults(obj, expr).flat();
}

// Go's encoding/json: sorted keys, HTML-sensitive characters escaped.
function goJson(v: unknown): string {
  const enc = (x: unknown): string => {
    if (Array.isArray(x)) return `[${x.map(enc).join(',')}]`;
    if (isObj(x)) return `{${Object.keys(x).sort().map((k) => `${enc(k)}:${enc(x[k])}`).join(',')}}`;
    if (typeof x === 'string') return JSON.stringify(x).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
    if (typeof x === 'number') return goJsonNumber(x);
    return x === undefined ? 'null' : JSON.stringify(x);
  };
  return enc(v);
}

function goJsonNumber(n: number): string {
  const a = Math.abs(n);
  if (a !== 0 && (a < 1e-6 || a >= 1e21)) return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(n);
}

/** How kubectl's JSONPath output prints one value: text as is, objects and lists as JSON, null as `<no value>`. */
export function jsonPathText(v: unknown): string {
  if (v === null || v === undefined) return '<no value>';
  if (typeof v === 'object') return goJson(v);
  if (typeof v === 'number') return goV(v);
  return String(v);
}

/** A CRD printer column (additionalPrinterColumns entry). */
export interface PrinterColumn {
  jsonPath: string;
  /** integer, number, string, boolean or date. */
  type: string;
}

/**
 * The table cell the API server shows for a custom resource column: the first value the path selects, as an
 * int64 for `integer` (floats truncated), a float for `number`, kubectl's text for `string` (objects as JSON),
 * the age (`5m`) for `date` (`<invalid>` when unparseable, `<unknown>` for empty), null when nothing matches,
 * the path fails, or the value has the wrong type.
 */
export function printerColumnCell(obj: unknown, col: PrinterColumn, now: number): string | number | boolean | null {
  let value: unknown;
  try {
    const results = findJsonPathResults(obj, col.jsonPath, { allowMissingKeys: true });
    const first = results[0];
    if (!first || first.length === 0) return null;
    value = first[0];
  } catch {
    return null;
  }
  if (col.type === 'string') return jsonPathText(value);
  if (value === null || value === undefined) return null;
  switch (col.type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      if (value === '' || value === 'null') return '<unknown>';
      if (timeParseError(value) !== undefined) return '<invalid>';
      return humanDuration(now - Date.parse(value));
    }
    default:
      return null;
  }
}
