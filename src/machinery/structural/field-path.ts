// The `fieldPath` of an x-kubernetes-validations rule: a path of field and map accessors (`.spec.a`,
// `.labels['app.kubernetes.io/name']`) checked against the schema and normalized to a field path, as
// Kubernetes' ValidFieldPath does.
import type { SchemaNode } from './compile.js';

const escapes: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', "'": "'", '\\': '\\' };

// Splits into '.', '[', ']' and the text between them; a single-quoted string is one token.
function tokens(path: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < path.length) {
    if (path[i] === "'") {
      let j = i + 1;
      while (j < path.length && !(path[j] === "'" && path[j - 1] !== '\\')) j++;
      out.push(path.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if ('.[]'.includes(path[i] as string)) {
      out.push(path[i] as string);
      i++;
      continue;
    }
    let j = i;
    while (j < path.length && !'.[]'.includes(path[j] as string)) j++;
    out.push(path.slice(i, j));
    i = j;
  }
  return out;
}

/** The normalized field path (`spec.labels[app]`) a rule's fieldPath names under `node`, or Kubernetes' error. */
export function ruleFieldPath(fieldPath: string, node: SchemaNode): { path: string } | { error: string } {
  let path = '';
  let cur: SchemaNode | undefined = node;
  const step = (name: string): string | undefined => {
    if (!cur) return 'does not refer to a valid field';
    if (cur.properties) {
      const next = cur.properties.get(name);
      if (!next) return 'does not refer to a valid field';
      path = path ? `${path}.${name}` : name;
      cur = next;
    } else if (cur.additionalProperties !== undefined) {
      path = `${path}[${name}]`;
      cur = typeof cur.additionalProperties === 'object' ? cur.additionalProperties : undefined;
    } else return 'does not refer to a valid field';
    return undefined;
  };
  const toks = tokens(fieldPath);
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as string;
    if (t === '[') {
      const q = toks[++i];
      if (q === undefined) return { error: 'unexpected end of JSON path' };
      if (q.length < 2 || q[0] !== "'" || q[q.length - 1] !== "'") return { error: `expected single quoted string but got ${q}` };
      let bad: string | undefined;
      const name = q.slice(1, -1).replace(/\\./g, (m) => escapes[m[1] as string] ?? ((bad ??= m), ''));
      if (bad) return { error: `invalid string literal: invalid escape char ${bad}` };
      const e = step(name);
      if (e) return { error: e };
      const close = toks[++i];
      if (close === undefined) return { error: 'unexpected end of JSON path' };
      if (close !== ']') return { error: `expected ] but got ${close}` };
    } else if (t === '.') {
      const name = toks[++i];
      if (name === undefined) return { error: 'unexpected end of JSON path' };
      const e = step(name);
      if (e) return { error: e };
    } else return { error: `expected [ or . but got: ${t}` };
  }
  return { path };
}
