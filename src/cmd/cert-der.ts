// Minimal DER encoding of X.509 v3 certificates, signed with node:crypto keys.
//
// Why not @peculiar/x509: loading it (with its ASN.1 schema packages and the reflect polyfill it needs) takes
// 130-270 ms on the project's machines, more than the whole first-start budget of `kin up`. kin's certificates
// use a handful of fixed structures, which a small writer produces in well under a millisecond, and node:crypto
// already gives the SubjectPublicKeyInfo bytes and DER-encoded ECDSA signatures.
import { createHash, sign, type KeyObject } from 'node:crypto';

/** The DN attributes kin puts in certificates. */
export interface DistinguishedName {
  commonName: string;
  organizations?: readonly string[];
}

/** Key usage bits, numbered as in RFC 5280 (bit 0 is digitalSignature). */
export const KeyUsageBit = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 } as const;

/** Extended key usages kin issues. */
export type ExtKeyUsage = 'serverAuth' | 'clientAuth';

/** Everything needed to issue one certificate. */
export interface CertificateSpec {
  subject: DistinguishedName;
  /** The issuer's encoded subject Name (from `subjectNameDer`); omitted for a self-signed certificate. */
  issuerNameDer?: Uint8Array;
  publicKey: KeyObject;
  /** The issuer's private key (the subject's own for a self-signed certificate). */
  signingKey: KeyObject;
  /** The issuer's public key, for the authority key identifier; omitted for a self-signed certificate. */
  issuerPublicKey?: KeyObject;
  serial: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  isCA: boolean;
  keyUsage: readonly number[];
  extKeyUsage?: readonly ExtKeyUsage[];
  /** DNS names and IP addresses, in the order given. */
  altNames?: readonly string[];
}

// ---- writer ----

function tlv(tag: number, content: Uint8Array): Buffer {
  const n = content.length;
  let head: number[];
  if (n < 0x80) head = [tag, n];
  else if (n < 0x100) head = [tag, 0x81, n];
  else if (n < 0x10000) head = [tag, 0x82, n >> 8, n & 0xff];
  else head = [tag, 0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from(head), content]);
}
const seq = (...parts: Uint8Array[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Uint8Array[]) => tlv(0x31, Buffer.concat(parts));
const octets = (b: Uint8Array) => tlv(0x04, b);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const explicit = (n: number, inner: Uint8Array) => tlv(0xa0 + n, inner);
const TRUE = Buffer.from([0x01, 0x01, 0xff]);

function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [40 * (arcs[0] ?? 0) + (arcs[1] ?? 0)];
  for (const arc of arcs.slice(2)) {
    const bytes = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) bytes.unshift((v & 0x7f) | 0x80);
    out.push(...bytes);
  }
  return tlv(0x06, Buffer.from(out));
}

/** A non-negative INTEGER from big-endian bytes, minimally encoded. */
function unsignedInteger(bytes: Uint8Array): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const body = Buffer.from(bytes.subarray(i));
  return tlv(0x02, (body[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), body]) : body);
}

function bitString(bits: readonly number[]): Buffer {
  const max = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(max / 8) + 1);
  for (const b of bits) bytes[b >> 3]! |= 0x80 >> (b & 7);
  // DER drops trailing zero bits: the unused count is what is left after the highest set bit.
  return tlv(0x03, Buffer.concat([Buffer.from([7 - (max & 7)]), bytes]));
}

function time(d: Date): Buffer {
  const iso = d.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '') + 'Z';
  const year = d.getUTCFullYear();
  // RFC 5280: UTCTime through 2049, GeneralizedTime from 2050.
  return year >= 1950 && year < 2050 ? tlv(0x17, Buffer.from(digits.slice(2), 'ascii')) : tlv(0x18, Buffer.from(digits, 'ascii'));
}

/** Encodes a Name: O attributes first, then CN, each its own RDN (the order Go's pkix uses). */
export function encodeName(dn: DistinguishedName): Buffer {
  const rdns = (dn.organizations ?? []).map((o) => set(seq(oid('2.5.4.10'), utf8(o))));
  rdns.push(set(seq(oid('2.5.4.3'), utf8(dn.commonName))));
  return seq(...rdns);
}

// Hand-written address parsing: node:net's isIPv6 compiles a very large regular expression on first use, which
// alone costs several milliseconds of a start-up budget measured in milliseconds.
const ipv4Pattern = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function ipv4Bytes(text: string): number[] | undefined {
  return ipv4Pattern.test(text) ? text.split('.').map(Number) : undefined;
}

function ipv6Bytes(ip: string): Buffer | undefined {
  let text = ip.split('%')[0] ?? ''; // a zone never belongs in a certificate
  const last = text.lastIndexOf(':');
  if (last < 0) return undefined;
  const v4 = ipv4Bytes(text.slice(last + 1));
  // An IPv4 tail (::ffff:1.2.3.4) fills the last two groups: parse it with zeros in their place.
  if (v4) text = text.slice(0, last + 1) + '0:0';
  const split = (s: string) => (s === '' ? [] : s.split(':'));
  const gap = text.indexOf('::');
  let groups: string[];
  if (gap < 0) groups = split(text);
  else {
    if (text.indexOf('::', gap + 1) >= 0) return undefined;
    const head = split(text.slice(0, gap));
    const tail = split(text.slice(gap + 2));
    if (head.length + tail.length > 7) return undefined;
    groups = [...head, ...new Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  }
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  if (v4) out.set(v4, 12);
  return out;
}

/** The 4 bytes of an IPv4 address or the 16 of an IPv6 one; undefined for anything else (a DNS name). */
export function ipBytes(text: string): Buffer | undefined {
  const v4 = ipv4Bytes(text);
  if (v4) return Buffer.from(v4);
  return text.includes(':') ? ipv6Bytes(text) : undefined;
}

/** The value of a subjectAltName extension for these DNS names and IP addresses. */
export function encodeAltNames(names: readonly string[]): Buffer {
  return seq(
    ...names.map((n) => {
      const ip = ipBytes(n);
      if (ip) return tlv(0x87, ip);
      if (n.includes(':')) throw new Error(`not an IP address: ${n}`);
      return tlv(0x82, Buffer.from(n, 'ascii'));
    }),
  );
}

/** RFC 5280 key identifier: SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(key: KeyObject): Buffer {
  const bits = spkiPublicKeyBits(key.export({ type: 'spki', format: 'der' }));
  return createHash('sha1').update(bits.subarray(1)).digest(); // without the unused-bits byte
}

function extension(id: string, critical: boolean, value: Uint8Array): Buffer {
  return critical ? seq(oid(id), TRUE, octets(value)) : seq(oid(id), octets(value));
}

const ekuOids: Record<ExtKeyUsage, string> = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' };

function signatureAlgorithm(key: KeyObject): Buffer {
  if (key.asymmetricKeyType === 'ec') return seq(oid('1.2.840.10045.4.3.2')); // ecdsa-with-SHA256, no parameters
  if (key.asymmetricKeyType === 'rsa') return seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00])); // sha256WithRSAEncryption
  throw new Error(`unsupported signing key type: ${key.asymmetricKeyType ?? 'unknown'}`);
}

/** Issues a certificate; returns its DER bytes. */
export function createCertificate(spec: CertificateSpec): Buffer {
  const subjectName = encodeName(spec.subject);
  const exts = [
    extension('2.5.29.15', true, bitString(spec.keyUsage)),
    extension('2.5.29.19', true, spec.isCA ? seq(TRUE) : seq()),
  ];
  if (spec.extKeyUsage?.length) exts.push(extension('2.5.29.37', false, seq(...spec.extKeyUsage.map((u) => oid(ekuOids[u])))));
  exts.push(extension('2.5.29.14', false, octets(keyIdentifier(spec.publicKey))));
  if (spec.issuerPublicKey) exts.push(extension('2.5.29.35', false, seq(tlv(0x80, keyIdentifier(spec.issuerPublicKey)))));
  if (spec.altNames?.length) exts.push(extension('2.5.29.17', false, encodeAltNames(spec.altNames)));
  const algorithm = signatureAlgorithm(spec.signingKey);
  const tbs = seq(
    explicit(0, Buffer.from([0x02, 0x01, 0x02])), // version v3
    unsignedInteger(spec.serial),
    algorithm,
    Buffer.from(spec.issuerNameDer ?? subjectName),
    seq(time(spec.notBefore), time(spec.notAfter)),
    subjectName,
    spec.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...exts)),
  );
  const signature = sign('sha256', tbs, spec.signingKey);
  return seq(tbs, algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
}

/** PEM text for DER bytes under the given label. */
export function toPem(der: Uint8Array, label: string): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

// ---- reader (just enough to pick fields out of certificates kin reads back) ----

interface Tlv {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

function readTlv(buf: Uint8Array, at: number): Tlv {
  const tag = buf[at] ?? -1;
  let len = buf[at + 1] ?? 0;
  let p = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[p++] ?? 0);
  }
  if (tag < 0 || p + len > buf.length) throw new Error('truncated DER');
  return { tag, start: at, contentStart: p, end: p + len };
}

function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let p = parent.contentStart; p < parent.end; ) {
    const t = readTlv(buf, p);
    out.push(t);
    p = t.end;
  }
  return out;
}

function tbsFields(certDer: Uint8Array): { buf: Uint8Array; fields: Tlv[] } {
  const cert = readTlv(certDer, 0);
  const tbs = readTlv(certDer, cert.contentStart);
  const fields = children(certDer, tbs);
  // Without the explicit version tag the fields start one earlier; kin only reads v3 certificates.
  if (fields[0]?.tag !== 0xa0) throw new Error('not an X.509 v3 certificate');
  return { buf: certDer, fields };
}

/** The encoded subject Name of a certificate, to use as the issuer of certificates it signs. */
export function subjectNameDer(certDer: Uint8Array): Buffer {
  const { buf, fields } = tbsFields(certDer);
  const subject = fields[5];
  if (!subject) throw new Error('certificate has no subject');
  return Buffer.from(buf.subarray(subject.start, subject.end));
}

/** The raw value of a certificate's subjectAltName extension, or undefined when it has none. */
export function altNamesDer(certDer: Uint8Array): Buffer | undefined {
  const { buf, fields } = tbsFields(certDer);
  const extsWrapper = fields.find((f) => f.tag === 0xa3);
  if (!extsWrapper) return undefined;
  const list = readTlv(buf, extsWrapper.contentStart);
  const sanOid = oid('2.5.29.17');
  for (const ext of children(buf, list)) {
    const parts = children(buf, ext);
    const id = parts[0];
    const value = parts[parts.length - 1];
    if (!id || !value) continue;
    const idBytes = buf.subarray(id.start, id.end);
    if (Buffer.compare(idBytes, sanOid) === 0) return Buffer.from(buf.subarray(value.contentStart, value.end));
  }
  return undefined;
}

/** The DER bytes of the first PEM block in `pem`, or undefined when there is none. */
export function pemToDer(pem: string): Buffer | undefined {
  const m = /-----BEGIN [A-Z0-9 ]+-----([\s\S]*?)-----END [A-Z0-9 ]+-----/.exec(pem);
  return m?.[1] === undefined ? undefined : Buffer.from(m[1].replace(/\s+/g, ''), 'base64');
}

/** The subjectPublicKey bits of a SubjectPublicKeyInfo. */
export function spkiPublicKeyBits(spkiDer: Uint8Array): Buffer {
  const outer = readTlv(spkiDer, 0);
  const alg = readTlv(spkiDer, outer.contentStart);
  const bits = readTlv(spkiDer, alg.end);
  return Buffer.from(spkiDer.subarray(bits.contentStart, bits.end));
}

/** The subjectPublicKey bits of a certificate. */
export function certificatePublicKeyBits(certDer: Uint8Array): Buffer {
  const { buf, fields } = tbsFields(certDer);
  const spki = fields[6];
  if (!spki) throw new Error('certificate has no public key');
  return spkiPublicKeyBits(buf.subarray(spki.start, spki.end));
}

/**
 * The public key bits stored inside a PKCS#8 EC private key, or undefined when it holds none (or is not EC).
 * Comparing these with a certificate's is how kin checks that a key file matches its certificate without
 * asking OpenSSL to decode the key, which costs about a millisecond per key.
 */
export function pkcs8EcPublicKeyBits(pkcs8Der: Uint8Array): Buffer | undefined {
  try {
    const outer = readTlv(pkcs8Der, 0);
    const [, alg, priv] = children(pkcs8Der, outer);
    if (!alg || !priv || priv.tag !== 0x04) return undefined;
    const algOid = readTlv(pkcs8Der, alg.contentStart);
    if (Buffer.compare(pkcs8Der.subarray(algOid.start, algOid.end), oid('1.2.840.10045.2.1')) !== 0) return undefined;
    const ecKey = readTlv(pkcs8Der, priv.contentStart);
    const pub = children(pkcs8Der, ecKey).find((t) => t.tag === 0xa1);
    if (!pub) return undefined;
    const bits = readTlv(pkcs8Der, pub.contentStart);
    return Buffer.from(pkcs8Der.subarray(bits.contentStart, bits.end));
  } catch {
    return undefined;
  }
}
