// Validation of custom resources (and of single values) against their CRD schema, with Kubernetes' field
// errors: the OpenAPI keywords, embedded resources, list-type sets and maps, and a hook for CEL rules.
// Compile a schema once with compileSchema and reuse the validator for every object.
import { compileNode, type SchemaNode } from './compile.js';
import { Correlation } from './correlation.js';
import { validateAsEmbeddedResource, validateEmbeddedResources } from './embedded.js';
import { applyDefaults, type DefaultOptions } from './defaults.js';
import { FieldErrorType, fieldError, type FieldError } from '../field-errors.js';
import { printedError } from './go-print.js';
import { validateListSetsAndMaps } from './list-type.js';
import { isSchemaNode, prune, type PruneOptions } from './prune.js';
import { walkRules, type NodeHook } from './rule-walk.js';
import { validateNode, validateRoot, type Problem } from './schema-validate.js';
import { canonicalJson, type JSONSchemaProps } from './types.js';

/** Options of a validation. */
export interface ValidateOptions {
  /**
   * Field path of the value. Absent for a whole custom resource (errors are named from the root, and errors
   * without a field, such as anyOf failures, read `<nil>` as in Kubernetes); `status` when validating the
   * status of a status update; `spec.versions[0].schema.openAPIV3Schema.default` for a default.
   */
  path?: string;
  /**
   * 'resource' (default): a custom resource as the custom resource strategy validates it: schema, embedded
   * resources, uniqueness of list-type set/map lists, then CEL rules through `onNode`. 'value': the schema
   * keywords only.
   */
  kind?: 'resource' | 'value';
  /** The old object on update: errors of unchanged values are dropped (ratcheting) and onNode gets old values. */
  oldValue?: unknown;
  /** The CEL hook, called for nodes carrying x-kubernetes-validations when nothing blocks rule evaluation. */
  onNode?: NodeHook;
}

/** A schema compiled once: validate, prune and default objects of one CRD version. */
export interface CompiledSchema {
  readonly node: SchemaNode;
  readonly schema: JSONSchemaProps;
  /** Field errors of `obj` (see ValidateOptions). */
  validate(obj: unknown, opts?: ValidateOptions): FieldError[];
  /** Deletes unknown fields in place and returns their paths (see prune). */
  prune(obj: unknown, opts?: PruneOptions): string[];
  /** Applies defaults in place (see applyDefaults). */
  applyDefaults(obj: unknown, opts?: DefaultOptions): void;
}

/** The message Kubernetes adds when CEL rules are skipped because of earlier errors. */
export const rulesNotCheckedMessage = 'some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

/** Kubernetes skips CEL rules when an error is of one of these types (the object may not have the shape rules expect). */
export function hasBlockingError(errs: readonly FieldError[]): boolean {
  return errs.some(
    (e) =>
      e.type === FieldErrorType.NotSupported ||
      e.type === FieldErrorType.Required ||
      e.type === FieldErrorType.TooLong ||
      e.type === FieldErrorType.TooMany ||
      e.type === FieldErrorType.TypeInvalid,
  );
}

/** The error reported instead of running CEL rules on an invalid object (`<nil>: Invalid value: "null": ...`). */
export function rulesNotCheckedError(): FieldError {
  return { type: FieldErrorType.Invalid, field: '<nil>', value: 'null', detail: rulesNotCheckedMessage };
}

// kube-openapi problems become field errors as Kubernetes converts them (apiextensions' validation package).
function toFieldErrors(problems: readonly Problem[], prefix: string | undefined): FieldError[] {
  const out: FieldError[] = [];
  for (const p of problems) {
    if (p.code === 'composite') {
      out.push({ type: FieldErrorType.Invalid, field: prefix ?? '<nil>', value: '', detail: p.message });
      continue;
    }
    let field = prefix;
    if (p.name !== '' && p.name !== '.') {
      const name = p.name.startsWith('.') ? p.name.slice(1) : p.name;
      field = prefix ? `${prefix}.${name}` : name;
    }
    const f = field ?? '<nil>';
    switch (p.code) {
      case 'required':
        out.push(fieldError.required(f));
        break;
      case 'enum': {
        const values = (p.values ?? []).map((v) => (typeof v === 'string' ? v : canonicalJson(v)));
        const e = printedError(FieldErrorType.NotSupported, f, p.value);
        const detail = values.length ? 'supported values: ' + values.map((s) => JSON.stringify(s)).join(', ') : '';
        out.push(e.omitValue ? { ...e, detail: detail ? `${e.detail}: ${detail}` : (e.detail ?? '') } : { ...e, detail });
        break;
      }
      case 'tooLong':
        out.push(fieldError.tooLong(f, p.valid ?? -1));
        break;
      case 'maxItems':
      case 'tooManyProperties':
        out.push(fieldError.tooMany(f, p.value as number, p.valid ?? -1));
        break;
      case 'invalidType':
        out.push(printedError(FieldErrorType.TypeInvalid, f, p.value ?? '', p.message));
        break;
      default:
        out.push(printedError(FieldErrorType.Invalid, f, p.value ?? '', p.message));
    }
  }
  return out;
}

function nodeOf(schema: JSONSchemaProps | SchemaNode | CompiledSchema): SchemaNode {
  if ('node' in schema && 'validate' in schema) return schema.node;
  return isSchemaNode(schema as JSONSchemaProps | SchemaNode) ? (schema as SchemaNode) : compileNode(schema as JSONSchemaProps);
}

function run(node: SchemaNode, obj: unknown, opts: ValidateOptions): FieldError[] {
  const hasOld = opts.oldValue !== undefined && opts.oldValue !== null;
  const corr = hasOld ? new Correlation(obj, opts.oldValue, node) : undefined;
  const errs = toFieldErrors(validateRoot(node, obj, corr).problems, opts.path);
  if (opts.kind === 'value') return errs;
  if (node.subtreeHasEmbedded) errs.push(...validateEmbeddedResources(node, obj, opts.path ?? ''));
  if (node.subtreeHasListTypes) {
    // On update a list-type violation already present in the old object is tolerated.
    if (!hasOld || validateListSetsAndMaps(node, opts.oldValue, opts.path ?? '').length === 0) {
      errs.push(...validateListSetsAndMaps(node, obj, opts.path ?? ''));
    }
  }
  if (opts.onNode && node.subtreeHasRules) {
    if (hasBlockingError(errs)) errs.push(rulesNotCheckedError());
    else errs.push(...walkRules(node, obj, opts.oldValue, opts.onNode, { path: opts.path ?? '', ...(corr ? { correlation: corr } : {}) }));
  }
  return errs;
}

/**
 * Validates `obj` against a schema (JSON, compiled node or compiled schema) and returns Kubernetes' field errors,
 * e.g. `spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"`.
 * For many objects, compile once with compileSchema.
 */
export function validateValue(obj: unknown, schema: JSONSchemaProps | SchemaNode | CompiledSchema, opts: ValidateOptions = {}): FieldError[] {
  return run(nodeOf(schema), obj, opts);
}

/** Validates a value with kube-openapi's rules only and no ratcheting (used for defaults in a CRD). */
export function validateSchemaValue(node: SchemaNode, value: unknown, path: string): FieldError[] {
  return toFieldErrors(validateNode(node, value, '', undefined).problems, path);
}

/** Field errors of `obj` checked as an embedded resource (apiVersion, kind, metadata) and of resources inside. */
export function validateEmbedded(node: SchemaNode, obj: unknown, path: string): FieldError[] {
  return validateAsEmbeddedResource(node, obj, path);
}

/** Compiles a CRD version's schema once into a validator that also prunes and defaults. */
export function compileSchema(schema: JSONSchemaProps): CompiledSchema {
  const node = compileNode(schema);
  return {
    node,
    schema,
    validate: (obj, opts = {}) => run(node, obj, opts),
    prune: (obj, opts) => prune(obj, node, opts),
    applyDefaults: (obj, opts) => applyDefaults(obj, node, opts),
  };
}
