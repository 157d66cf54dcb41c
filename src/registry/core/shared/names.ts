// Name and key format checks with Kubernetes' wording, returning error texts. The common ones come from
// src/machinery; the few only the core kinds need (relaxed env names, IPs, CIDRs, ids) live here.
export {
  maxLenError, regexError, inclusiveRangeError, isDNS1123Label, isDNS1123Subdomain, isDNS1035Label, isQualifiedName, isValidLabelValue,
  isConfigMapKey, isCIdentifier, isValidPortNum, isValidPortName,
} from '../../../machinery/index.js';
import { regexError } from '../../../machinery/index.js';

const httpHeaderNameFmt = '[-A-Za-z0-9]+';
const httpHeaderNameRe = new RegExp(`^${httpHeaderNameFmt}$`);

/** An environment variable name under the relaxed rules (on by default since Kubernetes 1.32). */
export function isRelaxedEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (value.length === 0) errs.push('environment variable name must be non-empty');
  for (const ch of value) {
    const c = ch.codePointAt(0) ?? 0;
    if (c > 126 || c < 32 || ch === '=') {
      errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
      break;
    }
  }
  return errs;
}




/** An HTTP header name. */
export function isHTTPHeaderName(value: string): string[] {
  return httpHeaderNameRe.test(value) ? [] : [regexError("a valid HTTP header must consist of alphanumeric characters or '-'", httpHeaderNameFmt, 'X-Header-Name')];
}

/** Unix user and group ids: 0..2^32-1. */
export function isValidID(id: number): string[] {
  return Number.isInteger(id) && id >= 0 && id <= 0xffffffff ? [] : [`must be between 0 and ${0xffffffff}, inclusive`];
}

const ipv4Re = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** 4 or 6 when the string is an IP address (no leading zeros in IPv4), else 0. */
export function ipFamilyOf(value: string): 0 | 4 | 6 {
  if (ipv4Re.test(value)) return 4;
  if (!value.includes(':') || /[^0-9a-fA-F:.]/.test(value)) return 0;
  const dbl = value.split('::');
  if (dbl.length > 2) return 0;
  const groups = value.split(':').filter((g) => g !== '');
  let count = 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i] ?? '';
    if (i === groups.length - 1 && g.includes('.')) {
      if (!ipv4Re.test(g)) return 0;
      count += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) count++;
    else return 0;
  }
  if (dbl.length === 2 ? count > 7 : count !== 8) return 0;
  return 6;
}

/** `must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)` when not an IP. */
export function isValidIP(value: string): string[] {
  return ipFamilyOf(value) ? [] : ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'];
}

/** A CIDR such as 10.0.0.0/8. */
export function isValidCIDR(value: string): string[] {
  const i = value.indexOf('/');
  const fam = i > 0 ? ipFamilyOf(value.slice(0, i)) : 0;
  const bits = i > 0 ? value.slice(i + 1) : '';
  const ok = fam !== 0 && /^\d{1,3}$/.test(bits) && Number(bits) <= (fam === 4 ? 32 : 128);
  return ok ? [] : ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'];
}
