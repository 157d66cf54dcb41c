// Name and key format checks with Kubernetes' wording (apimachinery's util/validation), returning error texts.
// kin's machinery folder is meant to own these; until it does, the core strategies keep this private copy.

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const labelValueFmt = `(${qualifiedNameFmt})?`;
const configMapKeyFmt = '[-._a-zA-Z0-9]+';
const cIdentifierFmt = '[A-Za-z_][A-Za-z0-9_]*';
const httpHeaderNameFmt = '[-A-Za-z0-9]+';

const dns1123LabelRe = new RegExp(`^${dns1123LabelFmt}$`);
const dns1123SubdomainRe = new RegExp(`^${dns1123SubdomainFmt}$`);
const dns1035LabelRe = new RegExp(`^${dns1035LabelFmt}$`);
const qualifiedNameRe = new RegExp(`^${qualifiedNameFmt}$`);
const labelValueRe = new RegExp(`^${labelValueFmt}$`);
const configMapKeyRe = new RegExp(`^${configMapKeyFmt}$`);
const cIdentifierRe = new RegExp(`^${cIdentifierFmt}$`);
const httpHeaderNameRe = new RegExp(`^${httpHeaderNameFmt}$`);

/** `must be no more than N characters`. */
export function maxLenError(n: number): string {
  return `must be no more than ${n} characters`;
}

/** `must be between LO and HI, inclusive`. */
export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

/** A regex failure text with examples, as Kubernetes words it. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let s = msg + ' (e.g. ';
  examples.forEach((e, i) => {
    if (i > 0) s += ' or ';
    s += `'${e}', `;
  });
  return s + `regex used for validation is '${fmt}')`;
}

/** RFC 1123 label: Namespace names, container names, port names in services, volume names. */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!dns1123LabelRe.test(value)) {
    if (dns1123SubdomainRe.test(value)) errs.push('must not contain dots');
    else errs.push(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", dns1123LabelFmt, 'my-name', '123-abc'));
  }
  return errs;
}

/** RFC 1123 subdomain: most object names. */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!dns1123SubdomainRe.test(value)) {
    errs.push(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", dns1123SubdomainFmt, 'example.com'));
  }
  return errs;
}

/** RFC 1035 label: Service names. */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!dns1035LabelRe.test(value)) {
    errs.push(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", dns1035LabelFmt, 'my-name', 'abc-123'));
  }
  return errs;
}

/** A qualified name (`prefix/name`), used for label keys, annotation keys, condition types. */
export function isQualifiedName(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0] ?? '';
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const m of isDNS1123Subdomain(prefix)) errs.push('prefix part ' + m);
  } else {
    return [regexError("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", qualifiedNameFmt, 'MyName', 'my.name', '123-abc') + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part ' + maxLenError(63));
  if (!qualifiedNameRe.test(name)) {
    errs.push('name part ' + regexError("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", qualifiedNameFmt, 'MyName', 'my.name', '123-abc'));
  }
  return errs;
}

/** A label value: empty, or a qualified-name-like token of at most 63 characters. */
export function isValidLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push(maxLenError(63));
  if (!labelValueRe.test(value)) {
    errs.push(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", labelValueFmt, 'MyValue', 'my_value', '12345'));
  }
  return errs;
}

function chDirPrefix(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

/** A ConfigMap or Secret key. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 253) errs.push(maxLenError(253));
  if (!configMapKeyRe.test(value)) errs.push(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'", configMapKeyFmt, 'key.name', 'KEY_NAME', 'key-name'));
  return errs.concat(chDirPrefix(value));
}

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

/** A C identifier. */
export function isCIdentifier(value: string): string[] {
  return cIdentifierRe.test(value) ? [] : [regexError("a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'", cIdentifierFmt, 'my_name', 'MY_NAME', 'MyName')];
}

/** A port number 1..65535. */
export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

/** An IANA service (port) name. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** An HTTP header name. */
export function isHTTPHeaderName(value: string): string[] {
  return httpHeaderNameRe.test(value) ? [] : [regexError("a valid HTTP header must consist of alphanumeric characters or '-'", httpHeaderNameFmt, 'X-Header-Name')];
}

/** Unix user and group ids: 0..2^32-1. */
export function isValidID(id: number): string[] {
  return Number.isInteger(id) && id >= 0 && id <= 0xffffffff ? [] : [inclusiveRangeError(0, 0xffffffff)];
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
