// Path elements of field sets, kept in their FieldsV1 spelling (`f:name`, `k:{"name":"x"}`, `v:"a"`, `i:0`), with
// Kubernetes' order between them and Go's JSON spelling of the values they carry.

/** One step of a field path, spelled as in FieldsV1: `f:<field>`, `k:<key fields>`, `v:<value>` or `i:<index>`. */
export type PathElement = string;

/** A field path: the path elements from the object's root. */
export type FieldPath = readonly PathElement[];

/** `f:<name>`: a field of an object or a key of a map. */
export function fieldElement(name: string): PathElement {
  return 'f:' + name;
}

/** `k:{...}`: the item of a keyed list whose key fields have these values (sorted by name). */
export function keyElement(fields: readonly (readonly [string, unknown])[]): PathElement {
  const sorted = fields.length < 2 ? fields : [...fields].sort((a, b) => goCompare(a[0], b[0]));
  let s = 'k:{';
  for (let i = 0; i < sorted.length; i++) {
    const f = sorted[i] as readonly [string, unknown];
    if (i > 0) s += ',';
    s += goJsonString(f[0]) + ':' + goJson(f[1]);
  }
  return s + '}';
}

/** `v:<json>`: the item of a set list with this value. */
export function valueElement(value: unknown): PathElement {
  return 'v:' + goJson(value);
}

/** `i:<n>`: the item at a position. */
export function indexElement(index: number): PathElement {
  return 'i:' + String(index);
}

const canonicalCache = new Map<string, PathElement>();

/** Reads a FieldsV1 key into its canonical spelling; undefined for kinds this version does not know. */
export function parsePathElement(s: string): PathElement | undefined {
  if (s.length < 2 || s[1] !== ':') throw new Error(`missing colon: ${s}`);
  if (s[0] === 'f') return s;
  const hit = canonicalCache.get(s);
  if (hit !== undefined) return hit;
  const pe = readPathElement(s);
  if (pe !== undefined) {
    if (canonicalCache.size > 4096) canonicalCache.clear();
    canonicalCache.set(s, pe);
  }
  return pe;
}

function readPathElement(s: string): PathElement | undefined {
  switch (s[0]) {
    case 'f':
      return s;
    case 'v':
      return valueElement(JSON.parse(s.slice(2)));
    case 'k': {
      const obj: unknown = JSON.parse(s.slice(2));
      if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new Error(`key must be an object: ${s}`);
      return keyElement(Object.entries(obj));
    }
    case 'i': {
      const n = Number(s.slice(2));
      if (!Number.isInteger(n)) throw new Error(`invalid index: ${s}`);
      return indexElement(n);
    }
    default:
      return undefined;
  }
}

const kindRank: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** Kubernetes' order of path elements: fields, then keys, then values, then indexes; each by content. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  if (a === b) return 0;
  const ka = kindRank[a[0] ?? ''] ?? 4;
  const kb = kindRank[b[0] ?? ''] ?? 4;
  if (ka !== kb) return ka < kb ? -1 : 1;
  switch (ka) {
    case 0:
      return goCompare(a, b);
    case 1:
      return compareKeyFields(parsedKey(a), parsedKey(b));
    case 2:
      return compareValues(parsedValue(a), parsedValue(b));
    default:
      return Math.sign(Number(a.slice(2)) - Number(b.slice(2)));
  }
}

/** Human form used in conflict messages and errors: `.name`, `[name="x"]`, `[="a"]`, `[0]`. */
export function pathElementString(pe: PathElement): string {
  switch (pe[0]) {
    case 'f':
      return '.' + pe.slice(2);
    case 'k':
      return '[' + parsedKey(pe).map(([k, v]) => `${k}=${goValueString(v)}`).join(',') + ']';
    case 'v':
      return `[=${goValueString(parsedValue(pe))}]`;
    case 'i':
      return `[${pe.slice(2)}]`;
    default:
      return '{{invalid path element}}';
  }
}

/** A whole path in the human form: `.spec.template.spec.containers[name="app"].image`. */
export function pathString(path: FieldPath): string {
  let s = '';
  for (const pe of path) s += pathElementString(pe);
  return s;
}

// Parsed keys and values are cached: the same few elements (`k:{"name":"app"}`) come back on every request.
const parsedCache = new Map<string, unknown>();
function cached<T>(pe: string, parse: () => T): T {
  const hit = parsedCache.get(pe);
  if (hit !== undefined || parsedCache.has(pe)) return hit as T;
  const v = parse();
  if (parsedCache.size > 4096) parsedCache.clear();
  parsedCache.set(pe, v);
  return v;
}

function parsedKey(pe: PathElement): [string, unknown][] {
  return cached(pe, () => Object.entries(JSON.parse(pe.slice(2)) as Record<string, unknown>));
}

function parsedValue(pe: PathElement): unknown {
  return cached(pe, () => JSON.parse(pe.slice(2)) as unknown);
}

function compareKeyFields(a: [string, unknown][], b: [string, unknown][]): number {
  for (let i = 0; ; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return y === undefined ? 0 : -1;
    if (y === undefined) return 1;
    const c = goCompare(x[0], y[0]) || compareValues(x[1], y[1]);
    if (c !== 0) return c;
  }
}

const valueRank = (v: unknown): number => {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (v !== null && typeof v === 'object') return 4;
  return 5;
};

/** Kubernetes' total order of JSON values: numbers < strings < booleans < lists < maps < null. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = valueRank(a);
  const rb = valueRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return Math.sign((a as number) - (b as number));
    case 1:
      return goCompare(a as string, b as string);
    case 2:
      return a === b ? 0 : a ? 1 : -1;
    case 3: {
      const x = a as unknown[];
      const y = b as unknown[];
      for (let i = 0; ; i++) {
        if (i >= x.length) return i >= y.length ? 0 : -1;
        if (i >= y.length) return 1;
        const c = compareValues(x[i], y[i]);
        if (c !== 0) return c;
      }
    }
    case 4: {
      const x = a as Record<string, unknown>;
      const y = b as Record<string, unknown>;
      const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort(goCompare);
      const lx = Object.keys(x).length;
      const ly = Object.keys(y).length;
      if (lx === 0 && ly === 0) return 0;
      let i = 0;
      for (const k of keys) {
        let c: number;
        if (i === lx) c = -1;
        else if (i === ly) c = 1;
        else if (!(k in x)) c = 1;
        else if (!(k in y)) c = -1;
        else c = compareValues(x[k], y[k]);
        i++;
        if (c !== 0) return c;
      }
      return 0;
    }
    default:
      return 0;
  }
}

/** Go's string order (bytes of UTF-8), which differs from UTF-16 order only around surrogate pairs. */
export function goCompare(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Surrogates (astral code points) sort after U+E000..U+FFFF in UTF-8 but before them in UTF-16.
      const sx = x <= 0xdfff;
      const sy = y <= 0xdfff;
      if (sx !== sy) return sx ? 1 : -1;
    }
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

/** A value as Go's `%v`/`%q` print it in paths: strings quoted, numbers and booleans bare. */
function goValueString(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return '[' + v.map(goValueString).join(',') + ']';
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}=${goValueString(x)}`).join('');
  return '{{undefined}}';
}

/** Go's `%q`: a double-quoted string with Go escapes. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (c === 0x07) out += '\\a';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0b) out += '\\v';
    else if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/** A JSON string as Kubernetes' encoder writes it (HTML characters and line separators escaped). */
export function goJsonString(s: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/["\\\u0000-\u001f<>&\u2028\u2029]/.test(s)) return '"' + s + '"';
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    const c = s.charCodeAt(i);
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

/** A JSON value as Kubernetes' encoder writes it: Go escaping, object keys sorted. */
export function goJson(v: unknown): string {
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return '[' + v.map(goJson).join(',') + ']';
  const o = v as Record<string, unknown>;
  return '{' + Object.keys(o).sort(goCompare).map((k) => goJsonString(k) + ':' + goJson(o[k])).join(',') + '}';
}
