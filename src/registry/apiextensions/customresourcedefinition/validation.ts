// Validation of CustomResourceDefinitions, with the wording and field paths of Kubernetes' apiextensions.
import { child, deepEqual, fieldError, FieldErrorType, index, isDNS1035Label, isDNS1123Subdomain, type FieldError } from '../../../machinery/index.js';
import type { Crd, CrdColumn, CrdVersion } from './types.js';
import { checkStructural, schemaHas, type JSONSchemaProps } from '../../../machinery/structural/index.js';
import { CelCompileError, compileRule } from '../../../machinery/cel/index.js';


/** Compiles every x-kubernetes-validations rule of a schema, as Kubernetes does when a CRD is written. */
function ruleErrors(schema: JSONSchemaProps, path: string, root: boolean, cardinality: number, out: FieldError[]): void {
  (schema['x-kubernetes-validations'] ?? []).forEach((rule, i) => {
    const rp = `${path}.x-kubernetes-validations[${i}]`;
    const base = { selfType: schema as never, isResourceRoot: root || schema['x-kubernetes-embedded-resource'] === true, oldSelf: /\boldSelf\b/.test(rule.rule ?? ''), optionalOldSelf: rule.optionalOldSelf === true, cardinality };
    const r = compileRule(rule.rule ?? '', { ...base, resultType: 'bool' });
    if (r instanceof CelCompileError) out.push(r.kind === 'cost' ? fieldError.forbidden(`${rp}.rule`, r.message) : fieldError.invalid(`${rp}.rule`, rule.rule ?? '', r.message));
    if (rule.messageExpression) {
      const m = compileRule(rule.messageExpression, { ...base, resultType: 'string' });
      if (m instanceof CelCompileError) out.push(fieldError.invalid(`${rp}.messageExpression`, rule.messageExpression, m.message));
    }
  });
  for (const [k, p] of Object.entries(schema.properties ?? {})) ruleErrors(p, `${path}.properties[${k}]`, false, cardinality, out);
  if (schema.items && !Array.isArray(schema.items)) ruleErrors(schema.items as JSONSchemaProps, `${path}.items`, false, cardinality * ((schema.maxItems as number | undefined) ?? 1000), out);
  const ap = schema.additionalProperties;
  if (ap && typeof ap === 'object') ruleErrors(ap as JSONSchemaProps, `${path}.additionalProperties`, false, cardinality * ((schema.maxProperties as number | undefined) ?? 1000), out);
}

/** Every check of a version's schema: keywords, structural rules, and CEL rules that compile within their cost. */
function structuralCheck(schema: unknown, path: string, statusEnabled: boolean): FieldError[] {
  const s = schema as JSONSchemaProps;
  // checkStructural runs the keyword checks too, in Kubernetes' order.
  const errs = checkStructural(s, path, { statusEnabled });
  // Rules are compiled only for schemas that are otherwise sound, as Kubernetes does.
  if (errs.length === 0) ruleErrors(s, path, true, 1, errs);
  return errs;
}

/** Go's %#v of a []string, as Kubernetes prints such a bad value (`[]string{"v1"}`, `[]string(nil)`). */
function goStrings(v: readonly string[] | undefined): string {
  return v === undefined ? '[]string(nil)' : `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`;
}

/** An Invalid error whose bad value is printed verbatim (Go syntax kin's formatter would not produce). */
function invalidPrinted(field: string, printed: string, detail: string): FieldError {
  return { type: FieldErrorType.Invalid, field, omitValue: true, detail: `${printed}: ${detail}` };
}

function dns1035(field: string, value: string, prefix = ''): FieldError[] {
  const errs = isDNS1035Label(value);
  return errs.length ? [fieldError.invalid(field, value, prefix + errs.join(','))] : [];
}

/** The names of a CRD (spec.names, status.acceptedNames), as Kubernetes checks them. */
function validateNames(names: Partial<Crd['spec']['names']> | undefined, path: string): FieldError[] {
  const n = names ?? {};
  const errs: FieldError[] = [];
  if (n.plural) errs.push(...dns1035(child(path, 'plural'), n.plural));
  if (n.singular) errs.push(...dns1035(child(path, 'singular'), n.singular));
  const mixed = 'may have mixed case, but should otherwise match: ';
  if (n.kind) {
    const e = isDNS1035Label(n.kind.toLowerCase());
    if (e.length) errs.push(fieldError.invalid(child(path, 'kind'), n.kind, mixed + e.join(',')));
  }
  if (n.listKind) {
    const e = isDNS1035Label(n.listKind.toLowerCase());
    if (e.length) errs.push(fieldError.invalid(child(path, 'listKind'), n.listKind, mixed + e.join(',')));
  }
  for (const [i, sn] of (n.shortNames ?? []).entries()) errs.push(...dns1035(index(child(path, 'shortNames'), i), sn));
  // kind and listKind may not be the same or parsing becomes ambiguous
  if (n.kind && n.kind === n.listKind) errs.push(fieldError.invalid(child(path, 'listKind'), n.listKind, 'kind and listKind may not be the same'));
  for (const [i, c] of (n.categories ?? []).entries()) errs.push(...dns1035(index(child(path, 'categories'), i), c));
  return errs;
}

const columnTypes = ['boolean', 'date', 'integer', 'number', 'string'];
const columnFormats = ['byte', 'date', 'date-time', 'double', 'float', 'int32', 'int64', 'password'];

function simpleJsonPath(s: string, path: string): FieldError[] {
  if (s === '') return [fieldError.invalid(path, s, 'must not be empty')];
  if (s[0] !== '.') return [fieldError.invalid(path, s, 'must be a simple json path starting with .')];
  return [];
}

function validateColumn(c: Partial<CrdColumn>, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(fieldError.required(child(path, 'name')));
  const must = `must be one of ${columnTypes.join(',')}`;
  if (!c.type) errs.push(fieldError.required(child(path, 'type'), must));
  else if (!columnTypes.includes(c.type)) errs.push(fieldError.invalid(child(path, 'type'), c.type, must));
  if (c.format && !columnFormats.includes(c.format)) errs.push(fieldError.invalid(child(path, 'format'), c.format, `must be one of ${columnFormats.join(',')}`));
  if (!c.jsonPath) errs.push(fieldError.required(child(path, 'JSONPath')));
  else errs.push(...simpleJsonPath(c.jsonPath, child(path, 'JSONPath')));
  return errs;
}

function validateScale(scale: NonNullable<CrdVersion['subresources']>['scale'], path: string): FieldError[] {
  if (!scale) return [];
  const errs: FieldError[] = [];
  const spec = `${path}.scale.specReplicasPath`;
  if (!scale.specReplicasPath) errs.push(fieldError.required(spec));
  else {
    const e = simpleJsonPath(scale.specReplicasPath, spec);
    if (e.length) errs.push(...e);
    else if (!scale.specReplicasPath.startsWith('.spec.')) errs.push(fieldError.invalid(spec, scale.specReplicasPath, 'should be a json path under .spec'));
  }
  const status = `${path}.scale.statusReplicasPath`;
  if (!scale.statusReplicasPath) errs.push(fieldError.required(status));
  else {
    const e = simpleJsonPath(scale.statusReplicasPath, status);
    if (e.length) errs.push(...e);
    else if (!scale.statusReplicasPath.startsWith('.status.')) errs.push(fieldError.invalid(status, scale.statusReplicasPath, 'should be a json path under .status'));
  }
  const sel = scale.labelSelectorPath;
  if (sel) {
    const p = `${path}.scale.labelSelectorPath`;
    const e = simpleJsonPath(sel, p);
    if (e.length) errs.push(...e);
    else if (!sel.startsWith('.spec.') && !sel.startsWith('.status.')) errs.push(fieldError.invalid(p, sel, 'should be a json path under either .spec or .status'));
  }
  return errs;
}

function deprecationWarningErrors(v: CrdVersion): string[] {
  const w = v.deprecationWarning;
  if (!v.deprecated && w !== undefined) return ['can only be set for deprecated versions'];
  if (w === undefined) return [];
  const out: string[] = [];
  if (Buffer.byteLength(w) > 256) out.push('must be <= 256 characters long');
  if (w.length === 0) out.push('must not be an empty string');
  let i = 0;
  for (const ch of w) {
    if (/\p{Cc}/u.test(ch)) {
      out.push(`must only contain printable UTF-8 characters; control character found at index ${i}`);
      break;
    }
    if (!/[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(ch)) {
      out.push(`must only contain printable UTF-8 characters; non-printable character found at index ${i}`);
      break;
    }
    i += Buffer.byteLength(ch);
  }
  return out;
}

// A version whose schema (and status subresource) an update leaves as it was: it passed these checks when it was
// written, so they are not run again (they are the costly part of validating a large CRD).
function schemaUnchanged(v: CrdVersion, old: Crd | undefined): boolean {
  const before = old?.spec?.versions?.find((x) => x.name === v.name);
  if (!before) return false;
  return (before.subresources?.status !== undefined) === (v.subresources?.status !== undefined) && deepEqual(before.schema?.openAPIV3Schema, v.schema?.openAPIV3Schema);
}

function validateVersion(v: CrdVersion, path: string, old: Crd | undefined): FieldError[] {
  const errs: FieldError[] = [];
  for (const m of deprecationWarningErrors(v)) errs.push(fieldError.invalid(child(path, 'deprecationWarning'), v.deprecationWarning ?? null, m));
  const schema = v.schema?.openAPIV3Schema;
  if (schema !== undefined && !schemaUnchanged(v, old)) errs.push(...structuralCheck(schema, child(child(path, 'schema'), 'openAPIV3Schema'), v.subresources?.status !== undefined));
  errs.push(...validateScale(v.subresources?.scale, child(path, 'subresources')));
  for (const [i, c] of (v.additionalPrinterColumns ?? []).entries()) errs.push(...validateColumn(c, index(child(path, 'additionalPrinterColumns'), i)));
  return errs;
}

function validateConversion(spec: Crd['spec']): FieldError[] {
  const conv = spec.conversion as { strategy?: string; webhook?: { clientConfig?: unknown; conversionReviewVersions?: string[] } } | undefined;
  if (!conv) return [];
  const errs: FieldError[] = [];
  const strategies = ['None', 'Webhook'];
  if (!conv.strategy) errs.push(fieldError.required('spec.conversion.strategy'));
  else if (!strategies.includes(conv.strategy)) errs.push(fieldError.notSupported('spec.conversion.strategy', conv.strategy, strategies));
  const cc = conv.webhook?.clientConfig;
  const reviews = conv.webhook?.conversionReviewVersions;
  if (conv.strategy === 'Webhook') {
    if (!cc) errs.push(fieldError.required('spec.conversion.webhookClientConfig', 'required when strategy is set to Webhook'));
    else {
      const c = cc as { url?: string; service?: unknown };
      if ((c.url === undefined) === (c.service === undefined)) errs.push(fieldError.required('spec.conversion.webhookClientConfig', 'exactly one of url or service is required'));
    }
    if (!reviews || reviews.length === 0) errs.push(fieldError.required('spec.conversion.conversionReviewVersions'));
    else {
      const seen = new Set<string>();
      reviews.forEach((r, i) => {
        const p = index('spec.conversion.conversionReviewVersions', i);
        if (seen.has(r)) {
          errs.push(fieldError.invalid(p, r, 'duplicate version'));
          return;
        }
        seen.add(r);
        for (const m of isDNS1035Label(r)) errs.push(fieldError.invalid(p, r, m));
      });
      if (!reviews.some((r) => r === 'v1' || r === 'v1beta1')) errs.push(invalidPrinted('spec.conversion.conversionReviewVersions', goStrings(reviews), 'must include at least one of v1, v1beta1'));
    }
  } else {
    if (cc) errs.push(fieldError.forbidden('spec.conversion.webhookClientConfig', 'should not be set when strategy is not set to Webhook'));
    if (reviews && reviews.length > 0) errs.push(fieldError.forbidden('spec.conversion.conversionReviewVersions', 'should not be set when strategy is not set to Webhook'));
  }
  return errs;
}

// Groups that need the api-approved.kubernetes.io annotation.
function isProtectedGroup(group: string): boolean {
  return group === 'k8s.io' || group.endsWith('.k8s.io') || group === 'kubernetes.io' || group.endsWith('.kubernetes.io');
}

/** The annotation that records the approval of an API in a protected group. */
export const apiApprovedAnnotation = 'api-approved.kubernetes.io';

/** The approval state of a CRD in a protected group, and its reason, as Kubernetes reads the annotation. */
export function apiApprovalState(crd: Crd): { state: 'Missing' | 'Bypassed' | 'Approved' | 'Invalid'; reason: string } | undefined {
  if (!isProtectedGroup(crd.spec?.group ?? '')) return undefined;
  const a = crd.metadata?.annotations?.[apiApprovedAnnotation] ?? '';
  if (a === '') return { state: 'Missing', reason: `protected groups must have approval annotation "${apiApprovedAnnotation}", see https://github.com/kubernetes/enhancements/pull/1111` };
  if (a.startsWith('unapproved')) return { state: 'Bypassed', reason: `not approved: ${JSON.stringify(a)}` };
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?#\s]+/.test(a)) return { state: 'Approved', reason: `approved in ${a}` };
  return { state: 'Invalid', reason: `protected groups must have approval annotation "${apiApprovedAnnotation}" with either a URL or a reason starting with "unapproved", see https://github.com/kubernetes/enhancements/pull/1111` };
}

function validateApproval(crd: Crd, old: Crd | undefined): FieldError[] {
  const now = apiApprovalState(crd);
  if (!now) return [];
  // An unchanged state is never refused (a controller updating the spec of an old CRD).
  if (old && apiApprovalState(old)?.state === now.state) return [];
  const field = `metadata.annotations[${apiApprovedAnnotation}]`;
  if (now.state === 'Missing') return [fieldError.required(field, now.reason)];
  if (now.state === 'Invalid') return [fieldError.invalid(field, crd.metadata?.annotations?.[apiApprovedAnnotation] ?? '', now.reason)];
  return [];
}

function validateStoredVersions(crd: Crd): FieldError[] {
  const stored = crd.status?.storedVersions;
  if (!stored || stored.length === 0) return [invalidPrinted('status.storedVersions', goStrings(stored && stored.length === 0 ? [] : undefined), 'must have at least one stored version')];
  const errs: FieldError[] = [];
  const left = new Map(stored.map((v, i) => [v, i]));
  for (const v of crd.spec?.versions ?? []) {
    if (v.storage && !left.has(v.name)) errs.push(invalidPrinted('status.storedVersions', goStrings(stored), `must have the storage version ${v.name}`));
    left.delete(v.name);
  }
  for (const [v, i] of left) errs.push(fieldError.invalid(index('status.storedVersions', i), v, 'must appear in spec.versions'));
  return errs;
}

function hasDefaults(spec: Crd['spec']): boolean {
  return (spec.versions ?? []).some((v) => v.schema?.openAPIV3Schema !== undefined && schemaHas(v.schema.openAPIV3Schema as JSONSchemaProps, (s) => s.default !== undefined));
}

/** The spec checks of Kubernetes' validateCustomResourceDefinitionSpec, in its order. */
function validateSpec(spec: Crd['spec'], old: Crd | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const group = spec.group ?? '';
  if (group === '') errs.push(fieldError.required('spec.group'));
  else if (isDNS1123Subdomain(group).length) errs.push(fieldError.invalid('spec.group', group, isDNS1123Subdomain(group).join(',')));
  else if (group.split('.').length < 2) errs.push(fieldError.invalid('spec.group', group, 'should be a domain with at least one dot'));
  const scopes = ['Cluster', 'Namespaced'];
  if (!spec.scope) errs.push(fieldError.required('spec.scope'));
  else if (!scopes.includes(spec.scope)) errs.push(fieldError.notSupported('spec.scope', spec.scope, scopes));
  const versions = spec.versions ?? [];
  versions.forEach((v, i) => {
    if (v.schema?.openAPIV3Schema === undefined) errs.push(fieldError.required(`spec.versions[${i}].schema.openAPIV3Schema`, 'schemas are required'));
  });
  if (spec.preserveUnknownFields === true && hasDefaults(spec)) errs.push(fieldError.invalid('spec.preserveUnknownFields', true, 'must be false in order to use defaults in the schema'));
  const seen = new Set<string>();
  let unique = true;
  versions.forEach((v, i) => {
    if (seen.has(v.name)) unique = false;
    seen.add(v.name);
    errs.push(...dns1035(`spec.versions[${i}].name`, v.name ?? ''));
    errs.push(...validateVersion(v, `spec.versions[${i}]`, old));
  });
  const names = versions.map((v) => v.name);
  if (!unique) errs.push(fieldError.invalid('spec.versions', names, 'must contain unique version names'));
  if (versions.filter((v) => v.storage).length !== 1) errs.push(fieldError.invalid('spec.versions', names, 'must have exactly one version marked as storage version'));
  const n: Partial<Crd['spec']['names']> = spec.names ?? {};
  if (!n.plural) errs.push(fieldError.required('spec.names.plural'));
  if (!n.singular) errs.push(fieldError.required('spec.names.singular'));
  if (!n.kind) errs.push(fieldError.required('spec.names.kind'));
  if (!n.listKind) errs.push(fieldError.required('spec.names.listKind'));
  errs.push(...validateNames(spec.names, 'spec.names'));
  const strategy = spec.conversion?.strategy;
  if (strategy !== undefined && strategy !== 'None' && spec.preserveUnknownFields === true) {
    errs.push(fieldError.invalid('spec.conversion.strategy', strategy, 'must be None if spec.preserveUnknownFields is true'));
  }
  errs.push(...validateConversion(spec));
  return errs;
}

function metadataName(crd: Crd): FieldError[] {
  const name = crd.metadata?.name ?? '';
  const want = `${crd.spec?.names?.plural ?? ''}.${crd.spec?.group ?? ''}`;
  return name !== '' && name !== want ? [fieldError.invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group')] : [];
}

function preserveUnknownFields(crd: Crd, old: Crd | undefined): FieldError[] {
  if (old?.spec?.preserveUnknownFields === true) return [];
  if (crd.spec?.preserveUnknownFields !== true) return [];
  return [fieldError.invalid('spec.preserveUnknownFields', true, 'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead')];
}

/** Validates a CRD on create, as Kubernetes' ValidateCustomResourceDefinition does (status set by prepareForCreate). */
export function validateCrd(crd: Crd): FieldError[] {
  if (!crd.spec) return [fieldError.required('spec')];
  return [
    ...metadataName(crd),
    ...validateSpec(crd.spec, undefined),
    ...validateNames(crd.status?.acceptedNames, 'status.acceptedNames'),
    ...validateStoredVersions(crd),
    ...validateApproval(crd, undefined),
    ...preserveUnknownFields(crd, undefined),
  ];
}

/** Validates a CRD update: the create checks, plus scope and kind fixed once Established, group and plural always. */
export function validateCrdUpdate(crd: Crd, old: Crd): FieldError[] {
  if (!crd.spec) return [fieldError.required('spec')];
  const errs = [...metadataName(crd), ...validateSpec(crd.spec, old)];
  const established = (old.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True');
  const immutable = (field: string, now: unknown, before: unknown) => {
    if (now !== before) errs.push(fieldError.invalid(field, now ?? '', 'field is immutable'));
  };
  if (established) {
    immutable('spec.scope', crd.spec.scope, old.spec?.scope);
    immutable('spec.names.kind', crd.spec.names?.kind, old.spec?.names?.kind);
  }
  immutable('spec.group', crd.spec.group, old.spec?.group);
  immutable('spec.names.plural', crd.spec.names?.plural, old.spec?.names?.plural);
  errs.push(...validateNames(crd.status?.acceptedNames, 'status.acceptedNames'), ...validateStoredVersions(crd), ...validateApproval(crd, old), ...preserveUnknownFields(crd, old));
  return errs;
}

/** The checks of a status write: the accepted names. */
export function validateAcceptedNames(crd: Crd): FieldError[] {
  return validateNames(crd.status?.acceptedNames, 'status.acceptedNames');
}
