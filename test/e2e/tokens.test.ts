// Service-account tokens end to end with kubectl 1.32: a token from `kubectl create token` authenticates a
// kubeconfig that holds no client certificate (only the server, the CA and the token), `auth whoami` names the
// service account, and the token stops working once its ServiceAccount is deleted. A long-lived token Secret gets
// its token from the tokens controller, and that token works too.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanup, kubectlBinary, kubectlOn, runKubectl, startKin, type Cluster, type KubectlResult } from './harness.js';

describe('service-account tokens with kubectl 1.32', { concurrency: false }, () => {
  let kin: Cluster;
  const { k, ok } = kubectlOn(() => kin, { minor: 32 });
  const until = async (cond: () => Promise<boolean>, what: string) => {
    for (let i = 0; i < 300; i++) {
      if (await cond()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`${what}: still not true`);
  };

  // kubectl 1.32 words a 401 on its discovery requests this way (as against kube-apiserver); "(Unauthorized)" when
  // the 401 answers a later request.
  const loggedOut = /error: You must be logged in to the server \((Unauthorized|the server has asked for the client to provide credentials)\)/;

  /** kubectl with a kubeconfig that holds only the server, the cluster CA and `token`. */
  async function asToken(name: string, token: string, args: string[]): Promise<KubectlResult> {
    const path = join(kin.dataDir, `kubeconfig-${name}`);
    const config = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: kin',
      '  cluster:',
      `    server: https://127.0.0.1:${kin.port}`,
      `    certificate-authority: ${join(kin.dataDir, 'pki', 'ca.crt')}`,
      'users:',
      `- name: ${name}`,
      '  user:',
      `    token: ${token}`,
      'contexts:',
      `- name: ${name}`,
      '  context:',
      '    cluster: kin',
      `    user: ${name}`,
      `current-context: ${name}`,
      '',
    ].join('\n');
    await writeFile(path, config, { mode: 0o600 });
    return runKubectl(kubectlBinary(32), ['--kubeconfig', path, '--cache-dir', join(kin.dataDir, `kube-cache-${name}`), ...args]);
  }

  before(async () => {
    kin = await startKin({ storage: 'sqlite' });
  });
  after(async () => {
    await cleanup(kin);
  });

  test('a token from kubectl create token authenticates as the service account until it is deleted', async () => {
    await ok(['create', 'serviceaccount', 'robot']);
    const uid = await ok(['get', 'serviceaccount', 'robot', '-o', 'jsonpath={.metadata.uid}']);
    const token = (await ok(['create', 'token', 'robot'])).trim();
    const ns = await asToken('robot', token, ['get', 'ns']);
    assert.equal(ns.code, 0, ns.stderr);
    assert.match(ns.stdout, /kube-system/);
    const who = await asToken('robot', token, ['auth', 'whoami', '-o', 'json']);
    assert.equal(who.code, 0, who.stderr);
    const info = (JSON.parse(who.stdout) as { status: { userInfo: Record<string, unknown> } }).status.userInfo;
    assert.equal(info['username'], 'system:serviceaccount:default:robot');
    assert.equal(info['uid'], uid);
    assert.deepEqual(info['groups'], ['system:serviceaccounts', 'system:serviceaccounts:default', 'system:authenticated']);
    assert.match((info['extra'] as Record<string, string[]>)['authentication.kubernetes.io/credential-id']![0]!, /^JTI=[0-9a-f-]{36}$/);

    await ok(['delete', 'serviceaccount', 'robot']);
    const refused = await asToken('robot', token, ['get', 'ns']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, loggedOut);
    const garbage = await asToken('garbage', 'not-a-token', ['get', 'ns']);
    assert.match(garbage.stderr, loggedOut);
  });

  test('a long-lived token Secret gets its token, which authenticates and is marked used, and goes with its ServiceAccount', async () => {
    await ok(['create', 'serviceaccount', 'builder']);
    const secret = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'builder-token', annotations: { 'kubernetes.io/service-account.name': 'builder' } },
      type: 'kubernetes.io/service-account-token',
    };
    await ok(['apply', '-f', '-'], JSON.stringify(secret));
    const field = (path: string) => ok(['get', 'secret', 'builder-token', '-o', `jsonpath={${path}}`]);
    await until(async () => (await field('.data.token')) !== '', 'the token is filled');
    const token = Buffer.from(await field('.data.token'), 'base64').toString();
    assert.equal(Buffer.from(await field('.data.namespace'), 'base64').toString(), 'default');
    assert.match(Buffer.from(await field('.data.ca\\.crt'), 'base64').toString(), /-----BEGIN CERTIFICATE-----/);
    assert.equal(await field(`.metadata.annotations.kubernetes\\.io/service-account\\.uid`), await ok(['get', 'serviceaccount', 'builder', '-o', 'jsonpath={.metadata.uid}']));

    const who = await asToken('builder', token, ['auth', 'whoami', '-o', 'json']);
    assert.equal(who.code, 0, who.stderr);
    assert.equal((JSON.parse(who.stdout) as { status: { userInfo: { username: string } } }).status.userInfo.username, 'system:serviceaccount:default:builder');
    await until(async () => /^\d{4}-\d{2}-\d{2}$/.test(await field(`.metadata.labels.kubernetes\\.io/legacy-token-last-used`)), 'the last-used label');

    await ok(['delete', 'serviceaccount', 'builder']);
    await until(async () => (await k(['get', 'secret', 'builder-token', '-o', 'name'])).code !== 0, 'the token Secret is deleted');
    const refused = await asToken('builder', token, ['get', 'ns']);
    assert.match(refused.stderr, loggedOut);
  });
});
