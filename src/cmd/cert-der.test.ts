import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { test } from 'node:test';
import { altNamesDer, createCertificate, encodeAltNames, ipBytes, KeyUsageBit, pemToDer, pkcs8EcPublicKeyBits, certificatePublicKeyBits, toPem } from './cert-der.js';

const ipCases: { name: string; text: string; hex: string | undefined }[] = [
  { name: 'IPv4', text: '10.96.0.1', hex: '0a600001' },
  { name: 'IPv6 loopback', text: '::1', hex: '00000000000000000000000000000001' },
  { name: 'IPv6 unspecified', text: '::', hex: '00000000000000000000000000000000' },
  { name: 'IPv6 full form', text: '2001:db8:0:0:0:0:2:1', hex: '20010db8000000000000000000020001' },
  { name: 'IPv6 with a gap in the middle', text: 'fe80::1:2', hex: 'fe800000000000000000000000010002' },
  { name: 'IPv6 with a trailing gap', text: 'fd00::', hex: 'fd000000000000000000000000000000' },
  { name: 'IPv4-mapped IPv6', text: '::ffff:1.2.3.4', hex: '00000000000000000000ffff01020304' },
  { name: 'IPv6 with a zone', text: 'fe80::1%eth0', hex: 'fe800000000000000000000000000001' },
  { name: 'a DNS name', text: 'kubernetes.default.svc', hex: undefined },
  { name: 'an IPv4 octet out of range', text: '256.1.1.1', hex: undefined },
  { name: 'two gaps', text: '1::2::3', hex: undefined },
  { name: 'too many groups', text: '1:2:3:4:5:6:7:8:9', hex: undefined },
  { name: 'a bad hex group', text: '12345::1', hex: undefined },
];
for (const c of ipCases) {
  test(`ipBytes reads ${c.name}`, () => {
    assert.equal(ipBytes(c.text)?.toString('hex'), c.hex);
  });
}

test('encodeAltNames refuses a name with a colon that is not an IPv6 address', () => {
  assert.throws(() => encodeAltNames(['foo:bar']), /not an IP address/);
});

function selfSigned(opts: { notAfter: Date; altNames?: string[] }) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const der = createCertificate({
    subject: { commonName: 'test', organizations: ['a', 'b'] },
    publicKey,
    signingKey: privateKey,
    serial: Buffer.from([0x01, 0x02]),
    notBefore: new Date(Date.UTC(2026, 0, 1)),
    notAfter: opts.notAfter,
    isCA: true,
    keyUsage: [KeyUsageBit.digitalSignature, KeyUsageBit.keyCertSign],
    ...(opts.altNames ? { altNames: opts.altNames } : {}),
  });
  return { der, privateKey, cert: new X509Certificate(toPem(der, 'CERTIFICATE')) };
}

test('createCertificate writes a certificate node:crypto parses, with names in order', () => {
  const { cert } = selfSigned({ notAfter: new Date(Date.UTC(2036, 0, 1)), altNames: ['localhost', '::ffff:1.2.3.4'] });
  assert.equal(cert.subject, 'O=a\nO=b\nCN=test');
  assert.equal(cert.serialNumber, '0102');
  assert.ok(cert.verify(cert.publicKey));
  assert.equal(cert.checkHost('localhost'), 'localhost');
  assert.equal(cert.checkIP('1.2.3.4'), undefined, 'a mapped address is an IPv6 SAN, not an IPv4 one');
  assert.equal(new Date(cert.validTo).toISOString(), '2036-01-01T00:00:00.000Z');
});

test('dates from 2050 on are written as GeneralizedTime', () => {
  const { cert } = selfSigned({ notAfter: new Date(Date.UTC(2061, 5, 2, 3, 4, 5)) });
  assert.equal(new Date(cert.validTo).toISOString(), '2061-06-02T03:04:05.000Z');
});

test('altNamesDer reads back exactly what encodeAltNames wrote', () => {
  const names = ['localhost', '127.0.0.1', '::1'];
  const { der } = selfSigned({ notAfter: new Date(Date.UTC(2030, 0, 1)), altNames: names });
  assert.deepEqual(altNamesDer(der), encodeAltNames(names));
  assert.equal(altNamesDer(selfSigned({ notAfter: new Date(Date.UTC(2030, 0, 1)) }).der), undefined);
});

test('the public key inside a PKCS#8 EC key matches the certificate it belongs to', () => {
  const { der, privateKey } = selfSigned({ notAfter: new Date(Date.UTC(2030, 0, 1)) });
  const pkcs8 = pemToDer(String(privateKey.export({ type: 'pkcs8', format: 'pem' })));
  assert.ok(pkcs8);
  assert.deepEqual(pkcs8EcPublicKeyBits(pkcs8), certificatePublicKeyBits(der));
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'der' });
  assert.equal(pkcs8EcPublicKeyBits(rsa), undefined, 'not an EC key');
});
