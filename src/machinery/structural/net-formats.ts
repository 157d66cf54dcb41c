// Parsers behind the network string formats of custom resource schemas, with the acceptance rules of Go's
// net package that Kubernetes uses: IP addresses (strict and "sloppy" IPv4 with leading zeros), CIDRs, MAC
// addresses and request URIs.

// Dotted IPv4; `sloppy` accepts leading zeros (Kubernetes' ParseIPSloppy), strict Go refuses them.
function parseIPv4(s: string, sloppy: boolean): boolean {
  const parts = s.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3 || !/^[0-9]+$/.test(p)) return false;
    if (!sloppy && p.length > 1 && p[0] === '0') return false;
    if (Number(p) > 255) return false;
  }
  return true;
}

// Go's IPv6 text form: hex groups of at most 4 digits, one `::`, an optional trailing dotted IPv4; no zone.
function parseIPv6(s: string, sloppy: boolean): boolean {
  let groups = 0;
  let ellipsis = false;
  let i = 0;
  if (s.startsWith('::')) {
    ellipsis = true;
    i = 2;
    if (i === s.length) return true;
  }
  while (i < s.length) {
    let j = i;
    while (j < s.length && j - i < 5 && /[0-9a-fA-F]/.test(s[j] as string)) j++;
    if (j === i || j - i > 4) return false;
    if (j < s.length && s[j] === '.') {
      // An embedded IPv4 must end the address and takes two groups.
      if (!ellipsis && groups !== 6) return false;
      if (groups + 2 > 8) return false;
      if (!parseIPv4(s.slice(i), sloppy)) return false;
      groups += 2;
      i = s.length;
      break;
    }
    groups++;
    i = j;
    if (i === s.length) break;
    if (s[i] !== ':' || i + 1 === s.length) return false;
    i++;
    if (s[i] === ':') {
      if (ellipsis) return false;
      ellipsis = true;
      i++;
      if (i === s.length) break;
    }
    if (groups >= 8) return false;
  }
  return ellipsis ? groups < 8 : groups === 8;
}

/** Go's net.ParseIP (`sloppy`: Kubernetes' ParseIPSloppy, which also takes IPv4 parts with leading zeros). */
export function parseIP(s: string, sloppy = false): boolean {
  if (s.includes(':')) return parseIPv6(s, sloppy);
  return parseIPv4(s, sloppy);
}

/** Kubernetes' ParseCIDRSloppy: `address/prefix`, the prefix a decimal within the address' bit length. */
export function parseCIDR(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const addr = s.slice(0, slash);
  const mask = s.slice(slash + 1);
  if (!parseIP(addr, true)) return false;
  if (!/^[0-9]+$/.test(mask) || mask.length > 8) return false;
  const bits = addr.includes(':') ? 128 : 32;
  return Number(mask) <= bits;
}

const hex2 = /^[0-9a-fA-F]{2}$/;
const hex4 = /^[0-9a-fA-F]{4}$/;

/** Go's net.ParseMAC: 6, 8 or 20 octets as `xx:xx..`, `xx-xx..` or `xxxx.xxxx..`. */
export function parseMAC(s: string): boolean {
  if (s.length < 14) return false;
  const okLen = (n: number): boolean => n === 6 || n === 8 || n === 20;
  if (s[2] === ':' || s[2] === '-') {
    if ((s.length + 1) % 3 !== 0) return false;
    const n = (s.length + 1) / 3;
    if (!okLen(n)) return false;
    const sep = s[2];
    for (let i = 0; i < n; i++) {
      const x = 3 * i;
      if (!hex2.test(s.slice(x, x + 2))) return false;
      if (i < n - 1 && s[x + 2] !== sep) return false;
    }
    return true;
  }
  if (s[4] === '.') {
    if ((s.length + 1) % 5 !== 0) return false;
    const n = (2 * (s.length + 1)) / 5;
    if (!okLen(n)) return false;
    for (let i = 0; i < n / 2; i++) {
      const x = 5 * i;
      if (!hex4.test(s.slice(x, x + 4))) return false;
      if (i < n / 2 - 1 && s[x + 4] !== '.') return false;
    }
    return true;
  }
  return false;
}

// Characters Go's URL parser allows in the userinfo part.
const userinfoRe = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;
const validEscapes = /%(?![0-9a-fA-F]{2})/;

function validHost(host: string): boolean {
  if (host.startsWith('[')) {
    const close = host.indexOf(']');
    if (close < 0) return false;
    const port = host.slice(close + 1);
    return port === '' || /^:[0-9]*$/.test(port);
  }
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && !/^:[0-9]*$/.test(host.slice(colon))) return false;
  const name = colon >= 0 ? host.slice(0, colon) : host;
  // Go refuses characters outside the host grammar (spaces, quotes, ...) unless percent-encoded.
  return !/[\s"<>\\^`{|}]/.test(name) && !validEscapes.test(name);
}

/** Go's url.ParseRequestURI: an absolute URI (`scheme:...`) or an absolute path. */
export function isRequestURI(raw: string): boolean {
  if (/[\x00-\x1f\x7f]/.test(raw)) return false;
  let rest = raw;
  let scheme = '';
  const m = /^([A-Za-z][A-Za-z0-9+\-.]*):/.exec(raw);
  if (m) {
    scheme = m[1] as string;
    rest = raw.slice(scheme.length + 1);
  } else if (raw.startsWith(':')) {
    return false; // missing protocol scheme
  }
  // The query is split off without checks.
  const q = rest.indexOf('?');
  if (q >= 0) rest = rest.slice(0, q);
  if (!rest.startsWith('/')) return scheme !== '';
  if (scheme !== '' && rest.startsWith('//')) {
    const authEnd = rest.indexOf('/', 2);
    const authority = authEnd < 0 ? rest.slice(2) : rest.slice(2, authEnd);
    rest = authEnd < 0 ? '' : rest.slice(authEnd);
    const at = authority.lastIndexOf('@');
    if (at >= 0 && !userinfoRe.test(authority.slice(0, at))) return false;
    if (!validHost(at >= 0 ? authority.slice(at + 1) : authority)) return false;
  }
  return !validEscapes.test(rest);
}
