// Validation building blocks shared by the group strategies, with Kubernetes' exact messages
// (k8s.io/apimachinery/pkg/util/validation and apivalidation helpers).
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { fieldError, FieldErrorType, type FieldError } from '../../machinery/index.js';
import { deepEqualJson } from '../compare.js';
import { builtinResources, type KubeObject, type ResourceInfo } from '../../api/index.js';
import type { ResourceStrategy } from '../strategy.js';

/** Checks an object name; `prefix` is true for generateName prefixes (trailing dashes allowed). Returns messages. */
export type NameValidator = (name: string, prefix?: boolean) => string[];

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1123LabelRe = new RegExp(`^${dns1123LabelFmt}$`);
const dns1123SubdomainRe = new RegExp(`^${dns1123SubdomainFmt}$`);
const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const qualifiedNameRe = new RegExp(`^${qualifiedNameFmt}$`);
const labelValueFmt = `(${qualifiedNameFmt})?`;
const labelValueRe = new RegExp(`^${labelValueFmt}$`);
const percentRe = /^[0-9]+%$/;

/** validation.IsDNS1123Label. */
export function dns1123LabelErrors(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!dns1123LabelRe.test(v)) {
    // A valid subdomain that is not a valid label (length was checked above) must contain dots.
    if (dns1123SubdomainRe.test(v)) errs.push('must not contain dots');
    else
      errs.push(
      `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${dns1123LabelFmt}')`,
      );
  }
  return errs;
}

/** validation.IsDNS1123Subdomain. */
export function dns1123SubdomainErrors(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push('must be no more than 253 characters');
  if (!dns1123SubdomainRe.test(v))
    errs.push(
      `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${dns1123SubdomainFmt}')`,
    );
  return errs;
}

/** validation.IsQualifiedName: label keys, annotation keys, many names. */
export function qualifiedNameErrors(v: string): string[] {
  const errs: string[] = [];
  const parts = v.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const m of dns1123SubdomainErrors(prefix)) errs.push('prefix part ' + m);
  } else {
    return [
      `a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${qualifiedNameFmt}') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push('name part must be no more than 63 characters');
  if (!qualifiedNameRe.test(name))
    errs.push(
      `name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '${qualifiedNameFmt}')`,
    );
  return errs;
}

/** validation.IsValidLabelValue. */
export function labelValueErrors(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!labelValueRe.test(v))
    errs.push(
      `a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '${labelValueFmt}')`,
    );
  return errs;
}

/** NameIsDNSSubdomain: the name rule of most kinds. */
export const nameIsDNSSubdomain: NameValidator = (name, prefix = false) => dns1123SubdomainErrors(prefix ? maskTrailingDash(name) : name);
/** NameIsDNSLabel: StatefulSet names (they become pod host names). */
export const nameIsDNSLabel: NameValidator = (name, prefix = false) => dns1123LabelErrors(prefix ? maskTrailingDash(name) : name);
/** ValidatePathSegmentName: RBAC names, which only need to be usable as one URL path segment. */
export const nameIsPathSegment: NameValidator = (name, prefix = false) => {
  const errs: string[] = [];
  if (!prefix) {
    if (name === '.' || name === '..') errs.push(`may not be '${name}'`);
  }
  for (const bad of ['/', '%']) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
};

// A generateName prefix may end in '-': the random suffix makes the final name valid.
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? name.slice(0, -1) + 'a' : name;
}

/** ValidateLabels: every key a qualified name, every value a label value. */
export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const m of qualifiedNameErrors(k)) errs.push(fieldError.invalid(path, k, m));
    for (const m of labelValueErrors(v)) errs.push(fieldError.invalid(path, v, m));
  }
  return errs;
}

/** ValidateNonnegativeField. */
export function nonNegative(value: number | undefined | null, path: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [fieldError.invalid(path, value, 'must be greater than or equal to 0')] : [];
}

/** An Invalid error whose value is shown in Go's %#v form (maps, structs), as Kubernetes prints it. */
export function invalidGo(path: string, goValue: string, detail: string): FieldError {
  return { type: FieldErrorType.Invalid, field: path, omitValue: true, detail: detail ? `${goValue}: ${detail}` : goValue };
}

/** ValidateImmutableField: `field is immutable` when the value changed; `goValue` renders the new value. */
export function immutable(value: unknown, old: unknown, path: string, goValue?: (v: unknown) => string): FieldError[] {
  if (deepEqualJson(value ?? null, old ?? null)) return [];
  if (goValue) return [invalidGo(path, goValue(value), 'field is immutable')];
  return [fieldError.invalid(path, value ?? null, 'field is immutable')];
}

/** Go's %q of a string (close enough to strconv.Quote for the names and values of API objects). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Go's %#v of a map[string]string: `map[string]string{"a":"1", "b":"2"}` (keys sorted), nil as `map[string]string(nil)`. */
export function goStringMap(m: Record<string, string> | undefined | null): string {
  if (!m) return 'map[string]string(nil)';
  const keys = Object.keys(m).sort();
  return `map[string]string{${keys.map((k) => `${goQuote(k)}:${goQuote(m[k]!)}`).join(', ')}}`;
}

function goStringSlice(v: readonly string[] | undefined): string {
  return v ? `[]string{${v.map(goQuote).join(', ')}}` : '[]string(nil)';
}

/** Go's %#v of a metav1.LabelSelector, as immutability errors on selectors print it. */
export function goLabelSelector(v: unknown): string {
  const sel = v as LabelSelector | undefined | null;
  if (!sel) return '<nil>';
  const exprs = sel.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${sel.matchExpressions
        .map((e) => `v1.LabelSelectorRequirement{Key:${goQuote(e.key)}, Operator:${goQuote(e.operator)}, Values:${goStringSlice(e.values)}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels)}, MatchExpressions:${exprs}}`;
}

/** Go's %#v of an intstr.IntOrString. */
export function goIntOrString(v: number | string | undefined): string {
  if (typeof v === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${v ?? 0}, StrVal:""}`;
}

/** validation.IsValidPercent. */
export function percentErrors(v: string): string[] {
  return percentRe.test(v) ? [] : [`a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`];
}

/** ValidatePositiveIntOrPercent (apps): a non-negative integer or a valid percentage. */
export function validatePositiveIntOrPercent(v: number | string | undefined, path: string): FieldError[] {
  if (typeof v === 'string') return percentErrors(v).map((m) => invalidGo(path, goIntOrString(v), m));
  if (typeof v === 'number' && v < 0) return [invalidGo(path, goIntOrString(v), 'must be greater than or equal to 0')];
  return [];
}

/** The numeric part of an int-or-percent (`25%` → 25, 3 → 3); 0 for anything unparsable. */
export function intOrPercentValue(v: number | string | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (percentErrors(v).length === 0) return parseInt(v.slice(0, -1), 10);
    const n = Number(v);
    return Number.isInteger(n) ? n : 0;
  }
  return 0;
}

/** IsNotMoreThan100Percent. */
export function notMoreThan100Percent(v: number | string | undefined, path: string): FieldError[] {
  if (typeof v !== 'string' || percentErrors(v).length) return [];
  return intOrPercentValue(v) > 100 ? [invalidGo(path, goIntOrString(v), 'must not be greater than 100%')] : [];
}

/** A group strategy: the shared interface plus the kind's name rule, for the metadata validation the store runs. */
export type GroupStrategy<T extends KubeObject = KubeObject> = ResourceStrategy<T> & { readonly nameValidation: NameValidator };

/** The ResourceInfo of a built-in resource (from the api table); throws when it is not there, which is a programming error. */
export function builtinInfo(group: string, version: string, kind: string): ResourceInfo {
  const info = builtinResources.find((r) => r.group === group && r.version === version && r.kind === kind);
  if (!info) throw new Error(`no built-in resource ${group}/${version} ${kind}`);
  return info;
}

const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const wildcardFmt = `\\*\\.${dns1123SubdomainFmt}`;

/** validation.IsDNS1035Label: Service names. */
export function dns1035LabelErrors(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push('must be no more than 63 characters');
  if (!new RegExp(`^${dns1035LabelFmt}$`).test(v))
    errs.push(
      `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '${dns1035LabelFmt}')`,
    );
  return errs;
}

/** validation.IsWildcardDNS1123Subdomain: `*.example.com`. */
export function wildcardSubdomainErrors(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push('must be no more than 253 characters');
  if (!new RegExp(`^${wildcardFmt}$`).test(v))
    errs.push(
      `a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '${wildcardFmt}')`,
    );
  return errs;
}

/** validation.IsValidPortNum. */
export function portNumErrors(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** validation.IsValidPortName (IANA_SVC_NAME). */
export function portNameErrors(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

const ipv4Re = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** 4 or 6 when the text is an IP address, else 0. */
export function ipFamily(v: string): 0 | 4 | 6 {
  if (ipv4Re.test(v)) return 4;
  if (!v.includes(':') || /[^0-9a-fA-F:.]/.test(v)) return 0;
  const halves = v.split('::');
  if (halves.length > 2) return 0;
  const groups = v.split(':').filter((g) => g !== '');
  let n = 0;
  for (const [i, g] of groups.entries()) {
    if (i === groups.length - 1 && g.includes('.')) {
      if (!ipv4Re.test(g)) return 0;
      n += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) n++;
    else return 0;
  }
  return (halves.length === 2 ? n <= 7 : n === 8) ? 6 : 0;
}

/** `must be a valid CIDR value, ...` unless the text is a CIDR. */
export function cidrErrors(v: string): string[] {
  const i = v.indexOf('/');
  const fam = i > 0 ? ipFamily(v.slice(0, i)) : 0;
  const bits = i > 0 ? v.slice(i + 1) : '';
  const ok = fam !== 0 && /^\d{1,3}$/.test(bits) && Number(bits) <= (fam === 4 ? 32 : 128);
  return ok ? [] : ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'];
}
