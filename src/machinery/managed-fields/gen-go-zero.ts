// Development tool, not used at run time: regenerates go-zero-table.ts from Kubernetes' Go API type sources.
//
// Kubernetes computes field ownership on Go structs, where a non-pointer struct field is always present (as `{}`,
// even with `omitempty`) and a field without `omitempty` is present with its zero value. Those "present in the zero
// value" fields decide whether a parent shows up as `".": {}` in managedFields. OpenAPI cannot tell pointers from
// values, so the facts come from the Go declarations.
//
// Run on the Go sources of the release kin serves (k8s.io/api, k8s.io/apimachinery, k8s.io/apiextensions-apiserver
// at v0.32.0; later releases omit a zero creationTimestamp):
// npx tsx src/machinery/managed-fields/gen-go-zero.ts <k8s.io/api dir> <k8s.io/apimachinery dir> <k8s.io/apiextensions-apiserver dir>
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { builtinDefinitions } from '../../api/generated/index.js';

/** A Go struct field as declared. */
interface GoField {
  json: string;
  type: string;
  omitempty: boolean;
  omitzero: boolean;
  inline: boolean;
  /** import path of the package declaring the field's type, resolved from the file's imports */
  imports: Map<string, string>;
}

interface GoPackage {
  prefix: string;
  structs: Map<string, GoField[]>;
  /** named non-struct types: `Protocol` → `string` */
  aliases: Map<string, string>;
}

const importPrefix = (path: string): string | undefined => {
  let m = /^k8s\.io\/api\/([^/]+)\/([^/]+)$/.exec(path);
  if (m) return `io.k8s.api.${m[1]}.${m[2]}`;
  if (path === 'k8s.io/apimachinery/pkg/apis/meta/v1') return 'io.k8s.apimachinery.pkg.apis.meta.v1';
  m = /^k8s\.io\/apiextensions-apiserver\/pkg\/apis\/apiextensions\/(v1)$/.exec(path);
  if (m) return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${m[1]}`;
  return undefined;
};

function parseImports(src: string): Map<string, string> {
  const out = new Map<string, string>();
  const block = /import\s*\(([\s\S]*?)\)/.exec(src)?.[1] ?? '';
  for (const line of block.split('\n')) {
    const m = /^\s*(\w+)?\s*"([^"]+)"/.exec(line);
    if (!m || !m[2]) continue;
    const alias = m[1] ?? m[2].slice(m[2].lastIndexOf('/') + 1);
    out.set(alias, m[2]);
  }
  return out;
}

function parsePackage(dir: string, prefix: string): GoPackage {
  const pkg: GoPackage = { prefix, structs: new Map(), aliases: new Map() };
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.go') || f.endsWith('_test.go') || f.startsWith('zz_') || f.includes('generated')) continue;
    const src = readFileSync(join(dir, f), 'utf8');
    const imports = parseImports(src);
    for (const m of src.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
      const fields: GoField[] = [];
      for (const line of (m[2] ?? '').split('\n')) {
        const fm = /^\t(?:(\w+)\s+)?([*[\]\w.]+(?:\[[\w.]+\][*\w.]+)?)\s+`([^`]*)`/.exec(line);
        if (!fm || !fm[2]) continue;
        const tag = /json:"([^"]*)"/.exec(fm[3] ?? '')?.[1];
        if (tag === undefined || tag === '-') continue;
        const [name = '', ...opts] = tag.split(',');
        const anonymous = fm[1] === undefined;
        fields.push({
          json: name,
          type: fm[2],
          omitempty: opts.includes('omitempty'),
          omitzero: opts.includes('omitzero'),
          inline: anonymous && name === '',
          imports,
        });
      }
      pkg.structs.set(m[1] ?? '', fields);
    }
    for (const m of src.matchAll(/^type (\w+) ((?:map\[|\[\]|\*)?[\w.[\]]+)\s*$/gm)) {
      if (m[2] !== 'struct') pkg.aliases.set(m[1] ?? '', m[2] ?? '');
    }
  }
  return pkg;
}

/** Go types with their own JSON form: the zero value as Kubernetes serializes it. */
const customZero: Record<string, unknown> = {
  'k8s.io/apimachinery/pkg/apis/meta/v1.Time': null,
  'k8s.io/apimachinery/pkg/apis/meta/v1.MicroTime': null,
  'k8s.io/apimachinery/pkg/apis/meta/v1.Duration': '0s',
  'k8s.io/apimachinery/pkg/util/intstr.IntOrString': 0,
  'k8s.io/apimachinery/pkg/api/resource.Quantity': '0',
  'k8s.io/apimachinery/pkg/runtime.RawExtension': null,
  'k8s.io/apimachinery/pkg/apis/meta/v1.FieldsV1': null,
};

const scalarZero = (t: string): unknown => {
  if (t === 'string') return '';
  if (t === 'bool') return false;
  if (/^(u?int(8|16|32|64)?|float(32|64)|byte)$/.test(t)) return 0;
  return undefined;
};

/** Absent: the field is omitted from the zero value. STRUCT: a struct present as `{}` and filled recursively. */
const absent = Symbol('absent');
const STRUCT = {};

function generate(pkgs: Map<string, GoPackage>): Record<string, Record<string, unknown>> {
  const defs = builtinDefinitions();
  const byPath = new Map<string, GoPackage>();
  for (const [path, p] of pkgs) byPath.set(path, p);

  const zeroOf = (f: GoField, pkgPath: string): unknown => {
    const t = f.type;
    if (t.startsWith('*') || t.startsWith('[]') || t.startsWith('map[')) return f.omitempty || f.omitzero ? absent : null;
    const dot = t.indexOf('.');
    const typePath = dot < 0 ? pkgPath : (f.imports.get(t.slice(0, dot)) ?? t.slice(0, dot));
    const name = dot < 0 ? t : t.slice(dot + 1);
    const full = `${typePath}.${name}`;
    if (full in customZero) return f.omitzero ? absent : customZero[full];
    if (dot < 0) {
      const z = scalarZero(t);
      if (z !== undefined) return f.omitempty || f.omitzero ? absent : z;
    }
    const owner = byPath.get(typePath);
    if (owner?.structs.has(name)) return f.omitzero ? absent : STRUCT;
    const alias = owner?.aliases.get(name) ?? (typePath === 'k8s.io/apimachinery/pkg/types' ? 'string' : undefined);
    if (alias !== undefined) {
      if (f.omitempty || f.omitzero) return absent;
      if (alias.startsWith('map[') || alias.startsWith('[]') || alias.startsWith('*')) return null;
      return scalarZero(alias) ?? absent;
    }
    return absent;
  };

  const out: Record<string, Record<string, unknown>> = {};
  for (const [pkgPath, pkg] of pkgs) {
    const fieldsOf = (structName: string, seen: Set<string>): [GoField, string][] => {
      const fs = pkg.structs.get(structName) ?? [];
      const res: [GoField, string][] = [];
      for (const f of fs) {
        if (!f.inline) {
          res.push([f, pkgPath]);
          continue;
        }
        const dot = f.type.indexOf('.');
        const path = dot < 0 ? pkgPath : (f.imports.get(f.type.slice(0, dot)) ?? '');
        const inner = dot < 0 ? f.type : f.type.slice(dot + 1);
        const owner = pkgs.get(path);
        if (!owner || seen.has(path + inner)) continue;
        seen.add(path + inner);
        const sub = owner === pkg ? fieldsOf(inner, seen) : (owner.structs.get(inner) ?? []).map((g): [GoField, string] => [g, path]);
        res.push(...sub);
      }
      return res;
    };
    for (const structName of pkg.structs.keys()) {
      const component = `${pkg.prefix}.${structName}`;
      const schema = defs[component];
      if (!schema?.properties) continue;
      const zero: Record<string, unknown> = {};
      for (const [f, declaredIn] of fieldsOf(structName, new Set())) {
        if (!(f.json in schema.properties)) continue;
        const z = zeroOf(f, declaredIn);
        if (z !== absent) zero[f.json] = z;
      }
      if (Object.keys(zero).length > 0) out[component] = zero;
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function main(apiDir: string, machineryDir: string, extensionsDir: string): void {
  const pkgs = new Map<string, GoPackage>();
  for (const group of readdirSync(apiDir)) {
    const gdir = join(apiDir, group);
    if (!statSync(gdir).isDirectory() || group.startsWith('.')) continue;
    for (const version of readdirSync(gdir)) {
      const vdir = join(gdir, version);
      const path = `k8s.io/api/${group}/${version}`;
      const prefix = importPrefix(path);
      if (prefix && statSync(vdir).isDirectory()) pkgs.set(path, parsePackage(vdir, prefix));
    }
  }
  pkgs.set('k8s.io/apimachinery/pkg/apis/meta/v1', parsePackage(join(machineryDir, 'pkg/apis/meta/v1'), 'io.k8s.apimachinery.pkg.apis.meta.v1'));
  pkgs.set(
    'k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1',
    parsePackage(join(extensionsDir, 'pkg/apis/apiextensions/v1'), 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1'),
  );
  const table = generate(pkgs);
  const lines = Object.entries(table).map(([k, v]) => `  '${k}': ${JSON.stringify(v)},`);
  const text =
    '// Generated by gen-go-zero.ts from Kubernetes\' Go API types (v1.32): per component, the fields present in the Go zero\n' +
    '// value and their serialized zero (`{}` marks a struct, itself filled from this table). Do not edit by hand.\n\n' +
    '/** Fields present in the zero value of each built-in component, with their zero. */\n' +
    'export const goZeroFields: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {\n' +
    lines.join('\n') +
    '\n};\n';
  writeFileSync(new URL('./go-zero-table.ts', import.meta.url), text);
  console.log(`go-zero-table.ts: ${lines.length} components`);
}

const [apiDir, machineryDir, extensionsDir] = process.argv.slice(2);
if (apiDir && machineryDir && extensionsDir) main(apiDir, machineryDir, extensionsDir);
