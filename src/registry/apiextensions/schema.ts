// A CRD version's schema made ready for its custom resources: OpenAPI validation, pruning and defaulting from the
// structural-schema machinery, and x-kubernetes-validations rules compiled once and run through the CEL engine.
import type { KubeObject } from '../../api/index.js';
import { CelCompileError, CelEvalError, celToJson, compileRule, evaluate, type CompiledRule } from '../../machinery/cel/index.js';
import { fieldError, FieldErrorType, type FieldError } from '../../machinery/index.js';
import { compileSchema, ruleFieldPath, type JSONSchemaProps, type NodeContext, type NodeHook, type SchemaNode, type ValidationRule } from '../../machinery/structural/index.js';
import { evalJsonPath } from '../../machinery/jsonpath.js';
import type { CompiledCustomSchema } from './custom-resource.js';

/** One compiled rule with its message expression. */
interface RuleEntry {
  rule: ValidationRule;
  compiled: CompiledRule | CelCompileError;
  message?: CompiledRule | CelCompileError | undefined;
  /** The rule's fieldPath normalized against its node (`spec.labels[app]`), when it has a valid one. */
  fieldPath?: string | undefined;
}

/**
 * The "value" Kubernetes prints for a failed rule: the node's schema type (`Invalid value: "object": ...`), empty for
 * an untyped node (x-kubernetes-int-or-string, x-kubernetes-preserve-unknown-fields).
 */
function typeWord(schema: JSONSchemaProps): string {
  return schema.type ?? '';
}

function rulePath(path: string, normalized: string | undefined): string {
  // A rule on the resource root has no field path; Kubernetes prints it as <nil>.
  if (!normalized) return path || '<nil>';
  return path ? `${path}.${normalized}` : normalized;
}

function ruleError(reason: string | undefined, path: string, type: string, message: string): FieldError {
  switch (reason) {
    case FieldErrorType.Forbidden:
      return fieldError.forbidden(path, message);
    case FieldErrorType.Required:
      return fieldError.required(path, message);
    case FieldErrorType.Duplicate:
      return fieldError.duplicate(path, type);
    default:
      return fieldError.invalid(path, type, message);
  }
}

/** How Kubernetes names a rule in its errors: the trimmed message, else the trimmed rule. */
function ruleErrorString(rule: ValidationRule): string {
  return rule.message ? rule.message.trim() : (rule.rule ?? '').trim();
}

/** The message of a failed rule without a (usable) messageExpression. */
function ruleMessageOrDefault(rule: ValidationRule): string {
  return rule.message ? rule.message.trim() : `failed rule: ${ruleErrorString(rule)}`;
}

/** Kubernetes' runtime CEL budget for validating one custom resource (RuntimeCELCostBudget). */
export const runtimeCelCostBudget = 10_000_000;
/** The longest message a messageExpression may produce (MaxEvaluatedMessageExpressionSizeBytes). */
const maxMessageExpressionBytes = 5 * 1024;
const outOfBudget = 'validation failed due to running out of cost budget, no further validation rules will be run';

/** Compiles the rules of one schema node (cached per node), with their normalized fieldPaths. */
function rulesOf(cache: WeakMap<object, RuleEntry[]>, node: SchemaNode, isRoot: boolean): RuleEntry[] {
  const schema = node.schema;
  let entries = cache.get(schema);
  if (entries) return entries;
  entries = (schema['x-kubernetes-validations'] ?? []).map((rule) => {
    const expr = rule.rule ?? '';
    const usesOld = /\boldSelf\b/.test(expr);
    const base = { selfType: schema as never, isResourceRoot: isRoot, oldSelf: usesOld, optionalOldSelf: rule.optionalOldSelf === true, costLimit: Infinity };
    const fp = rule.fieldPath ? ruleFieldPath(rule.fieldPath, node) : undefined;
    return {
      rule,
      compiled: compileRule(expr, { ...base, resultType: 'bool' }),
      message: rule.messageExpression ? compileRule(rule.messageExpression, { ...base, resultType: 'string' }) : undefined,
      fieldPath: fp && 'path' in fp ? fp.path : undefined,
    };
  });
  cache.set(schema, entries);
  return entries;
}

/** The state of one object's validation: the budget left, and whether rule evaluation has stopped. */
interface Budget {
  remaining: number;
  stopped: boolean;
}

type MessageOutcome = { message: string } | { fatal: string } | { fallback: true };

// A messageExpression's result, as Kubernetes evaluates it: a cost problem stops validation, any other problem
// (an error, not a string, empty, too long, several lines) falls back to the rule's message.
function evalMessage(e: RuleEntry, activation: Record<string, unknown>, budget: Budget): MessageOutcome {
  if (!e.message || e.message instanceof CelCompileError) return { fallback: true };
  const cost = { cost: 0 };
  const m = evaluate(e.message, activation, { cost });
  if (cost.cost > budget.remaining) return { fatal: 'messageExpression evaluation failed due to running out of cost budget, no further validation rules will be run' };
  budget.remaining -= cost.cost;
  if (m instanceof CelEvalError) {
    if (m.kind === 'cost') return { fatal: `no further validation rules will be run due to call cost exceeds limit for messageExpression: ${JSON.stringify(e.rule.messageExpression ?? '')}` };
    return { fallback: true };
  }
  const text = celToJson(m);
  if (typeof text !== 'string') return { fallback: true };
  const trimmed = text.trim();
  if (trimmed === '' || Buffer.byteLength(trimmed) > maxMessageExpressionBytes || /\n/.test(trimmed)) return { fallback: true };
  return { message: trimmed };
}

/** The errors of one node's rules, in Kubernetes' order and wording (its CEL validator's validateExpressions). */
function nodeErrors(entries: RuleEntry[], value: unknown, schema: JSONSchemaProps, path: string, oldValue: unknown, ctx: NodeContext, budget: Budget): FieldError[] {
  const errs: FieldError[] = [];
  const type = typeWord(schema);
  if (budget.remaining <= 0) {
    budget.stopped = true;
    return [fieldError.invalid(path || '<nil>', type, outOfBudget)];
  }
  for (const e of entries) {
    const at = path || '<nil>';
    if (e.compiled instanceof CelCompileError) {
      errs.push(fieldError.invalid(at, type, `rule compile error: ${e.compiled.message}`));
      continue;
    }
    if ((e.rule.rule ?? '').trim() === '') continue;
    // Transition rules run only on updates where the value existed before (unless oldSelf is optional).
    if (e.compiled.usesOldSelf && !ctx.hasOld && e.rule.optionalOldSelf !== true) continue;
    // Errors of unchanged values are not reported (ratcheting); Kubernetes turns them into warnings.
    if (!e.compiled.usesOldSelf && ctx.shouldRatchet()) continue;
    const activation: Record<string, unknown> = { self: value };
    if (e.compiled.usesOldSelf) activation['oldSelf'] = ctx.hasOld ? oldValue : undefined;
    const cost = { cost: 0 };
    const result = evaluate(e.compiled, activation, { cost });
    if (cost.cost > budget.remaining) {
      errs.push(fieldError.invalid(at, type, outOfBudget));
      budget.stopped = true;
      return errs;
    }
    budget.remaining -= cost.cost;
    if (result instanceof CelEvalError) {
      if (result.kind === 'cost') {
        errs.push(fieldError.invalid(at, type, `'${result.message}': no further validation rules will be run due to call cost exceeds limit for rule: ${ruleErrorString(e.rule)}`));
        budget.stopped = true;
        return errs;
      }
      if (result.message.startsWith('no such overload')) {
        errs.push(fieldError.invalid(at, type, `'${result.message}': call arguments did not match a supported operator, function or macro signature for rule: ${ruleErrorString(e.rule)}`));
      } else errs.push(fieldError.invalid(at, type, `${result.message} evaluating rule: ${ruleErrorString(e.rule)}`));
      continue;
    }
    if (result === true) continue;
    const where = rulePath(path, e.fieldPath);
    const outcome = evalMessage(e, activation, budget);
    if ('fatal' in outcome) {
      errs.push(fieldError.invalid(where, type, outcome.fatal));
      budget.stopped = true;
      return errs;
    }
    errs.push(ruleError(e.rule.reason, where, type, 'message' in outcome ? outcome.message : ruleMessageOrDefault(e.rule)));
  }
  return errs;
}

/** Compiles a CRD version's openAPIV3Schema for its custom resources (`costBudget`: the CEL budget per object). */
export function compileCustomSchema(schema: JSONSchemaProps, opts: { costBudget?: number } = {}): CompiledCustomSchema {
  const compiled = compileSchema(schema);
  const cache = new WeakMap<object, RuleEntry[]>();
  const hook = (budget: Budget): NodeHook => (value, nodeSchema, path, oldValue, ctx) => {
    // Once the budget ran out (or a call hit its own limit), no further rule runs on this object.
    if (budget.stopped) return [];
    const isRoot = nodeSchema === schema || nodeSchema['x-kubernetes-embedded-resource'] === true;
    return nodeErrors(rulesOf(cache, ctx.node, isRoot), value, nodeSchema, path, oldValue, ctx, budget);
  };
  return {
    prune: (obj: KubeObject) => compiled.prune(obj, { isResourceRoot: true }),
    applyDefaults: (obj: KubeObject) => compiled.applyDefaults(obj),
    validate: (obj: KubeObject, old: KubeObject | undefined) => {
      const budget: Budget = { remaining: opts.costBudget ?? runtimeCelCostBudget, stopped: false };
      return compiled.validate(obj, { ...(old ? { oldValue: old } : {}), onNode: hook(budget) });
    },
  };
}

/** The first value a printer-column JSONPath finds (undefined when none). */
export function jsonPathValue(obj: unknown, expr: string): unknown {
  const r = evalJsonPath(obj, expr);
  return r.length === 0 ? undefined : r.length === 1 ? r[0] : r;
}
