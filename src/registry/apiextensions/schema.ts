// A CRD version's schema made ready for its custom resources: OpenAPI validation, pruning and defaulting from the
// structural-schema machinery, and x-kubernetes-validations rules compiled once and run through the CEL engine.
import type { KubeObject } from '../../api/index.js';
import { CelCompileError, CelEvalError, celToJson, compileRule, evaluate, type CompiledRule } from '../../machinery/cel/index.js';
import { fieldError, FieldErrorType, type FieldError } from '../../machinery/index.js';
import { compileSchema, type JSONSchemaProps, type NodeHook, type ValidationRule } from '../../machinery/structural/index.js';
import { evalJsonPath } from '../../machinery/jsonpath.js';
import type { CompiledCustomSchema } from './custom-resource.js';

/** One compiled rule with its message expression. */
interface RuleEntry {
  rule: ValidationRule;
  compiled: CompiledRule | CelCompileError;
  message?: CompiledRule | CelCompileError | undefined;
}

/** The type word Kubernetes prints as the "value" of a failed rule (`Invalid value: "object": ...`). */
function typeWord(schema: JSONSchemaProps): string {
  if (schema.type) return schema.type;
  if (schema['x-kubernetes-int-or-string']) return 'integer-or-string';
  return 'object';
}

function rulePath(path: string, fieldPath: string | undefined): string {
  // A rule on the resource root has no field path; Kubernetes prints it as <nil>.
  if (!fieldPath) return path || '<nil>';
  const fp = fieldPath.startsWith('.') ? fieldPath : '.' + fieldPath;
  return path ? path + fp : fp.slice(1);
}

function ruleError(reason: string | undefined, path: string, type: string, message: string): FieldError {
  switch (reason) {
    case FieldErrorType.Forbidden:
      return fieldError.forbidden(path, message);
    case FieldErrorType.Required:
      return fieldError.required(path, message);
    case FieldErrorType.Duplicate:
      return { type: FieldErrorType.Duplicate, field: path, value: type, detail: message };
    default:
      return fieldError.invalid(path, type, message);
  }
}

/** Compiles the rules of one schema node (cached per node). */
function rulesOf(cache: WeakMap<object, RuleEntry[]>, schema: JSONSchemaProps, isRoot: boolean): RuleEntry[] {
  let entries = cache.get(schema);
  if (entries) return entries;
  entries = (schema['x-kubernetes-validations'] ?? []).map((rule) => {
    const expr = rule.rule ?? '';
    const usesOld = /\boldSelf\b/.test(expr);
    const base = { selfType: schema as never, isResourceRoot: isRoot, oldSelf: usesOld, optionalOldSelf: rule.optionalOldSelf === true, costLimit: Infinity };
    return {
      rule,
      compiled: compileRule(expr, { ...base, resultType: 'bool' }),
      message: rule.messageExpression ? compileRule(rule.messageExpression, { ...base, resultType: 'string' }) : undefined,
    };
  });
  cache.set(schema, entries);
  return entries;
}

/** Compiles a CRD version's openAPIV3Schema for its custom resources. */
export function compileCustomSchema(schema: JSONSchemaProps): CompiledCustomSchema {
  const compiled = compileSchema(schema);
  const cache = new WeakMap<object, RuleEntry[]>();
  const onNode: NodeHook = (value, nodeSchema, path, oldValue, ctx) => {
    const errs: FieldError[] = [];
    const type = typeWord(nodeSchema);
    for (const e of rulesOf(cache, nodeSchema, nodeSchema === schema || nodeSchema['x-kubernetes-embedded-resource'] === true)) {
      const where = rulePath(path, e.rule.fieldPath);
      if (e.compiled instanceof CelCompileError) {
        errs.push(fieldError.invalid(where, type, `rule compile error: ${e.compiled.message}`));
        continue;
      }
      // Transition rules run only on updates where the value existed before (unless oldSelf is optional).
      if (e.compiled.usesOldSelf && !ctx.hasOld && e.rule.optionalOldSelf !== true) continue;
      if (!e.compiled.usesOldSelf && ctx.shouldRatchet()) continue;
      const activation: Record<string, unknown> = { self: value };
      if (e.compiled.usesOldSelf) activation['oldSelf'] = ctx.hasOld ? oldValue : undefined;
      const result = evaluate(e.compiled, activation);
      if (result instanceof CelEvalError) {
        if (result.kind === 'cost') errs.push(fieldError.invalid(where, type, 'validation failed due to running out of cost budget, no further validation rules will be run'));
        else errs.push(fieldError.invalid(where, type, `${result.message} evaluating rule: ${e.rule.rule ?? ''}`));
        continue;
      }
      if (result === true) continue;
      let message = e.rule.message || `failed rule: ${e.rule.rule ?? ''}`;
      if (e.message && !(e.message instanceof CelCompileError)) {
        const m = evaluate(e.message, activation);
        const text = m instanceof CelEvalError ? undefined : celToJson(m);
        if (typeof text === 'string' && text.trim() !== '') message = text;
      }
      errs.push(ruleError(e.rule.reason, where, type, message));
    }
    return errs;
  };
  return {
    prune: (obj: KubeObject) => compiled.prune(obj, { isResourceRoot: true }),
    applyDefaults: (obj: KubeObject) => compiled.applyDefaults(obj),
    validate: (obj: KubeObject, old: KubeObject | undefined) => compiled.validate(obj, { ...(old ? { oldValue: old } : {}), onNode }),
  };
}

/** The first value a printer-column JSONPath finds (undefined when none). */
export function jsonPathValue(obj: unknown, expr: string): unknown {
  const r = evalJsonPath(obj, expr);
  return r.length === 0 ? undefined : r.length === 1 ? r[0] : r;
}
