// Kubernetes' IP and CIDR libraries: ip(), isIP(), ip.isCanonical(), cidr(), isCIDR() and the methods of net.IP and
// net.IPPrefix. Parsing is strict as Go's netip is: no leading zeros in IPv4, no zones; Kubernetes also refuses
// IPv4-mapped IPv6 addresses.
import { CelRuntimeError } from './errors.js';
import type { Registrar } from './registrar.js';
import type { Equatable, JsonConvertible } from './values.js';

/** An IP address: 4 or 16 bytes as a 32- or 128-bit number. */
export class CelIp implements Equatable, JsonConvertible {
  constructor(
    readonly family: 4 | 6,
    readonly bits: bigint,
  ) {}
  celEquals(other: unknown): boolean {
    return other instanceof CelIp && other.family === this.family && other.bits === this.bits;
  }
  toJSON(): string {
    return formatIp(this);
  }
  toString(): string {
    return formatIp(this);
  }
}

/** An IP prefix (`net.IPPrefix`): an address (not necessarily masked) and a prefix length. */
export class CelCidr implements Equatable, JsonConvertible {
  constructor(
    readonly ip: CelIp,
    readonly prefix: number,
  ) {}
  celEquals(other: unknown): boolean {
    return other instanceof CelCidr && other.prefix === this.prefix && other.ip.celEquals(this.ip);
  }
  toJSON(): string {
    return `${formatIp(this.ip)}/${this.prefix}`;
  }
  toString(): string {
    return this.toJSON();
  }
}

function width(ip: CelIp): number {
  return ip.family === 4 ? 32 : 128;
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return undefined;
    v = (v << 8n) | BigInt(p);
  }
  return v;
}

function parseV6(s: string): bigint | undefined {
  if (s.includes('%')) return undefined;
  let head = s;
  let tailV4: bigint | undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    tailV4 = parseV4(s.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups = part.split(':');
    const out: number[] = [];
    for (const g of groups) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = parse(halves[0] as string);
  const right = halves.length === 2 ? parse(halves[1] as string) : [];
  if (!left || !right) return undefined;
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...left, ...Array.from({ length: missing }, () => 0), ...right];
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  if (tailV4 !== undefined) v = (v & ~0xffffffffn) | tailV4;
  return v;
}

const mappedPrefix = 0xffffn << 32n;

/** Parses an IP as Kubernetes' ip() does; returns an error message when it is not valid. */
export function parseIp(s: string): CelIp | string {
  if (!s.includes(':')) {
    const v = parseV4(s);
    return v === undefined ? `IP Address ${JSON.stringify(s)} parse error during conversion from string: ParseAddr(${JSON.stringify(s)}): unable to parse IP` : new CelIp(4, v);
  }
  const v = parseV6(s);
  if (v === undefined) return `IP Address ${JSON.stringify(s)} parse error during conversion from string: ParseAddr(${JSON.stringify(s)}): unable to parse IP`;
  if (v >> 32n === 0xffffn) return `IPv4-mapped IPv6 address ${JSON.stringify(s)} is not allowed`;
  return new CelIp(6, v);
}

/** The canonical text of an IP (RFC 5952 for IPv6). */
export function formatIp(ip: CelIp): string {
  if (ip.family === 4) return [24n, 16n, 8n, 0n].map((sh) => String((ip.bits >> sh) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((ip.bits >> BigInt((7 - i) * 16)) & 0xffffn));
  if ((ip.bits & ~0xffffffffn) === mappedPrefix) return `::ffff:${formatIp(new CelIp(4, ip.bits & 0xffffffffn))}`;
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Parses a CIDR as Kubernetes' cidr() does; returns an error message when it is not valid. */
export function parseCidr(s: string): CelCidr | string {
  const slash = s.indexOf('/');
  const bad = `network address parse error during conversion from string: netip.ParsePrefix(${JSON.stringify(s)}): no '/'`;
  if (slash < 0) return bad;
  const ip = parseIp(s.slice(0, slash));
  const len = s.slice(slash + 1);
  if (typeof ip === 'string') return `network address parse error during conversion from string: netip.ParsePrefix(${JSON.stringify(s)}): ParseAddr(${JSON.stringify(s.slice(0, slash))}): unable to parse IP`;
  if (!/^(0|[1-9][0-9]*)$/.test(len) || Number(len) > width(ip)) {
    return `network address parse error during conversion from string: netip.ParsePrefix(${JSON.stringify(s)}): bad bits after slash: ${JSON.stringify(len)}`;
  }
  return new CelCidr(ip, Number(len));
}

function mask(ip: CelIp, prefix: number): bigint {
  const w = BigInt(width(ip));
  const p = BigInt(prefix);
  const all = (1n << w) - 1n;
  return ip.bits & (all ^ ((1n << (w - p)) - 1n));
}

function contains(c: CelCidr, ip: CelIp): boolean {
  return ip.family === c.ip.family && mask(ip, c.prefix) === mask(c.ip, c.prefix);
}

function inRange(ip: CelIp, base: bigint, prefix: number): boolean {
  return mask(ip, prefix) === mask(new CelIp(ip.family, base), prefix);
}

const v4 = (a: number, b: number, c: number, d: number): bigint => (BigInt(a) << 24n) | (BigInt(b) << 16n) | (BigInt(c) << 8n) | BigInt(d);

function isLoopback(ip: CelIp): boolean {
  return ip.family === 4 ? inRange(ip, v4(127, 0, 0, 0), 8) : ip.bits === 1n;
}

function isLinkLocalUnicast(ip: CelIp): boolean {
  return ip.family === 4 ? inRange(ip, v4(169, 254, 0, 0), 16) : inRange(ip, 0xfe80n << 112n, 10);
}

function isLinkLocalMulticast(ip: CelIp): boolean {
  return ip.family === 4 ? inRange(ip, v4(224, 0, 0, 0), 24) : ((ip.bits >> 112n) & 0xff0fn) === 0xff02n;
}

function isGlobalUnicast(ip: CelIp): boolean {
  if (ip.bits === 0n || isLoopback(ip) || isLinkLocalUnicast(ip)) return false;
  if (ip.family === 4) return !inRange(ip, v4(224, 0, 0, 0), 4) && ip.bits !== 0xffffffffn;
  return !inRange(ip, 0xffn << 120n, 8);
}

function ipOrThrow(s: string): CelIp {
  const ip = parseIp(s);
  if (typeof ip === 'string') throw new CelRuntimeError(ip);
  return ip;
}

function cidrOrThrow(s: string): CelCidr {
  const c = parseCidr(s);
  if (typeof c === 'string') throw new CelRuntimeError(c);
  return c;
}

/** Registers the ip and cidr libraries. */
export function registerNet(r: Registrar): void {
  const IP = 'net.IP';
  const CIDR = 'net.IPPrefix';
  r.type(IP, CelIp)
    .type(CIDR, CelCidr)
    .namespace('ip', 'kin.IPNamespace')
    .fn(`ip(string): ${IP}`, (s: string) => ipOrThrow(s))
    .fn('isIP(string): bool', (s: string) => typeof parseIp(s) !== 'string')
    .fn('kin.IPNamespace.isCanonical(string): bool', (_n: unknown, s: string) => formatIp(ipOrThrow(s)) === s)
    .fn(`string(${IP}): string`, (ip: CelIp) => formatIp(ip))
    .fn(`${IP}.family(): int`, (ip: CelIp) => BigInt(ip.family))
    .fn(`${IP}.isUnspecified(): bool`, (ip: CelIp) => ip.bits === 0n)
    .fn(`${IP}.isLoopback(): bool`, (ip: CelIp) => isLoopback(ip))
    .fn(`${IP}.isLinkLocalMulticast(): bool`, (ip: CelIp) => isLinkLocalMulticast(ip))
    .fn(`${IP}.isLinkLocalUnicast(): bool`, (ip: CelIp) => isLinkLocalUnicast(ip))
    .fn(`${IP}.isGlobalUnicast(): bool`, (ip: CelIp) => isGlobalUnicast(ip))
    .op(`${IP} == ${IP}`, (a: CelIp, b: CelIp) => a.celEquals(b))
    .fn(`cidr(string): ${CIDR}`, (s: string) => cidrOrThrow(s))
    .fn('isCIDR(string): bool', (s: string) => typeof parseCidr(s) !== 'string')
    .fn(`string(${CIDR}): string`, (c: CelCidr) => c.toJSON())
    .fn(`${CIDR}.containsIP(${IP}): bool`, (c: CelCidr, ip: CelIp) => contains(c, ip))
    .fn(`${CIDR}.containsIP(string): bool`, (c: CelCidr, s: string) => contains(c, ipOrThrow(s)))
    .fn(`${CIDR}.containsCIDR(${CIDR}): bool`, (c: CelCidr, o: CelCidr) => o.prefix >= c.prefix && contains(c, o.ip))
    .fn(`${CIDR}.containsCIDR(string): bool`, (c: CelCidr, s: string) => {
      const o = cidrOrThrow(s);
      return o.prefix >= c.prefix && contains(c, o.ip);
    })
    .fn(`${CIDR}.ip(): ${IP}`, (c: CelCidr) => c.ip)
    .fn(`${CIDR}.masked(): ${CIDR}`, (c: CelCidr) => new CelCidr(new CelIp(c.ip.family, mask(c.ip, c.prefix)), c.prefix))
    .fn(`${CIDR}.prefixLength(): int`, (c: CelCidr) => BigInt(c.prefix))
    .op(`${CIDR} == ${CIDR}`, (a: CelCidr, b: CelCidr) => a.celEquals(b));
}
