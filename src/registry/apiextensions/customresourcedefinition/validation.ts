// Validation of CustomResourceDefinitions, with the wording and field paths of Kubernetes' apiextensions.
import { child, fieldError, index, isDNS1035Label, isDNS1123Subdomain, type FieldError } from '../../../machinery/index.js';
import type { Crd, CrdVersion } from './types.js';
import { checkStructural, type JSONSchemaProps } from '../../../machinery/structural/index.js';
import { CelCompileError, compileRule } from '../../../machinery/cel/index.js';

const scopes = ['Cluster', 'Namespaced'];
const columnTypes = ['boolean', 'date', 'integer', 'number', 'string'];

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

function validateNames(names: Crd['spec']['names'] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!names) return [fieldError.required(path)];
  const plural = names.plural ?? '';
  if (plural === '') errs.push(fieldError.required(child(path, 'plural')));
  else for (const m of isDNS1035Label(plural)) errs.push(fieldError.invalid(child(path, 'plural'), plural, m));
  const singular = names.singular ?? '';
  if (singular !== '') for (const m of isDNS1035Label(singular)) errs.push(fieldError.invalid(child(path, 'singular'), singular, m));
  if (!names.kind) errs.push(fieldError.required(child(path, 'kind')));
  else if (!/^[A-Za-z]([A-Za-z0-9]*)$/.test(names.kind)) errs.push(fieldError.invalid(child(path, 'kind'), names.kind, 'may have mixed case, but should otherwise match: ' + names.kind.toLowerCase()));
  if (names.listKind !== undefined && names.listKind === names.kind) errs.push(fieldError.invalid(child(path, 'listKind'), names.listKind, 'kind and listKind may not be the same'));
  for (const [i, s] of (names.shortNames ?? []).entries()) {
    for (const m of isDNS1035Label(s)) errs.push(fieldError.invalid(index(child(path, 'shortNames'), i), s, m));
  }
  for (const [i, c] of (names.categories ?? []).entries()) {
    for (const m of isDNS1035Label(c)) errs.push(fieldError.invalid(index(child(path, 'categories'), i), c, m));
  }
  return errs;
}

function validateVersion(v: CrdVersion, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!v.name) errs.push(fieldError.required(child(path, 'name')));
  else for (const m of isDNS1035Label(v.name)) errs.push(fieldError.invalid(child(path, 'name'), v.name, m));
  const schema = v.schema?.openAPIV3Schema;
  if (schema === undefined) errs.push(fieldError.required(child(child(path, 'schema'), 'openAPIV3Schema'), 'schemas are required'));
  else errs.push(...structuralCheck(schema, child(child(path, 'schema'), 'openAPIV3Schema'), v.subresources?.status !== undefined));
  const scale = v.subresources?.scale;
  if (scale) {
    const sp = child(child(path, 'subresources'), 'scale');
    if (!scale.specReplicasPath) errs.push(fieldError.required(child(sp, 'specReplicasPath')));
    else if (!scale.specReplicasPath.startsWith('.spec.')) errs.push(fieldError.invalid(child(sp, 'specReplicasPath'), scale.specReplicasPath, 'should be a json path under .spec'));
    if (!scale.statusReplicasPath) errs.push(fieldError.required(child(sp, 'statusReplicasPath')));
    else if (!scale.statusReplicasPath.startsWith('.status.')) errs.push(fieldError.invalid(child(sp, 'statusReplicasPath'), scale.statusReplicasPath, 'should be a json path under .status'));
    if (scale.labelSelectorPath && !/^\.(spec|status)\./.test(scale.labelSelectorPath)) {
      errs.push(fieldError.invalid(child(sp, 'labelSelectorPath'), scale.labelSelectorPath, 'should be a json path under either .spec or .status'));
    }
  }
  for (const [i, c] of (v.additionalPrinterColumns ?? []).entries()) {
    const cp = index(child(path, 'additionalPrinterColumns'), i);
    if (!c.name) errs.push(fieldError.required(child(cp, 'name')));
    if (!c.type) errs.push(fieldError.required(child(cp, 'type')));
    else if (!columnTypes.includes(c.type)) errs.push(fieldError.notSupported(child(cp, 'type'), c.type, columnTypes));
    if (!c.jsonPath) errs.push(fieldError.required(child(cp, 'jsonPath')));
    if (c.priority !== undefined && c.priority < 0) errs.push(fieldError.invalid(child(cp, 'priority'), c.priority, 'cannot be negative'));
  }
  return errs;
}

/** Validates a CRD on create. */
export function validateCrd(crd: Crd): FieldError[] {
  const errs: FieldError[] = [];
  const spec = crd.spec;
  if (!spec) return [fieldError.required('spec')];
  const group = spec.group ?? '';
  const plural = spec.names?.plural ?? '';
  const name = crd.metadata?.name ?? '';
  if (name !== `${plural}.${group}`) errs.push(fieldError.invalid('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  if (group === '') errs.push(fieldError.required('spec.group'));
  else {
    for (const m of isDNS1123Subdomain(group)) errs.push(fieldError.invalid('spec.group', group, m));
    if (group.split('.').length < 2) errs.push(fieldError.invalid('spec.group', group, 'should be a domain with at least one dot'));
  }
  if (!spec.scope) errs.push(fieldError.required('spec.scope'));
  else if (!scopes.includes(spec.scope)) errs.push(fieldError.notSupported('spec.scope', spec.scope, scopes));
  errs.push(...validateNames(spec.names, 'spec.names'));
  const versions = spec.versions ?? [];
  if (versions.length === 0) errs.push(fieldError.required('spec.versions', 'must have exactly one version marked as storage version'));
  else {
    const storage = versions.filter((v) => v.storage).length;
    if (storage !== 1) errs.push(fieldError.invalid('spec.versions', versions.map((v) => v.name), 'must have exactly one version marked as storage version'));
    if (!versions.some((v) => v.served)) errs.push(fieldError.invalid('spec.versions', versions.map((v) => v.name), 'must have at least one version marked as served'));
    const seen = new Set<string>();
    for (const [i, v] of versions.entries()) {
      const vp = index('spec.versions', i);
      if (seen.has(v.name)) errs.push(fieldError.duplicate(child(vp, 'name'), v.name));
      seen.add(v.name);
      errs.push(...validateVersion(v, vp));
    }
  }
  const strategy = spec.conversion?.strategy;
  if (strategy !== undefined && strategy !== 'None' && strategy !== 'Webhook') errs.push(fieldError.notSupported('spec.conversion.strategy', strategy, ['None', 'Webhook']));
  if (spec.preserveUnknownFields === true) errs.push(fieldError.invalid('spec.preserveUnknownFields', true, 'must be false in order to use defaults in the schema'));
  return errs;
}

/** Validates a CRD on update: scope and group may not change, stored versions must stay listed. */
export function validateCrdUpdate(crd: Crd, old: Crd): FieldError[] {
  const errs: FieldError[] = [];
  if (crd.spec?.scope !== old.spec?.scope) errs.push(fieldError.invalid('spec.scope', crd.spec?.scope, 'field is immutable'));
  if (crd.spec?.group !== old.spec?.group) errs.push(fieldError.invalid('spec.group', crd.spec?.group, 'field is immutable'));
  const listed = new Set((crd.spec?.versions ?? []).map((v) => v.name));
  for (const [i, sv] of (old.status?.storedVersions ?? []).entries()) {
    if (!listed.has(sv)) errs.push(fieldError.invalid(index('status.storedVersions', i), sv, 'must appear in spec.versions'));
  }
  return errs;
}
