import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, sign, verify, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FakeClock } from '../util/index.js';
import { ensurePki, pkiDir, pkiFiles } from './certs.js';

const dirs: string[] = [];
function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kin-certs-'));
  dirs.push(d);
  return d;
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const serverAuth = '1.3.6.1.5.5.7.3.1';
const clientAuth = '1.3.6.1.5.5.7.3.2';
const extraSans = ['kubernetes', 'kubernetes.default.svc', '10.96.0.1'];

test('first start creates a CA that signs a serving certificate and an admin client certificate', async () => {
  const pki = await ensurePki(dataDir(), { extraSans });
  const ca = new X509Certificate(pki.caCertPem);
  const server = new X509Certificate(pki.serverCertPem);
  const admin = new X509Certificate(pki.adminCertPem);
  assert.equal(ca.ca, true);
  assert.ok(ca.verify(ca.publicKey), 'the CA is self-signed');
  for (const leaf of [server, admin]) {
    assert.equal(leaf.ca, false);
    assert.ok(leaf.checkIssued(ca));
    assert.ok(leaf.verify(ca.publicKey));
  }
  assert.ok(server.checkPrivateKey(createPrivateKey(pki.serverKeyPem)));
  assert.ok(admin.checkPrivateKey(createPrivateKey(pki.adminKeyPem)));
  assert.equal(pki.written.length, 8);
});

test('the serving certificate names the loopback addresses, localhost and the extra names', async () => {
  const server = new X509Certificate((await ensurePki(dataDir(), { extraSans })).serverCertPem);
  for (const ip of ['127.0.0.1', '::1', '10.96.0.1']) assert.equal(server.checkIP(ip), ip);
  for (const host of ['localhost', 'kubernetes', 'kubernetes.default.svc']) assert.equal(server.checkHost(host), host);
  assert.equal(server.checkHost('example.com'), undefined);
  assert.deepEqual(server.keyUsage, [serverAuth]);
});

test('the admin certificate is kubernetes-admin in system:masters, for client auth only', async () => {
  const admin = new X509Certificate((await ensurePki(dataDir())).adminCertPem);
  assert.equal(admin.subject, 'O=system:masters\nCN=kubernetes-admin');
  assert.deepEqual(admin.keyUsage, [clientAuth]);
});

test('private keys are written with mode 0600 in a 0700 folder', async () => {
  const dir = dataDir();
  await ensurePki(dir);
  const mode = (f: string) => statSync(join(pkiDir(dir), f)).mode & 0o777;
  assert.equal(statSync(pkiDir(dir)).mode & 0o777, 0o700);
  for (const f of [pkiFiles.caKey, pkiFiles.serverKey, pkiFiles.adminKey, pkiFiles.serviceAccountKey]) assert.equal(mode(f), 0o600, f);
  for (const f of [pkiFiles.caCert, pkiFiles.serverCert, pkiFiles.adminCert, pkiFiles.serviceAccountPublicKey]) assert.equal(mode(f), 0o644, f);
});

test('a later start re-uses every file', async () => {
  const dir = dataDir();
  const first = await ensurePki(dir, { extraSans });
  const second = await ensurePki(dir, { extraSans });
  assert.deepEqual(second.written, []);
  assert.deepEqual({ ...second, written: [] }, { ...first, written: [] });
});

test('new serving names renew only the serving certificate', async () => {
  const dir = dataDir();
  const first = await ensurePki(dir, { extraSans });
  const second = await ensurePki(dir, { extraSans: ['kubernetes'] });
  assert.deepEqual(second.written.sort(), [pkiFiles.serverCert, pkiFiles.serverKey].sort());
  assert.equal(second.caCertPem, first.caCertPem);
  assert.equal(second.adminCertPem, first.adminCertPem);
  const server = new X509Certificate(second.serverCertPem);
  assert.equal(server.checkHost('kubernetes.default.svc'), undefined);
  assert.ok(server.verify(new X509Certificate(second.caCertPem).publicKey));
});

test('a broken or mismatched file is replaced, not fatal', async () => {
  const dir = dataDir();
  const first = await ensurePki(dir);
  writeFileSync(join(pkiDir(dir), pkiFiles.adminKey), first.serverKeyPem); // a valid key, but not the admin's
  writeFileSync(join(pkiDir(dir), pkiFiles.serviceAccountPublicKey), 'garbage');
  const second = await ensurePki(dir);
  assert.deepEqual(second.written.sort(), [pkiFiles.adminCert, pkiFiles.adminKey, pkiFiles.serviceAccountKey, pkiFiles.serviceAccountPublicKey].sort());
  assert.ok(new X509Certificate(second.adminCertPem).checkPrivateKey(createPrivateKey(second.adminKeyPem)));
});

test('a lost CA key replaces the CA and renews everything it signed', async () => {
  const dir = dataDir();
  const first = await ensurePki(dir);
  rmSync(join(pkiDir(dir), pkiFiles.caKey));
  const second = await ensurePki(dir);
  assert.notEqual(second.caCertPem, first.caCertPem);
  const ca = new X509Certificate(second.caCertPem);
  assert.ok(new X509Certificate(second.serverCertPem).verify(ca.publicKey));
  assert.ok(new X509Certificate(second.adminCertPem).verify(ca.publicKey));
  assert.equal(second.serviceAccountKeyPem, first.serviceAccountKeyPem, 'the service-account key does not depend on the CA');
});

test('certificates close to expiry are renewed; the CA lasts ten years', async () => {
  const dir = dataDir();
  const clock = new FakeClock();
  const first = await ensurePki(dir, { clock });
  clock.advance(200 * 24 * 3600 * 1000);
  assert.deepEqual((await ensurePki(dir, { clock })).written, [], 'still months to go');
  clock.advance(150 * 24 * 3600 * 1000);
  const renewed = await ensurePki(dir, { clock });
  assert.deepEqual(renewed.written.sort(), [pkiFiles.adminCert, pkiFiles.adminKey, pkiFiles.serverCert, pkiFiles.serverKey].sort());
  assert.equal(renewed.caCertPem, first.caCertPem);
  const caYears = (Date.parse(new X509Certificate(first.caCertPem).validTo) - clock.now()) / (365 * 24 * 3600 * 1000);
  assert.ok(caYears > 9 && caYears < 10, `CA valid for ${caYears} more years`);
});

test('the service-account key pair signs and verifies ES256', async () => {
  const pki = await ensurePki(dataDir());
  const data = Buffer.from('header.payload');
  const sig = sign('sha256', data, { key: createPrivateKey(pki.serviceAccountKeyPem), dsaEncoding: 'ieee-p1363' });
  assert.equal(sig.length, 64);
  assert.ok(verify('sha256', data, { key: createPublicKey(pki.serviceAccountPublicKeyPem), dsaEncoding: 'ieee-p1363' }, sig));
});

test('reports how long first and later starts take', async (t) => {
  const dir = dataDir();
  let start = performance.now();
  await ensurePki(dir, { extraSans });
  const first = performance.now() - start;
  start = performance.now();
  await ensurePki(dir, { extraSans });
  const later = performance.now() - start;
  t.diagnostic(`ensurePki: first start ${first.toFixed(1)} ms, later start ${later.toFixed(1)} ms`);
});
