// Real projects' CustomResourceDefinitions installed into kin with the real kubectl, as a user would: cert-manager,
// prometheus-operator, the Gateway API standard channel and Argo CD. Each project's CRDs must install and become
// Established, show in `kubectl get crd`, `kubectl api-resources` (short names, categories) and `kubectl explain`;
// objects written as users write them must be accepted and read back with the schema's defaults; invalid ones must
// be refused with the causes kube-apiserver 1.32 gives (real-crds-cases.ts); printer columns must match.
//
// The CRD files are other projects' and are not part of kin. The test runs only when KIN_REAL_CRDS names a directory
// with one subfolder per project; otherwise it is skipped. To fill such a directory from the projects' repositories
// (any recent revision; `git clone --depth 1` of each works as well as a mirror):
//
//   D=/tmp/real-crds; mkdir -p $D/{cert-manager,prometheus-operator,gateway-api,argo-cd}
//   cp cert-manager/deploy/crds/*.yaml                                   $D/cert-manager/
//   cp prometheus-operator/example/prometheus-operator-crd-full/*.yaml   $D/prometheus-operator/
//   cp gateway-api/config/crd/standard/*.yaml                            $D/gateway-api/
//   cp argo-cd/manifests/crds/*-crd.yaml                                 $D/argo-cd/
//   # optional: the Gateway API's own examples, each of which must be accepted
//   mkdir -p $D/gateway-api/examples && cp gateway-api/examples/standard/*.yaml $D/gateway-api/examples/
//   KIN_REAL_CRDS=$D node --import tsx --test test/e2e/real-crds.test.ts
//
// Only files whose documents are CustomResourceDefinitions are installed as the project's CRDs; any other manifest
// in a folder (the Gateway API's ValidatingAdmissionPolicy) is applied in a test of its own. Install times are
// printed as test diagnostics.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { cleanup, startKin, type Cluster, kubectlOn } from './harness.js';
import { projects, type InvalidCase, type ProjectCases } from './real-crds-cases.js';

const root = process.env['KIN_REAL_CRDS'];

function skipReason(): string | false {
  if (!root) return 'KIN_REAL_CRDS is not set: it must name a directory holding the fetched CRD files (see the top of this file)';
  const missing = projects.map((p) => p.dir).filter((d) => !existsSync(join(root, d)) || !statSync(join(root, d)).isDirectory());
  if (missing.length) return `KIN_REAL_CRDS=${root} lacks the subfolders ${missing.join(', ')} (see the top of this file)`;
  return false;
}

/** What the test needs to know of one CRD, read from the project's file. */
interface CrdFacts {
  file: string;
  name: string;
  group: string;
  kind: string;
  plural: string;
  shortNames: string[];
  categories: string[];
  storageVersion: string;
  namespaced: boolean;
}

interface ProjectFiles {
  crdFiles: string[];
  otherFiles: string[];
  crds: CrdFacts[];
}

function readProject(dir: string): ProjectFiles {
  const out: ProjectFiles = { crdFiles: [], otherFiles: [], crds: [] };
  for (const f of readdirSync(dir).sort()) {
    const file = join(dir, f);
    if (!/\.ya?ml$/.test(f) || !statSync(file).isFile()) continue;
    const docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as Record<string, any> | null).filter((d) => d);
    if (docs.length === 0) continue;
    if (!docs.every((d) => d!['kind'] === 'CustomResourceDefinition')) {
      out.otherFiles.push(file);
      continue;
    }
    out.crdFiles.push(file);
    for (const d of docs) {
      const spec = d!['spec'];
      out.crds.push({
        file,
        name: d!['metadata'].name,
        group: spec.group,
        kind: spec.names.kind,
        plural: spec.names.plural,
        shortNames: spec.names.shortNames ?? [],
        categories: spec.names.categories ?? [],
        storageVersion: spec.versions.find((v: { storage: boolean }) => v.storage).name,
        namespaced: spec.scope === 'Namespaced',
      });
    }
  }
  return out;
}

/** Splits kubectl's rendering of an Invalid status into its head and causes. */
function causesOf(stderr: string): { head: string; causes: string[] } {
  const text = stderr.trim();
  const m = /^(The \S+ "[^"]*" is invalid:) ?([\s\S]*)$/.exec(text);
  if (!m) return { head: text, causes: [] };
  const rest = m[2] as string;
  if (!rest.startsWith('\n') && !rest.startsWith('* ')) return { head: m[1] as string, causes: [rest] };
  return { head: m[1] as string, causes: rest.split('\n').filter((l) => l.startsWith('* ')).map((l) => l.slice(2)) };
}

const reason = skipReason();

describe('real CRDs from real projects', { skip: reason }, () => {
  let kin: Cluster;
  const { k, ok } = kubectlOn(() => kin, { timeoutMs: 120_000 });

  before(async () => {
    kin = await startKin({ storage: 'memory' });
    for (const ns of projects.flatMap((p) => p.namespaces)) await ok(['create', 'namespace', ns]);
  });
  after(async () => {
    if (kin) await cleanup(kin);
  });

  for (const p of projects) {
    describe(p.dir, () => {
      const files = readProject(join(root!, p.dir));
      projectTests(p, files, () => ({ k, ok }));
    });
  }
});

type Kubectl = {
  k: (args: string[], input?: string) => Promise<{ code: number; stdout: string; stderr: string }>;
  ok: (args: string[], input?: string) => Promise<string>;
};

function projectTests(p: ProjectCases, files: ProjectFiles, ctl: () => Kubectl): void {
  test(`installs every CRD with kubectl apply${p.serverSide ? ' --server-side' : ''} and they become Established`, async (t) => {
    const { k, ok } = ctl();
    assert.ok(files.crds.length > 0, `no CRD files in ${p.dir}`);
    const started = performance.now();
    const r = await k(['apply', ...(p.serverSide ? ['--server-side'] : []), ...files.crdFiles.flatMap((f) => ['-f', f])]);
    const applied = performance.now();
    // Any CRD kin refuses is named with its reason.
    assert.equal(r.code, 0, `kin refused CRDs of ${p.dir}:\n${r.stderr}`);
    await ok(['wait', '--for=condition=Established', '--timeout=60s', ...files.crds.map((c) => `crd/${c.name}`)]);
    const done = performance.now();
    t.diagnostic(`${p.dir}: ${files.crds.length} CRDs applied in ${Math.round(applied - started)} ms, Established after ${Math.round(done - started)} ms`);
  });

  test('CRDs of protected groups (*.k8s.io) report their API approval', async () => {
    for (const c of files.crds.filter((x) => /(^|\.)(k8s|kubernetes)\.io$/.test(x.group))) {
      const got = await ctl().ok(['get', 'crd', c.name, '-o', 'jsonpath={.status.conditions[?(@.type=="KubernetesAPIApprovalPolicyConformant")].reason}']);
      assert.equal(got, 'ApprovedAnnotation', c.name);
    }
  });

  test('kubectl get crd lists them with their creation time', async () => {
    const out = await ctl().ok(['get', 'crd']);
    for (const c of files.crds) assert.match(out, new RegExp(`^${c.name.replace(/\./g, '\\.')}\\s+\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$`, 'm'));
  });

  test('kubectl api-resources shows kinds, scope, short names and categories', async () => {
    const groups = [...new Set(files.crds.map((c) => c.group))];
    const rows = new Map<string, string[]>();
    for (const g of groups) {
      for (const line of (await ctl().ok(['api-resources', `--api-group=${g}`, '-o', 'wide', '--no-headers'])).split('\n')) {
        const cols = line.trim().split(/\s+/);
        if (cols.length > 1) rows.set(`${cols[0]}.${g}`, cols);
      }
    }
    for (const c of files.crds) {
      const cols = rows.get(`${c.plural}.${c.group}`);
      assert.ok(cols, `${c.plural}.${c.group} missing from api-resources`);
      assert.ok(cols.includes(c.kind), `kind ${c.kind} in ${cols.join(' ')}`);
      assert.ok(cols.includes(String(c.namespaced)), `namespaced ${c.namespaced} in ${cols.join(' ')}`);
      if (c.shortNames.length) assert.equal(cols[1], c.shortNames.join(','));
      if (c.categories.length) assert.equal(cols[cols.length - 1], c.categories.join(','));
    }
    for (const category of new Set(files.crds.flatMap((c) => c.categories))) {
      const listed = await ctl().ok(['api-resources', `--categories=${category}`, '--no-headers']);
      for (const c of files.crds.filter((x) => x.categories.includes(category))) assert.match(listed, new RegExp(`^${c.plural}\\s`, 'm'));
    }
  });

  test('kubectl explain reads each schema', async () => {
    for (const c of files.crds) {
      const out = await ctl().ok(['explain', c.plural, `--api-version=${c.group}/${c.storageVersion}`]);
      assert.match(out, new RegExp(`^KIND:\\s+${c.kind}$`, 'm'));
      assert.match(out, new RegExp(`^VERSION:\\s+${c.storageVersion}$`, 'm'));
      assert.match(out, /^FIELDS:$/m);
    }
  });

  test('objects written as users write them are accepted and read back with defaults', async () => {
    const { ok } = ctl();
    await ok(['create', '-f', '-'], p.valid);
    for (const r of p.readBack) {
      const got = await ok(['get', r.resource, r.name, ...(r.namespace ? ['-n', r.namespace] : []), '-o', `jsonpath=${r.jsonpath}`]);
      assert.equal(got, r.want, `${r.resource}/${r.name} ${r.jsonpath}`);
    }
  });

  for (const c of p.invalid) invalidTest(c, ctl);

  for (const u of p.invalidUpdates ?? []) {
    test(`an update is refused: ${u.args.join(' ')}`, async () => {
      const r = await ctl().k(u.args);
      assert.notEqual(r.code, 0);
      assert.equal(r.stderr.trim(), u.error);
    });
  }

  test('kubectl get prints the printer columns', async () => {
    for (const c of p.columns) {
      const out = await ctl().ok(c.args);
      assert.match(out, c.header, `${c.args.join(' ')}:\n${out}`);
      assert.match(out, c.row, `${c.args.join(' ')}:\n${out}`);
    }
  });

  if (p.dir === 'gateway-api') gatewayExtras(files, ctl);
  if (p.serverSide) {
    test('a CRD too large for the last-applied annotation is refused by client-side apply, as kube-apiserver does', async () => {
      const big = files.crds.map((c) => ({ c, size: statSync(c.file).size })).sort((a, b) => b.size - a.size)[0]!;
      const json = JSON.stringify(parseAllDocuments(readFileSync(big.c.file, 'utf8'))[0]!.toJS());
      if (json.length <= 262144) return;
      const r = await ctl().k(['apply', '-f', big.c.file]);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, new RegExp(`The CustomResourceDefinition "${big.c.name.replace(/\./g, '\\.')}" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes`));
    });
  }
}

function invalidTest(c: InvalidCase, ctl: () => Kubectl): void {
  test(`refused like kube-apiserver: ${c.title}`, async () => {
    const r = await ctl().k(['create', '-f', '-'], c.yaml);
    assert.notEqual(r.code, 0, `accepted:\n${r.stdout}`);
    const got = causesOf(r.stderr);
    assert.equal(got.head, `The ${c.kind} "${c.name}" is invalid:`, r.stderr);
    assert.deepEqual([...got.causes].sort(), [...c.causes].sort(), r.stderr);
  });
}

function gatewayExtras(files: ProjectFiles, ctl: () => Kubectl): void {
  const examples = join(root!, 'gateway-api', 'examples');
  if (existsSync(examples)) {
    test("the Gateway API's own examples are accepted", async () => {
      const { k, ok } = ctl();
      const all = readdirSync(examples).filter((f) => /\.ya?ml$/.test(f)).sort();
      // Namespaces first, as the examples expect them.
      const order = [...all.filter((f) => /namespace/.test(f)), ...all.filter((f) => !/namespace/.test(f))];
      const refused: string[] = [];
      for (const f of order) {
        const r = await k(['apply', '-f', join(examples, f)]);
        if (r.code !== 0) refused.push(`${f}: ${r.stderr.trim()}`);
      }
      assert.deepEqual(refused, []);
      await ok(['get', 'httproutes', '-A']);
    });
  }
  for (const f of files.otherFiles) {
    test(`the manifest ${f.split('/').pop()} shipped with the CRDs is accepted`, { todo: 'kin refuses the inlined rule fields of admissionregistration resourceRules (reported; not in the CRD code)' }, async () => {
      const r = await ctl().k(['apply', '-f', f]);
      assert.equal(r.code, 0, r.stderr);
    });
  }
}
