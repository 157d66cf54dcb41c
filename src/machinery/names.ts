// Name rules for metadata.name (and other identifiers): DNS-1123 subdomains and labels, DNS-1035 labels, path
// segments. Each check returns the list of problems, worded as Kubernetes words them; empty means valid.

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const wildcardDNS1123SubdomainFmt = `\\*\\.${dns1123SubdomainFmt}`;

const dns1123LabelRe = new RegExp(`^${dns1123LabelFmt}$`);
const dns1123SubdomainRe = new RegExp(`^${dns1123SubdomainFmt}$`);
const dns1035LabelRe = new RegExp(`^${dns1035LabelFmt}$`);
const wildcardDNS1123SubdomainRe = new RegExp(`^${wildcardDNS1123SubdomainFmt}$`);

/** Maximum length of a DNS-1123 label (and of DNS-1035 labels). */
export const DNS1123LabelMaxLength = 63;
/** Maximum length of a DNS-1123 subdomain. */
export const DNS1123SubdomainMaxLength = 253;
/** Maximum length of a DNS-1035 label. */
export const DNS1035LabelMaxLength = 63;

/** `must be no more than N characters`. */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/** A regex failure message with examples, as Kubernetes' RegexError. */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  return `${msg} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${fmt}')`;
}

/** `must be non-empty`. */
export function emptyError(): string {
  return 'must be non-empty';
}

/** Byte length in UTF-8, as Go's len() of a string. */
export function byteLength(s: string): number {
  // Fast path: all-ASCII strings (the usual case) have one byte per UTF-16 unit.
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s, 'utf8');
  return s.length;
}

/** Checks a lowercase RFC 1123 label (at most 63 characters, `[a-z0-9]([-a-z0-9]*[a-z0-9])?`). */
export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123LabelMaxLength) errs.push(maxLenError(DNS1123LabelMaxLength));
  if (!dns1123LabelRe.test(value)) {
    if (dns1123SubdomainRe.test(value)) errs.push('must not contain dots');
    else
      errs.push(
        regexError(
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
          dns1123LabelFmt,
          'my-name',
          '123-abc',
        ),
      );
  }
  return errs;
}

/** Checks a lowercase RFC 1123 subdomain (at most 253 characters, dot-separated labels). */
export function isDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123SubdomainMaxLength) errs.push(maxLenError(DNS1123SubdomainMaxLength));
  if (!dns1123SubdomainRe.test(value)) {
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
        dns1123SubdomainFmt,
        'example.com',
      ),
    );
  }
  return errs;
}

/** Checks a DNS-1035 label: like a DNS-1123 label but starting with a letter (Services, for example). */
export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1035LabelMaxLength) errs.push(maxLenError(DNS1035LabelMaxLength));
  if (!dns1035LabelRe.test(value)) {
    errs.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        dns1035LabelFmt,
        'my-name',
        'abc-123',
      ),
    );
  }
  return errs;
}

/** Checks `*.` followed by a DNS-1123 subdomain (Ingress hosts, for example). */
export function isWildcardDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123SubdomainMaxLength) errs.push(maxLenError(DNS1123SubdomainMaxLength));
  if (!wildcardDNS1123SubdomainRe.test(value)) {
    errs.push(
      regexError(
        "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character",
        wildcardDNS1123SubdomainFmt,
        '*.example.com',
      ),
    );
  }
  return errs;
}

/** Names that may not be used as a path segment. */
export const nameMayNotBe: readonly string[] = ['.', '..'];
/** Substrings that may not appear in a path segment. */
export const nameMayNotContain: readonly string[] = ['/', '%'];

/** Checks a name used as one URL path segment (the rule for most resources without a stricter one). */
export function isValidPathSegmentName(name: string): string[] {
  for (const illegal of nameMayNotBe) if (name === illegal) return [`may not be '${illegal}'`];
  return isValidPathSegmentPrefix(name);
}

/** Checks a generateName prefix used as the start of a path segment. */
export function isValidPathSegmentPrefix(name: string): string[] {
  const errs: string[] = [];
  for (const illegal of nameMayNotContain) if (name.includes(illegal)) errs.push(`may not contain '${illegal}'`);
  return errs;
}

/**
 * Validates metadata.name (prefix=false) or metadata.generateName (prefix=true) for one kind. Returns the problems.
 * Kubernetes' ValidateNameFunc.
 */
export type NameValidator = (name: string, prefix: boolean) => string[];

// Replaces a trailing dash of a generateName so a prefix such as "web-" passes. This mirrors Kubernetes
// exactly, including that it drops the character before the dash too.
function maskTrailingDash(name: string): string {
  if (name.length > 1 && name.endsWith('-')) return name.slice(0, name.length - 2) + 'a';
  return name;
}

/** Names that must be DNS-1123 subdomains (most resources: ConfigMap, Secret, Pod, Deployment, ...). */
export const nameIsDNSSubdomain: NameValidator = (name, prefix) => isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
/** Names that must be DNS-1123 labels (Namespace, ...). */
export const nameIsDNSLabel: NameValidator = (name, prefix) => isDNS1123Label(prefix ? maskTrailingDash(name) : name);
/** Names that must be DNS-1035 labels (Service, ...). */
export const nameIsDNS1035Label: NameValidator = (name, prefix) => isDNS1035Label(prefix ? maskTrailingDash(name) : name);
/** Names that only need to be a valid path segment (RBAC roles and bindings, custom resources, ...). */
export const nameIsPathSegment: NameValidator = (name, prefix) => (prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name));
/** The rule for namespace names wherever they appear. */
export const validateNamespaceName: NameValidator = nameIsDNSLabel;
/** The rule for service account names wherever they appear. */
export const validateServiceAccountName: NameValidator = nameIsDNSSubdomain;
