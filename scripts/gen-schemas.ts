// Generates src/api/generated/definitions.json: OpenAPI v3 component schemas for every type declared by the
// `kubernetes-types` package (descriptions, types, required fields), completed with the facts kept in
// scripts/schema-facts.ts (formats, list/map/patch extensions, Go type names).
// Run: npx tsx scripts/gen-schemas.ts
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { anyJsonTypes, schemaFacts } from './schema-facts.js';

type Schema = Record<string, unknown>;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const typesDir = dirname(createRequire(import.meta.url).resolve('kubernetes-types/package.json'));
const outFile = join(root, 'src/api/generated/definitions.json');
const ref = (name: string): Schema => ({ $ref: '#/components/schemas/' + name });
const intOrString = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

/** The kubernetes-types module key (`core.v1`, `meta.v1`, `runtime`) of a declaration file. */
function moduleKey(file: string): string {
  return relative(typesDir, file).replace(/\.d\.ts$/, '').split('/').join('.');
}

/** Upstream component-name prefix of a kubernetes-types module. */
function namePrefix(key: string): string {
  if (key === 'meta.v1') return 'io.k8s.apimachinery.pkg.apis.meta.v1.';
  if (key === 'api.resource') return 'io.k8s.apimachinery.pkg.api.resource.';
  if (key === 'runtime') return 'io.k8s.apimachinery.pkg.runtime.';
  if (key === 'version') return 'io.k8s.apimachinery.pkg.version.';
  if (key.startsWith('apiextensions.')) return 'io.k8s.apiextensions-apiserver.pkg.apis.' + key + '.';
  return 'io.k8s.api.' + key + '.';
}

function declarationFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return declarationFiles(p);
    return f.endsWith('.d.ts') ? [p] : [];
  });
}

/** Parses `list=map keys=a,b ...` into schema extensions plus the format and Go type tokens. */
function parseFacts(tokens: string | undefined): { ext: Schema; format?: string; go?: string } {
  const ext: Schema = {};
  let format: string | undefined;
  let go: string | undefined;
  for (const tok of (tokens ?? '').split(' ').filter(Boolean)) {
    const eq = tok.indexOf('=');
    const k = eq < 0 ? tok : tok.slice(0, eq);
    const v = eq < 0 ? '' : tok.slice(eq + 1);
    if (k === 'i64') format = 'int64';
    else if (k === 'f64') format = 'double';
    else if (k === 'f32') format = 'float';
    else if (k === 'byte') format = 'byte';
    else if (k === 'list') ext['x-kubernetes-list-type'] = v;
    else if (k === 'keys') ext['x-kubernetes-list-map-keys'] = v.split(',');
    else if (k === 'patch') ext['x-kubernetes-patch-strategy'] = v;
    else if (k === 'mkey') ext['x-kubernetes-patch-merge-key'] = v;
    else if (k === 'map' || k === 'struct') ext['x-kubernetes-map-type'] = v;
    else if (k === 'go') go = v;
    else throw new Error(`unknown fact token ${tok}`);
  }
  return { ext, ...(format ? { format } : {}), ...(go ? { go } : {}) };
}

class Generator {
  readonly defs: Record<string, Schema> = {};
  private readonly imports = new Map<string, string>(); // identifier → module key, per file being read
  private moduleKey = '';

  run(): Record<string, Schema> {
    const files = declarationFiles(typesDir).sort();
    for (const file of files) {
      this.readFile(ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true));
    }
    this.defs[intOrString] = {
      description:
        'IntOrString is a type that can hold an int32 or a string. When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type. This allows you to have, for example, a JSON field that can accept a name or number.',
      format: 'int-or-string',
      oneOf: [{ type: 'integer' }, { type: 'string' }],
      'x-kubernetes-int-or-string': true,
    };
    const sorted: Record<string, Schema> = {};
    for (const k of Object.keys(this.defs).sort()) sorted[k] = this.defs[k] as Schema;
    return sorted;
  }

  private readFile(sf: ts.SourceFile): void {
    this.moduleKey = moduleKey(sf.fileName);
    this.imports.clear();
    for (const st of sf.statements) {
      if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
        const target = join(dirname(sf.fileName), st.moduleSpecifier.text);
        const key = moduleKey(target + '.d.ts');
        const named = st.importClause?.namedBindings;
        if (named && ts.isNamedImports(named)) for (const el of named.elements) this.imports.set(el.name.text, key);
      }
    }
    for (const st of sf.statements) {
      if (ts.isInterfaceDeclaration(st)) this.readInterface(st);
      else if (ts.isTypeAliasDeclaration(st)) this.readAlias(st);
    }
  }

  private nameOf(ident: string): string {
    return namePrefix(this.imports.get(ident) ?? this.moduleKey) + ident;
  }

  private readAlias(decl: ts.TypeAliasDeclaration): void {
    const name = decl.name.text;
    const s: Schema = { description: docOf(decl) };
    const key = `${this.moduleKey}.${name}`;
    if (anyJsonTypes.has(key)) {
      // any JSON value: no type
    } else if (name === 'Time' || name === 'MicroTime') {
      Object.assign(s, { type: 'string', format: 'date-time' });
    } else if (name === 'Quantity') {
      s.oneOf = [{ type: 'string' }, { type: 'number' }];
    } else {
      throw new Error(`no rule for type alias ${key}`);
    }
    this.defs[this.nameOf(name)] = sortKeys(s);
  }

  private readInterface(decl: ts.InterfaceDeclaration): void {
    const name = decl.name.text;
    const key = `${this.moduleKey}.${name}`;
    const facts = schemaFacts[this.moduleKey]?.[name] ?? {};
    const s: Schema = { description: docOf(decl) };
    if (anyJsonTypes.has(key)) {
      this.defs[this.nameOf(name)] = s;
      return;
    }
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    let apiVersion: string | undefined;
    let kind: string | undefined;
    for (const m of decl.members) {
      if (!ts.isPropertySignature(m) || !m.type) continue;
      const prop = ts.isStringLiteral(m.name) || ts.isIdentifier(m.name) ? m.name.text : m.name.getText();
      if (!m.questionToken) required.push(prop);
      if (ts.isLiteralTypeNode(m.type) && ts.isStringLiteral(m.type.literal)) {
        if (prop === 'apiVersion') apiVersion = m.type.literal.text;
        if (prop === 'kind') kind = m.type.literal.text;
      }
      const f = parseFacts(facts[prop]);
      const field = this.typeSchema(m.type, f.format);
      const desc = docOf(m);
      // A field that refers to a component keeps its own description beside `allOf`, as upstream v3 does.
      const out: Schema = field.$ref ? { allOf: [field] } : field;
      if (desc) out.description = desc;
      Object.assign(out, f.ext);
      if (f.go) out['x-kin-go-type'] = f.go;
      properties[prop] = sortKeys(out);
    }
    if (decl.members.length > 0 || !anyJsonTypes.has(key)) s.type = 'object';
    if (Object.keys(properties).length) s.properties = properties;
    if (required.length) s.required = required;
    Object.assign(s, parseFacts(facts['@']).ext);
    if (kind && apiVersion) {
      const i = apiVersion.indexOf('/');
      s['x-kubernetes-group-version-kind'] = [
        { group: i < 0 ? '' : apiVersion.slice(0, i), kind, version: i < 0 ? apiVersion : apiVersion.slice(i + 1) },
      ];
    } else if (key === 'meta.v1.Status') {
      s['x-kubernetes-group-version-kind'] = [{ group: '', kind: 'Status', version: 'v1' }];
    }
    this.defs[this.nameOf(name)] = sortKeys(s);
  }

  /** Schema of a type node; `format` applies to the innermost scalar. */
  private typeSchema(t: ts.TypeNode, format: string | undefined): Schema {
    if (t.kind === ts.SyntaxKind.StringKeyword) return format ? { type: 'string', format } : { type: 'string' };
    if (t.kind === ts.SyntaxKind.BooleanKeyword) return { type: 'boolean' };
    if (t.kind === ts.SyntaxKind.NumberKeyword) {
      if (format === 'double' || format === 'float') return { type: 'number', format };
      return { type: 'integer', format: format ?? 'int32' };
    }
    if (ts.isLiteralTypeNode(t)) return { type: 'string' };
    if (ts.isArrayTypeNode(t)) return { type: 'array', items: this.typeSchema(t.elementType, format) };
    if (ts.isUnionTypeNode(t)) {
      const kinds = t.types.map((u) => u.kind).sort();
      if (kinds.length === 2 && kinds.includes(ts.SyntaxKind.NumberKeyword) && kinds.includes(ts.SyntaxKind.StringKeyword)) {
        return ref(intOrString);
      }
      throw new Error(`unsupported union ${t.getText()}`);
    }
    if (ts.isTypeReferenceNode(t)) {
      const id = ts.isIdentifier(t.typeName) ? t.typeName.text : t.typeName.right.text;
      if (id === 'Array' && t.typeArguments?.[0]) return { type: 'array', items: this.typeSchema(t.typeArguments[0], format) };
      return ref(this.nameOf(id));
    }
    if (ts.isTypeLiteralNode(t)) {
      const idx = t.members.find(ts.isIndexSignatureDeclaration);
      if (idx && t.members.length === 1) return { type: 'object', additionalProperties: this.typeSchema(idx.type, format) };
    }
    throw new Error(`unsupported type ${t.getText()}`);
  }
}

/** The JSDoc text of a declaration (kubernetes-types carries upstream descriptions there). */
function docOf(node: ts.Node): string {
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
  return docs
    .map((d) => ts.getTextOfJSDocComment(d.comment) ?? '')
    .join('\n\n')
    .trim();
}

/** Keys in the order upstream prints them (alphabetical), so the output diffs cleanly. */
function sortKeys(s: Schema): Schema {
  const out: Schema = {};
  for (const k of Object.keys(s).sort()) out[k] = s[k];
  return out;
}

/** The definitions as the generator produces them (the checked-in file must equal this, serialized). */
export function generateDefinitions(): Record<string, Schema> {
  return addSchemaExtensions(new Generator().run());
}

// JSONSchemaProps' `x-kubernetes-*` fields are missing from kubernetes-types (their JSON names are not
// identifiers); they are part of apiextensions.k8s.io/v1 and are added here.
function addSchemaExtensions(defs: Record<string, Schema>): Record<string, Schema> {
  const name = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps';
  const props = defs[name]?.['properties'] as Record<string, Schema> | undefined;
  if (!props) return defs;
  const bool = (description: string): Schema => ({ description, type: 'boolean' });
  props['x-kubernetes-embedded-resource'] = bool('x-kubernetes-embedded-resource defines that the value is an embedded Kubernetes runtime.Object, with TypeMeta and ObjectMeta. The type must be object. It is allowed to further restrict the embedded object. kind, apiVersion and metadata are validated automatically.');
  props['x-kubernetes-int-or-string'] = bool('x-kubernetes-int-or-string specifies that this value is either an integer or a string. If this is true, an empty type is allowed and type as child of anyOf is permitted if following one of the patterns: an integer or a string.');
  props['x-kubernetes-preserve-unknown-fields'] = bool('x-kubernetes-preserve-unknown-fields stops the API server decoding step from pruning fields which are not specified in the validation schema.');
  props['x-kubernetes-list-map-keys'] = { description: 'x-kubernetes-list-map-keys annotates an array with the x-kubernetes-list-type `map` by specifying the keys used as the index of the map.', type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'atomic' };
  props['x-kubernetes-list-type'] = { description: 'x-kubernetes-list-type annotates an array to further describe its topology: atomic, set or map.', type: 'string' };
  props['x-kubernetes-map-type'] = { description: 'x-kubernetes-map-type annotates an object to further describe its topology: granular or atomic.', type: 'string' };
  props['x-kubernetes-validations'] = {
    description: 'x-kubernetes-validations describes a list of validation rules written in the CEL expression language.',
    type: 'array',
    items: ref('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ValidationRule'),
    'x-kubernetes-list-map-keys': ['rule'],
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-patch-merge-key': 'rule',
    'x-kubernetes-patch-strategy': 'merge',
  };
  defs[name] = sortKeys({ ...defs[name], properties: sortKeys(props) });
  // kubernetes-types also loses fields whose Go comment contains `*/` (rule resources and scope, access rules).
  const strings = (description: string): Schema => ({ description, type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'atomic' });
  const resources = strings("Resources is a list of resources this rule applies to. For example: 'pods' means pods, 'pods/log' means the log subresource of pods, '*' means all resources but not subresources, 'pods/*' means all subresources of pods, '*/scale' means all scale subresources, '*/*' means all resources and their subresources. Required.");
  const scope: Schema = { description: 'scope specifies the scope of this rule. Valid values are "Cluster", "Namespaced", and "*". Default is "*".', type: 'string' };
  for (const rule of ['io.k8s.api.admissionregistration.v1.RuleWithOperations', 'io.k8s.api.admissionregistration.v1.NamedRuleWithOperations']) {
    const p = defs[rule]?.['properties'] as Record<string, Schema> | undefined;
    if (!p) continue;
    p['resources'] ??= resources;
    p['scope'] ??= scope;
    defs[rule] = sortKeys({ ...defs[rule], properties: sortKeys(p) });
  }
  const rr = defs['io.k8s.api.authorization.v1.ResourceRule']?.['properties'] as Record<string, Schema> | undefined;
  if (rr) {
    rr['verbs'] ??= strings('Verb is a list of kubernetes resource API verbs, like: get, list, watch, create, update, delete, proxy.  "*" means all.');
    rr['resources'] ??= strings('Resources is a list of resources this rule applies to.  "*" means all in the specified apiGroups. "*/foo" represents the subresource \'foo\' for all resources in the specified apiGroups.');
    defs['io.k8s.api.authorization.v1.ResourceRule'] = sortKeys({ ...defs['io.k8s.api.authorization.v1.ResourceRule'], properties: sortKeys(rr) });
  }
  return defs;
}

/** The serialized form written to src/api/generated/definitions.json. */
export function serializeDefinitions(defs: Record<string, Schema>): string {
  return JSON.stringify(defs) + '\n';
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const defs = generateDefinitions();
  writeFileSync(outFile, serializeDefinitions(defs));
  console.log(`wrote ${Object.keys(defs).length} schemas to ${relative(root, outFile)}`);
}
