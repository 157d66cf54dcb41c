// Regenerates the field tables in this folder from the Go API types of a Kubernetes release.
//
//   node generate.mjs <k8s.io/api git dir> <k8s.io/apimachinery git dir> <tag, e.g. v0.36.3> <output dir>
//
// For every message reachable from ROOTS it reads the Go struct (field order, `json` name and omitempty,
// pointer or not, `protobuf` field number) and checks number, repeated/map and type against the same
// release's generated.proto (the Go `protobuf` tags alone are wrong in a few places upstream). Output is
// kin's compact form described in ../schema.ts. Dev-only: nothing at run time imports this file.
// `omitzero` is ignored on purpose: kubectl 1.32/1.33 were built before ObjectMeta.creationTimestamp got it,
// so they write `"creationTimestamp": null`, and kin decodes to what they would have sent.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const [API, MACHINERY, REF, OUT] = process.argv.slice(2);
if (!OUT) {
  console.error('usage: node generate.mjs <api git dir> <apimachinery git dir> <tag> <output dir>');
  process.exit(2);
}
const show = (repo, path) => execFileSync('git', ['-C', repo, 'show', `${REF}:${path}`], { encoding: 'utf8', maxBuffer: 1 << 26 });

/** Table packages and where their Go types and generated.proto live. */
const PACKAGES = {
  'meta/v1': [MACHINERY, 'pkg/apis/meta/v1'],
  ...Object.fromEntries(
    ['core/v1', 'apps/v1', 'batch/v1', 'rbac/v1', 'policy/v1', 'scheduling/v1', 'networking/v1', 'autoscaling/v1', 'autoscaling/v2', 'authorization/v1', 'authentication/v1', 'certificates/v1'].map((p) => [p, [API, p]]),
  ),
};

/** The root messages: keep in step with ../kinds.ts (a test checks every kind there has a table). */
const ROOTS = [
  'core/v1.Namespace', 'core/v1.ConfigMap', 'core/v1.Secret', 'core/v1.Service', 'core/v1.ServiceAccount', 'core/v1.ResourceQuota', 'core/v1.Pod',
  'apps/v1.Deployment', 'batch/v1.Job', 'batch/v1.CronJob',
  'rbac/v1.Role', 'rbac/v1.ClusterRole', 'rbac/v1.RoleBinding', 'rbac/v1.ClusterRoleBinding',
  'policy/v1.PodDisruptionBudget', 'policy/v1.Eviction', 'scheduling/v1.PriorityClass', 'networking/v1.Ingress',
  'autoscaling/v1.HorizontalPodAutoscaler', 'autoscaling/v2.HorizontalPodAutoscaler',
  'authorization/v1.SelfSubjectAccessReview', 'authorization/v1.SelfSubjectRulesReview',
  'authentication/v1.SelfSubjectReview', 'authentication/v1.TokenRequest', 'certificates/v1.CertificateSigningRequest', 'meta/v1.DeleteOptions',
];

/** Go types with their own wire and JSON form, by qualified name. */
const SPECIAL = {
  'meta/v1.Time': '@time',
  'meta/v1.MicroTime': '@mtime',
  'meta/v1.Duration': '@dur',
  'meta/v1.FieldsV1': '@fields',
  'k8s.io/apimachinery/pkg/api/resource.Quantity': '@qty',
  'k8s.io/apimachinery/pkg/util/intstr.IntOrString': '@ios',
  'k8s.io/apimachinery/pkg/runtime.RawExtension': '@raw',
  'k8s.io/apimachinery/pkg/types.UID': 's',
  'k8s.io/apimachinery/pkg/types.NodeName': 's',
};
const SCALAR = { string: 's', bool: 'b', int32: 'i32', int: 'i32', int64: 'i64', uint32: 'u32', uint64: 'u64', float64: 'f64', float32: 'f32' };
const PROTO_SCALAR = { s: 'string', b: 'bool', i32: 'int32', i64: 'int64', u32: 'uint32', u64: 'uint64', y: 'bytes', f64: 'double', f32: 'float' };
const PROTO_SPECIAL = { '@time': 'Time', '@mtime': 'MicroTime', '@dur': 'Duration', '@fields': 'FieldsV1', '@qty': 'Quantity', '@ios': 'IntOrString', '@raw': 'RawExtension' };

function packageOfImport(path) {
  const m = /^k8s\.io\/api\/([^/]+)\/([^/]+)$/.exec(path);
  if (m) return `${m[1]}/${m[2]}`;
  return path === 'k8s.io/apimachinery/pkg/apis/meta/v1' ? 'meta/v1' : path;
}

/** Parses the type declarations of one Go file: structs (fields with tags) and named non-struct types. */
function parseGo(src, pkg) {
  const imports = {};
  const block = /^import \(([\s\S]*?)^\)/m.exec(src);
  for (const line of block ? block[1].split('\n') : []) {
    const m = /^(?:(\w+)\s+)?"([^"]+)"$/.exec(line.trim());
    if (m) imports[m[1] ?? m[2].split('/').pop()] = packageOfImport(m[2]);
  }
  const types = {};
  const lines = src.split('\n');
  let comments = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('//')) {
      comments.push(line);
      continue;
    }
    let m;
    if ((m = /^type (\w+) struct \{\s*$/.exec(line))) {
      const fields = [];
      for (i++; !lines[i].startsWith('}'); i++) {
        const l = lines[i].trim();
        if (l.startsWith('/*')) {
          while (!lines[i].includes('*/')) i++;
          continue;
        }
        if (!l || l.startsWith('//')) continue;
        const fm = /^(?:(\w+)\s+)?([^\s`]+)\s*(?:`(.*)`)?\s*(?:\/\/.*)?$/.exec(l);
        if (!fm) throw new Error(`cannot parse a field of ${pkg}.${m[1]}: ${l}`);
        const tags = {};
        for (const t of (fm[3] ?? '').matchAll(/(\w+):"([^"]*)"/g)) tags[t[1]] = t[2];
        fields.push({ name: fm[1] ?? null, type: fm[2], tags });
      }
      types[m[1]] = { kind: 'struct', fields };
    } else if ((m = /^type (\w+) (\S.*)$/.exec(line)) && !/interface|func/.test(m[2])) {
      // +protobuf.nullable=true string lists are wrapped in a message {1 repeated string}.
      types[m[1]] = { kind: 'named', type: m[2].replace(/\s*\/\/.*$/, '').trim(), wrapped: comments.some((c) => c.includes('+protobuf.nullable=true')) };
    }
    comments = [];
  }
  return { imports, types };
}

/** Parses generated.proto into message -> field number -> {label, type, name}. */
function parseProto(src) {
  const msgs = {};
  for (const m of src.replace(/\/\/.*$/gm, '').matchAll(/message (\w+) \{([^}]*)\}/g)) {
    const fields = {};
    for (const f of m[2].matchAll(/(optional|repeated)?\s*(map<[^>]+>|[\w.]+)\s+(\w+)\s*=\s*(\d+)/g)) fields[f[4]] = { label: f[1] ?? '', type: f[2], name: f[3] };
    msgs[m[1]] = fields;
  }
  return msgs;
}

const go = {};
const proto = {};
for (const [pkg, [repo, dir]] of Object.entries(PACKAGES)) {
  go[pkg] = parseGo(show(repo, `${dir}/types.go`), pkg);
  proto[pkg] = parseProto(show(repo, `${dir}/generated.proto`));
}

const queue = [...ROOTS];
const queued = new Set(ROOTS);

function qualify(pkg, name) {
  const dot = name.indexOf('.');
  if (dot < 0) return `${pkg}.${name}`;
  const target = go[pkg].imports[name.slice(0, dot)];
  if (!target) throw new Error(`unknown import ${name} in ${pkg}`);
  return `${target}.${name.slice(dot + 1)}`;
}

/** Resolves a Go type expression to {code, repeated, map, pointer, message}. */
function resolve(pkg, type) {
  const pointer = type.startsWith('*');
  const t = pointer ? type.slice(1) : type;
  if (t === '[]byte') return { code: 'y', pointer };
  if (t.startsWith('[]')) {
    const e = resolve(pkg, t.slice(2));
    if (e.repeated || e.map) throw new Error(`list of lists: ${type}`);
    return { ...e, repeated: true, pointer };
  }
  const mm = /^map\[(.+?)\](.+)$/.exec(t);
  if (mm) {
    const v = resolve(pkg, mm[2]);
    if (v.repeated || v.map) throw new Error(`map of lists: ${type}`);
    return { ...v, map: true, pointer };
  }
  if (SCALAR[t]) return { code: SCALAR[t], pointer };
  const q = qualify(pkg, t);
  if (SPECIAL[q]) return { code: SPECIAL[q], pointer };
  const dot = q.lastIndexOf('.');
  const decl = go[q.slice(0, dot)]?.types[q.slice(dot + 1)];
  if (!decl) throw new Error(`unknown type ${q}`);
  if (decl.kind === 'struct') {
    if (!queued.has(q)) (queued.add(q), queue.push(q));
    return { code: q, pointer, message: true };
  }
  if (decl.wrapped) {
    if (decl.type !== '[]string') throw new Error(`wrapped list of non-strings: ${q}`);
    return { code: '@strs', pointer };
  }
  const r = resolve(q.slice(0, dot), decl.type);
  return { ...r, pointer: pointer || r.pointer };
}

function checkAgainstProto(pkg, msg, num, r) {
  const where = `${pkg}.${msg} field ${num}`;
  const pf = proto[pkg][msg]?.[num];
  if (!pf) throw new Error(`generated.proto has no ${where}`);
  const isMap = pf.type.startsWith('map<');
  if (isMap !== Boolean(r.map)) throw new Error(`map or not differs for ${where}`);
  if (!isMap && (pf.label === 'repeated') !== Boolean(r.repeated)) throw new Error(`repeated or not differs for ${where}`);
  const t = isMap ? /map<\s*string\s*,\s*([\w.]+)\s*>/.exec(pf.type)[1] : pf.type;
  const last = t.split('.').pop();
  if (PROTO_SCALAR[r.code]) {
    if (t !== PROTO_SCALAR[r.code]) throw new Error(`type differs for ${where}: proto ${t}, Go ${r.code}`);
  } else if (PROTO_SPECIAL[r.code]) {
    if (last !== PROTO_SPECIAL[r.code]) throw new Error(`type differs for ${where}: proto ${t}, Go ${r.code}`);
  } else if (r.code !== '@strs' && last !== r.code.split('.').pop()) throw new Error(`message differs for ${where}: proto ${t}, Go ${r.code}`);
}

const out = {};
while (queue.length) {
  const q = queue.shift();
  const dot = q.lastIndexOf('.');
  const pkg = q.slice(0, dot);
  const name = q.slice(dot + 1);
  const specs = [];
  for (const f of go[pkg].types[name].fields) {
    const { json, protobuf } = f.tags;
    if (json === '-') continue;
    if (!protobuf || protobuf === '-') {
      if (f.name === null && f.type.endsWith('TypeMeta')) continue; // apiVersion/kind travel in the envelope
      throw new Error(`${q}.${f.name ?? f.type} has no protobuf field`);
    }
    const num = Number(protobuf.split(',')[1]);
    const [jsonName = f.name ?? '', ...opts] = (json ?? '').split(',');
    const r = resolve(pkg, f.type);
    if (jsonName === '' && !r.message) throw new Error(`inlined non-struct ${q}.${f.type}`);
    checkAgainstProto(pkg, name, num, r);
    let code = r.code.startsWith(`${pkg}.`) ? r.code.slice(pkg.length + 1) : r.code;
    if (r.repeated) code = `[${code}]`;
    if (r.map) code = `{${code}}`;
    const mods = (r.pointer ? '?' : '') + (!opts.includes('omitempty') && jsonName !== '' ? '!' : '');
    specs.push(`${num}:${jsonName}:${code}${mods}`);
  }
  (out[pkg] ??= {})[name] = specs.join(' ');
}

/** Splits a long spec into string pieces of at most ~110 characters. */
function wrap(spec) {
  const chunks = [];
  let cur = '';
  for (const p of spec.split(' ')) {
    if (cur && `${cur} ${p}`.length > 110) (chunks.push(cur), (cur = p));
    else cur = cur ? `${cur} ${p}` : p;
  }
  chunks.push(cur);
  return chunks;
}

for (const [pkg, msgs] of Object.entries(out)) {
  const v = pkg.replace(/\/(\w)/, (_, c) => c.toUpperCase());
  const lines = [
    `// Field tables of ${pkg} messages: generated.proto field numbers with Go JSON names and presence (format: ../schema.ts).`,
    `// Written by generate.mjs from k8s.io/api and k8s.io/apimachinery ${REF}; change it by regenerating.`,
    `import type { PackageTable } from '../schema.js';`,
    '',
    `/** ${pkg} messages reachable from the kinds kin decodes. */`,
    `export const ${v}: PackageTable = {`,
    `  package: '${pkg}',`,
    '  messages: {',
  ];
  for (const n of Object.keys(msgs).sort()) {
    const one = `    ${n}: '${msgs[n]}',`;
    if (one.length <= 140) {
      lines.push(one);
      continue;
    }
    const chunks = wrap(msgs[n]);
    lines.push(`    ${n}:`);
    chunks.forEach((c, i) => lines.push(i < chunks.length - 1 ? `      '${c} ' +` : `      '${c}',`));
  }
  lines.push('  },', '};', '');
  fs.writeFileSync(`${OUT}/${pkg.replace('/', '-')}.ts`, lines.join('\n'));
}
console.log(Object.entries(out).map(([p, m]) => `${p}: ${Object.keys(m).length} messages`).join('\n'));
