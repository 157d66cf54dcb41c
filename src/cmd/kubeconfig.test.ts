import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'yaml';
import { serve } from '../apiserver/serve.js';
import { silentLogger } from '../util/index.js';
import { ensurePki } from './certs.js';
import { mergeKubeconfig, writeKubeconfig, type KubeconfigDoc, type KubeconfigOptions } from './kubeconfig.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kin-kubeconfig-'));
  dirs.push(d);
  return d;
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const opts: KubeconfigOptions = {
  server: 'https://127.0.0.1:6443',
  caCertPem: '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n',
  clientCertPem: '-----BEGIN CERTIFICATE-----\nADMIN\n-----END CERTIFICATE-----\n',
  clientKeyPem: '-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n',
};
const b64 = (s: string) => Buffer.from(s).toString('base64');

const otherConfig = `# someone else's cluster
apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster:
    server: https://prod.example:443
- name: kin
  cluster:
    server: https://127.0.0.1:9999
users:
- name: prod-admin
  user:
    token: secret
contexts:
- name: prod
  context:
    cluster: prod
    user: prod-admin
    namespace: web
current-context: prod
preferences:
  colors: true
extensions: []
`;

test('a fresh kubeconfig holds cluster kin, user kin-admin and the current context kin', async () => {
  const path = join(tempDir(), 'nested', 'config');
  const res = await writeKubeconfig(path, opts);
  assert.equal(res.merged, false);
  const doc = parse(readFileSync(path, 'utf8')) as KubeconfigDoc;
  assert.deepEqual(doc, {
    apiVersion: 'v1',
    clusters: [{ name: 'kin', cluster: { server: 'https://127.0.0.1:6443', 'certificate-authority-data': b64(opts.caCertPem) } }],
    contexts: [{ name: 'kin', context: { cluster: 'kin', user: 'kin-admin' } }],
    'current-context': 'kin',
    kind: 'Config',
    preferences: {},
    users: [{ name: 'kin-admin', user: { 'client-certificate-data': b64(opts.clientCertPem), 'client-key-data': b64(opts.clientKeyPem) } }],
  });
  assert.equal(statSync(path).mode & 0o777, 0o600);
});

test('merging replaces only kin entries and keeps every other cluster, user, context and field', async () => {
  const dir = tempDir();
  const path = join(dir, 'config');
  writeFileSync(path, otherConfig, { mode: 0o644 });
  const res = await writeKubeconfig(path, opts);
  assert.equal(res.merged, true);
  const doc = parse(readFileSync(path, 'utf8')) as KubeconfigDoc;
  assert.deepEqual(
    doc.clusters?.map((c) => [c.name, (c.cluster as { server: string }).server]),
    [
      ['prod', 'https://prod.example:443'],
      ['kin', 'https://127.0.0.1:6443'],
    ],
  );
  assert.deepEqual(doc.users?.map((u) => u.name), ['prod-admin', 'kin-admin']);
  assert.deepEqual(doc.users?.[0], { name: 'prod-admin', user: { token: 'secret' } });
  assert.deepEqual(doc.contexts?.map((c) => c.name), ['prod', 'kin']);
  assert.equal(doc['current-context'], 'kin');
  assert.deepEqual(doc.preferences, { colors: true });
  assert.deepEqual(doc['extensions'], []);
  assert.equal(statSync(path).mode & 0o777, 0o600, 'the merged file holds a private key');
  assert.deepEqual(readdirSync(dir), ['config'], 'no temporary file is left behind');
});

test('merging twice gives the same file', async () => {
  const path = join(tempDir(), 'config');
  writeFileSync(path, otherConfig);
  await writeKubeconfig(path, opts);
  const once = readFileSync(path, 'utf8');
  await writeKubeconfig(path, opts);
  assert.equal(readFileSync(path, 'utf8'), once);
});

test('the current context can be left alone', () => {
  const doc = mergeKubeconfig(parse(otherConfig) as KubeconfigDoc, { ...opts, setCurrentContext: false });
  assert.equal(doc['current-context'], 'prod');
});

test('an empty file is treated as a fresh kubeconfig', async () => {
  const path = join(tempDir(), 'config');
  writeFileSync(path, '\n');
  await writeKubeconfig(path, opts);
  assert.equal((parse(readFileSync(path, 'utf8')) as KubeconfigDoc)['current-context'], 'kin');
});

const refused = [
  { name: 'text that is not YAML', text: 'clusters: [\n' },
  { name: 'YAML that is not a mapping', text: '- a\n- b\n' },
];
for (const c of refused) {
  test(`a file holding ${c.name} is left alone`, async () => {
    const path = join(tempDir(), 'config');
    writeFileSync(path, c.text);
    await assert.rejects(writeKubeconfig(path, opts), /leaving it alone/);
    assert.equal(readFileSync(path, 'utf8'), c.text);
  });
}

test('a symlinked kubeconfig is updated where it points', async () => {
  const dir = tempDir();
  const real = join(dir, 'real-config');
  const link = join(dir, 'config');
  writeFileSync(real, otherConfig);
  symlinkSync(real, link);
  await writeKubeconfig(link, opts);
  assert.ok(statSync(link).isFile());
  const doc = parse(readFileSync(real, 'utf8')) as KubeconfigDoc;
  assert.deepEqual(doc.clusters?.map((c) => c.name), ['prod', 'kin']);
});

const kubectl = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
test('kubectl reaches a kin server with the written kubeconfig', { skip: existsSync(kubectl) ? false : 'kubectl 1.32 is not installed' }, async () => {
  const home = tempDir();
  const pki = await ensurePki(home);
  let user: string | undefined;
  const server = await serve(
    async (req) => {
      user = req.user?.username;
      return req.path === '/healthz' ? { status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' } : { status: 404, headers: {} };
    },
    { host: '127.0.0.1', port: 0, tls: { cert: pki.serverCertPem, key: pki.serverKeyPem, ca: pki.caCertPem }, logger: silentLogger },
  );
  try {
    const kubeconfig = join(home, '.kube', 'config');
    await writeKubeconfig(kubeconfig, {
      server: `https://127.0.0.1:${server.port}`,
      caCertPem: pki.caCertPem,
      clientCertPem: pki.adminCertPem,
      clientKeyPem: pki.adminKeyPem,
    });
    const out = await new Promise<string>((resolve, reject) => {
      const env = { HOME: home, PATH: process.env['PATH'] ?? '' };
      execFile(kubectl, ['--kubeconfig', kubeconfig, 'get', '--raw', '/healthz'], { env, timeout: 60_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout),
      );
    });
    assert.equal(out.trim(), 'ok');
    assert.equal(user, 'kubernetes-admin', 'kubectl presented the admin client certificate');
  } finally {
    await server.close();
  }
});
