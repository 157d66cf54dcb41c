// The cluster's TLS material: a CA, the API server's serving certificate, the admin client certificate and the
// service-account signing key pair. Created once in `<dataDir>/pki/`, re-used on later starts, and renewed
// piece by piece when a piece is missing, broken, near expiry or no longer fits (new serving names, new CA).
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock, silentLogger, type Clock, type Logger } from '../util/index.js';
import {
  altNamesDer,
  certificatePublicKeyBits,
  createCertificate,
  encodeAltNames,
  KeyUsageBit,
  pemToDer,
  pkcs8EcPublicKeyBits,
  spkiPublicKeyBits,
  subjectNameDer,
  toPem,
  type CertificateSpec,
  type DistinguishedName,
} from './cert-der.js';
import { writeFileAtomicSync } from './fs-atomic.js';

/** File names under `<dataDir>/pki/` (the names kubeadm uses where it has one). */
export const pkiFiles = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  serverCert: 'apiserver.crt',
  serverKey: 'apiserver.key',
  adminCert: 'admin.crt',
  adminKey: 'admin.key',
  serviceAccountKey: 'sa.key',
  serviceAccountPublicKey: 'sa.pub',
} as const;

/** Names every serving certificate holds: the loopback addresses and `localhost`. */
export const defaultServingNames: readonly string[] = ['localhost', '127.0.0.1', '::1'];

/** The subjects kin issues. The admin is a cluster admin through the `system:masters` group. */
export const subjects = {
  ca: { commonName: 'kin-ca' },
  server: { commonName: 'kube-apiserver' },
  admin: { commonName: 'kubernetes-admin', organizations: ['system:masters'] },
} as const satisfies Record<string, DistinguishedName>;

/** Options for `ensurePki`. */
export interface PkiOptions {
  /** More names for the serving certificate: DNS names (`kubernetes.default.svc`) or IP addresses. */
  extraSans?: readonly string[];
  clock?: Clock;
  logger?: Logger;
}

/** The cluster's TLS material, as PEM text. */
export interface Pki {
  /** The folder holding the files. */
  dir: string;
  caCertPem: string;
  caKeyPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  adminCertPem: string;
  adminKeyPem: string;
  /** Private key that signs service-account tokens (ES256). */
  serviceAccountKeyPem: string;
  /** Its public key, for verifying those tokens. */
  serviceAccountPublicKeyPem: string;
  /** Files written by this call, by name; empty when everything was re-used. */
  written: string[];
}

const day = 24 * 60 * 60 * 1000;
const caValidity = 3650 * day; // as kubeadm: ten years for the CA
const leafValidity = 365 * day; // and one year for what it signs
const renewBefore = 30 * day;
const backdate = 5 * 60 * 1000; // tolerate clocks a little behind ours

interface Material {
  certPem: string;
  keyPem: string;
  cert: X509Certificate;
  /** Decoded only to sign with (decoding a key costs about a millisecond). */
  key?: KeyObject;
}

/** The PKI folder of a data dir. */
export function pkiDir(dataDir: string): string {
  return join(dataDir, 'pki');
}

/** The serving certificate's names: the defaults, then `extra`, without repeats. */
export function servingNames(extra: readonly string[] = []): string[] {
  return [...new Set([...defaultServingNames, ...extra])];
}

/** Loads the TLS material from `<dataDir>/pki/`, creating or renewing what is missing, broken or stale. */
export async function ensurePki(dataDir: string, opts: PkiOptions = {}): Promise<Pki> {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? silentLogger;
  const dir = pkiDir(dataDir);
  // Synchronous on purpose: eight small reads at start-up take a fraction of a millisecond this way and a few
  // milliseconds through the thread pool.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = (n: string) => readOptional(join(dir, n));
  const now = clock.now();
  const written: string[] = [];
  const save = (certName: string, keyName: string, m: { certPem: string; keyPem: string }) => {
    // Key first: a certificate on disk never points at a key that is not there yet.
    writeFileAtomicSync(join(dir, keyName), m.keyPem, { mode: 0o600 });
    writeFileAtomicSync(join(dir, certName), m.certPem, { mode: 0o644 });
    written.push(keyName, certName);
    logger.info('wrote certificate', { file: join(dir, certName), subject: subjectText(m.certPem) });
  };

  let ca = usableCa(file(pkiFiles.caCert), file(pkiFiles.caKey), now);
  if (!ca) {
    if (file(pkiFiles.caCert) !== undefined) logger.warn('replacing the cluster CA: every certificate it signed is renewed', { dir });
    ca = issue({ subject: subjects.ca, now, validity: caValidity, isCA: true });
    save(pkiFiles.caCert, pkiFiles.caKey, ca);
  }
  const issuer = ca;

  const wantedNames = servingNames(opts.extraSans);
  const wantedSan = encodeAltNames(wantedNames);
  let server = usableLeaf(file(pkiFiles.serverCert), file(pkiFiles.serverKey), { ca: issuer, subject: subjects.server, now });
  if (server && !sameBytes(altNamesDer(server.cert.raw), wantedSan)) server = undefined;
  if (!server) {
    server = issue({ subject: subjects.server, now, validity: leafValidity, ca: issuer, ext: 'serverAuth', altNames: wantedNames });
    save(pkiFiles.serverCert, pkiFiles.serverKey, server);
  }

  let admin = usableLeaf(file(pkiFiles.adminCert), file(pkiFiles.adminKey), { ca: issuer, subject: subjects.admin, now });
  if (!admin) {
    admin = issue({ subject: subjects.admin, now, validity: leafValidity, ca: issuer, ext: 'clientAuth' });
    save(pkiFiles.adminCert, pkiFiles.adminKey, admin);
  }

  let sa = usableKeyPair(file(pkiFiles.serviceAccountKey), file(pkiFiles.serviceAccountPublicKey));
  if (!sa) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    sa = {
      keyPem: String(privateKey.export({ type: 'pkcs8', format: 'pem' })),
      pubPem: String(publicKey.export({ type: 'spki', format: 'pem' })),
    };
    writeFileAtomicSync(join(dir, pkiFiles.serviceAccountKey), sa.keyPem, { mode: 0o600 });
    writeFileAtomicSync(join(dir, pkiFiles.serviceAccountPublicKey), sa.pubPem, { mode: 0o644 });
    written.push(pkiFiles.serviceAccountKey, pkiFiles.serviceAccountPublicKey);
  }

  return {
    dir,
    caCertPem: ca.certPem,
    caKeyPem: ca.keyPem,
    serverCertPem: server.certPem,
    serverKeyPem: server.keyPem,
    adminCertPem: admin.certPem,
    adminKeyPem: admin.keyPem,
    serviceAccountKeyPem: sa.keyPem,
    serviceAccountPublicKeyPem: sa.pubPem,
    written,
  };
}

function readOptional(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function parse(certPem: string | undefined, keyPem: string | undefined): Material | undefined {
  if (certPem === undefined || keyPem === undefined) return undefined;
  try {
    const cert = new X509Certificate(certPem);
    const keyDer = pemToDer(keyPem);
    const stored = keyDer && pkcs8EcPublicKeyBits(keyDer);
    if (stored) return Buffer.compare(stored, certificatePublicKeyBits(cert.raw)) === 0 ? { certPem, keyPem, cert } : undefined;
    // A key kin did not write (RSA, SEC1): let OpenSSL decode and compare it.
    const key = createPrivateKey(keyPem);
    return cert.checkPrivateKey(key) ? { certPem, keyPem, cert, key } : undefined;
  } catch {
    return undefined; // unreadable files are replaced, never fatal
  }
}

function fresh(cert: X509Certificate, now: number): boolean {
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  return from <= now + backdate && to - renewBefore > now;
}

function usableCa(certPem: string | undefined, keyPem: string | undefined, now: number): Material | undefined {
  const m = parse(certPem, keyPem);
  return m && m.cert.ca && fresh(m.cert, now) ? m : undefined;
}

function usableLeaf(
  certPem: string | undefined,
  keyPem: string | undefined,
  want: { ca: Material; subject: DistinguishedName; now: number },
): Material | undefined {
  const m = parse(certPem, keyPem);
  if (!m || m.cert.ca || !fresh(m.cert, want.now)) return undefined;
  if (m.cert.subject !== subjectString(want.subject)) return undefined;
  if (!m.cert.checkIssued(want.ca.cert) || !m.cert.verify(want.ca.cert.publicKey)) return undefined;
  return m;
}

function usableKeyPair(keyPem: string | undefined, pubPem: string | undefined): { keyPem: string; pubPem: string } | undefined {
  if (keyPem === undefined || pubPem === undefined) return undefined;
  try {
    const pubDer = pemToDer(pubPem);
    const keyDer = pemToDer(keyPem);
    if (!pubDer || !keyDer) return undefined;
    const fromKey = pkcs8EcPublicKeyBits(keyDer) ?? spkiPublicKeyBits(createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'der' }));
    return sameBytes(fromKey, spkiPublicKeyBits(pubDer)) ? { keyPem, pubPem } : undefined;
  } catch {
    return undefined;
  }
}

/** How node:crypto prints a subject kin issued: one `KEY=value` per line, in encoding order (O before CN). */
function subjectString(dn: DistinguishedName): string {
  return [...(dn.organizations ?? []).map((o) => `O=${o}`), `CN=${dn.commonName}`].join('\n');
}

function subjectText(certPem: string): string {
  return new X509Certificate(certPem).subject.replace(/\n/g, ', ');
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.compare(a, b) === 0;
}

interface IssueRequest {
  subject: DistinguishedName;
  now: number;
  validity: number;
  isCA?: boolean;
  /** The signer; omitted for the self-signed CA. */
  ca?: Material;
  ext?: 'serverAuth' | 'clientAuth';
  altNames?: readonly string[];
}

function issue(r: IssueRequest): Material {
  // ECDSA P-256: key generation takes a fraction of a millisecond, where RSA-2048 takes tens.
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x40; // positive and full length: strict parsers reject negative serials
  let notAfter = r.now + r.validity;
  if (r.ca) notAfter = Math.min(notAfter, Date.parse(r.ca.cert.validTo)); // never outlive the signer
  const spec: CertificateSpec = {
    subject: r.subject,
    publicKey,
    signingKey: r.ca ? (r.ca.key ?? createPrivateKey(r.ca.keyPem)) : privateKey,
    serial,
    notBefore: new Date(r.now - backdate),
    notAfter: new Date(notAfter),
    isCA: r.isCA ?? false,
    keyUsage: r.isCA
      ? [KeyUsageBit.digitalSignature, KeyUsageBit.keyEncipherment, KeyUsageBit.keyCertSign]
      : [KeyUsageBit.digitalSignature, KeyUsageBit.keyEncipherment],
  };
  if (r.ca) {
    spec.issuerNameDer = subjectNameDer(r.ca.cert.raw);
    spec.issuerPublicKey = r.ca.cert.publicKey;
  }
  if (r.ext) spec.extKeyUsage = [r.ext];
  if (r.altNames) spec.altNames = r.altNames;
  const der = createCertificate(spec);
  const certPem = toPem(der, 'CERTIFICATE');
  const keyPem = String(privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return { certPem, keyPem, cert: new X509Certificate(certPem), key: privateKey };
}
