// The small block-YAML dialect of kubeconfig files, written and read without the `yaml` package, which `kin up`
// would otherwise load at every start (tens of milliseconds) just to write and re-read its kubeconfig.
//
// The writer emits what kubectl writes: block mappings and sequences (sequence items at the indentation of their
// key), `{}` and `[]` for empty ones, plain scalars where that cannot change their meaning and JSON-quoted strings
// otherwise (a JSON string is a YAML double-quoted scalar with the same meaning). The reader accepts exactly that
// dialect, which is also what kubectl and kin have always written, and answers `undefined` for anything else
// (comments, flow collections, anchors, multi-line scalars, tabs...): the caller then uses the full YAML parser.

/** A plain scalar that YAML (1.1 or 1.2) reads as this very string: no indicators, spaces, numbers or keywords. */
const plainString = /^[A-Za-z_/][\w./@+=-]*(?::[\w./@+=-]+)*$/;
const keyword = /^(?:true|false|yes|no|on|off|y|n|null)$/i;
const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

function isPlain(s: string): boolean {
  return plainString.test(s) && !keyword.test(s);
}

// ---- writing -------------------------------------------------------------------------------------

function scalar(v: unknown): string | undefined {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === 'string') return isPlain(v) ? v : JSON.stringify(v);
  return undefined;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Writes `value` after `head` (a key with its colon, or a sequence dash); false when it is outside the dialect. */
function writeValue(out: string[], head: string, value: unknown, indent: string): boolean {
  if (Array.isArray(value)) {
    // Items sit at the indentation of their key, as kubectl writes them.
    if (value.length === 0) return out.push(`${head} []`), true;
    out.push(head);
    for (const item of value) {
      if (Array.isArray(item) && item.length > 0) return false; // a sequence in a sequence: not kubeconfig's shape
      if (isMap(item) && Object.keys(item).length > 0) {
        const lines: string[] = [];
        if (!writeMap(lines, item, `${indent}  `)) return false;
        lines[0] = `${indent}- ${lines[0]!.slice(indent.length + 2)}`;
        out.push(...lines);
      } else if (!writeValue(out, `${indent}-`, item, `${indent}  `)) return false;
    }
    return true;
  }
  if (isMap(value)) {
    if (Object.keys(value).length === 0) return out.push(`${head} {}`), true;
    out.push(head);
    return writeMap(out, value, `${indent}  `);
  }
  const s = scalar(value);
  if (s === undefined) return false;
  out.push(`${head} ${s}`);
  return true;
}

function writeMap(out: string[], map: Record<string, unknown>, indent: string): boolean {
  for (const [k, v] of Object.entries(map)) {
    if (v === undefined) continue;
    const key = isPlain(k) && !k.includes(':') ? k : JSON.stringify(k);
    if (!writeValue(out, `${indent}${key}:`, v, indent)) return false;
  }
  return true;
}

/** The YAML text of a kubeconfig document, or undefined when it holds something outside the dialect. */
export function writeKubeconfigYaml(doc: Record<string, unknown>): string | undefined {
  const out: string[] = [];
  if (!writeMap(out, doc, '')) return undefined;
  return out.length === 0 ? '{}\n' : `${out.join('\n')}\n`;
}

// ---- reading -------------------------------------------------------------------------------------

class OutsideDialect extends Error {}

const entryLine = /^( *)("(?:[^"\\]|\\.)*"|[^\s"'#:{}[\],&*!|>%@`-][^\s:#]*)(?::(?: (.*))?)$/;

function parseScalar(text: string): unknown {
  if (text === '{}') return {};
  if (text === '[]') return [];
  if (text === 'null' || text === '~') return null;
  if (text === 'true' || text === 'false') return text === 'true';
  if (number.test(text)) return Number(text);
  if (text.startsWith('"')) {
    try {
      const s: unknown = JSON.parse(text);
      if (typeof s === 'string') return s;
    } catch {
      // not a JSON string: some other double-quoted YAML
    }
    throw new OutsideDialect();
  }
  if (isPlain(text)) return text;
  throw new OutsideDialect();
}

function parseKey(text: string): string {
  const k = parseScalar(text);
  if (typeof k !== 'string') throw new OutsideDialect();
  return k;
}

class Reader {
  private i = 0;
  constructor(private readonly lines: string[]) {}

  parse(): unknown {
    if (this.lines.length === 0) return null;
    const v = this.block(0);
    if (this.i !== this.lines.length) throw new OutsideDialect();
    return v;
  }

  private indentOf(line: string): number {
    return line.length - line.trimStart().length;
  }

  private block(indent: number): unknown {
    const line = this.lines[this.i];
    if (line === undefined || this.indentOf(line) !== indent) throw new OutsideDialect();
    return line.slice(indent).startsWith('-') ? this.sequence(indent) : this.mapping(indent);
  }

  private mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let line = this.lines[this.i]; line !== undefined && this.indentOf(line) === indent; line = this.lines[this.i]) {
      if (line.slice(indent).startsWith('-')) break;
      const m = entryLine.exec(line);
      if (!m) throw new OutsideDialect();
      const key = parseKey(m[2]!);
      if (Object.hasOwn(out, key)) throw new OutsideDialect();
      this.i++;
      if (m[3] !== undefined) {
        out[key] = parseScalar(m[3]);
        continue;
      }
      const next = this.lines[this.i];
      if (next === undefined) throw new OutsideDialect(); // `key:` with nothing below is null: leave that to the parser
      const ni = this.indentOf(next);
      if (ni === indent && next.slice(ni).startsWith('- ')) out[key] = this.sequence(indent);
      else if (ni > indent) out[key] = this.block(ni);
      else throw new OutsideDialect();
    }
    return out;
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    for (let line = this.lines[this.i]; line !== undefined && this.indentOf(line) === indent; line = this.lines[this.i]) {
      const rest = line.slice(indent);
      if (!rest.startsWith('- ')) break;
      const item = rest.slice(2);
      if (entryLine.test(`${' '.repeat(indent + 2)}${item}`)) {
        // `- key: value`: a mapping whose first entry shares the dash's line.
        this.lines[this.i] = `${' '.repeat(indent + 2)}${item}`;
        out.push(this.mapping(indent + 2));
      } else {
        out.push(parseScalar(item));
        this.i++;
      }
    }
    return out;
  }
}

/**
 * The document in `text` when it is written in the dialect above (an empty text is null); undefined when it is
 * not, and the full YAML parser must read it.
 */
export function readKubeconfigYaml(text: string): unknown {
  const lines = text.split('\n');
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 1 && (lines[0] === '{}' || lines[0] === '[]')) return parseScalar(lines[0]);
  if (lines.some((l) => l.trim() === '' || l.includes('\t') || l.endsWith(' ') || l.endsWith('\r'))) return undefined;
  try {
    return new Reader(lines).parse();
  } catch (e) {
    if (e instanceof OutsideDialect) return undefined;
    throw e;
  }
}
