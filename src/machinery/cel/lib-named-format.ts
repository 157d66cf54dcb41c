// Kubernetes' format library: named validators (`format.dns1123Label()`, `format.named('uuid')`, ...) whose
// `validate(string)` returns optional.none() for a valid value, or the list of Kubernetes' validation messages.
import { Optional } from '@marcbachmann/cel-js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, nameIsDNS1035Label, nameIsDNSLabel, nameIsDNSSubdomain } from '../names.js';
import { isQualifiedName, isValidLabelValue } from '../validation.js';
import type { Registrar } from './registrar.js';
import { parseRequestUri } from './lib-url.js';

/** A named format (`kubernetes.NamedFormat`). */
export class CelNamedFormat {
  constructor(
    readonly name: string,
    readonly check: (s: string) => string[],
  ) {}
  toString(): string {
    return this.name;
  }
}

const uuidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTimePattern = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function validDate(s: string): boolean {
  const m = datePattern.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

const formats: Record<string, (s: string) => string[]> = {
  dns1123Label: isDNS1123Label,
  dns1123Subdomain: isDNS1123Subdomain,
  dns1035Label: isDNS1035Label,
  qualifiedName: isQualifiedName,
  dns1123LabelPrefix: (s) => nameIsDNSLabel(s, true),
  dns1123SubdomainPrefix: (s) => nameIsDNSSubdomain(s, true),
  dns1035LabelPrefix: (s) => nameIsDNS1035Label(s, true),
  labelValue: isValidLabelValue,
  uri: (s) => {
    try {
      parseRequestUri(s);
      return [];
    } catch (e) {
      return [`invalid URI: ${(e as Error).message.replace(/^URL parse error during conversion from string: /, '')}`];
    }
  },
  uuid: (s) => (uuidPattern.test(s) ? [] : ['does not match the UUID format']),
  byte: (s) => (/^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 ? [] : ['invalid base64']),
  date: (s) => (validDate(s) ? [] : ['invalid date']),
  datetime: (s) => (dateTimePattern.test(s) && !Number.isNaN(new Date(s).getTime()) ? [] : ['invalid datetime']),
};

/** Registers the format library. */
export function registerNamedFormats(r: Registrar): void {
  const F = 'kubernetes.NamedFormat';
  r.type(F, CelNamedFormat).namespace('format', 'kin.FormatNamespace');
  for (const [name, check] of Object.entries(formats)) {
    const f = new CelNamedFormat(name, check);
    r.fn(`kin.FormatNamespace.${name}(): ${F}`, () => f);
  }
  r.fn(`kin.FormatNamespace.named(string): optional<${F}>`, (_n: unknown, name: string) => {
    const check = Object.prototype.hasOwnProperty.call(formats, name) ? formats[name] : undefined;
    return check ? Optional.of(new CelNamedFormat(name, check)) : Optional.none();
  }).fn(`${F}.validate(string): optional<list<string>>`, (f: CelNamedFormat, s: string) => {
    const errs = f.check(s);
    return errs.length === 0 ? Optional.none() : Optional.of(errs);
  });
}
