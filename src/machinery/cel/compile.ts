// Compiling and evaluating one rule: parse, type-check against the schema-derived declarations, refuse what
// Kubernetes refuses (heterogeneous literals, a non-bool rule, an estimated cost over budget, a bad constant
// regex), then evaluate with JSON inputs converted by the same schema and a runtime cost limit.
import { Optional } from '@marcbachmann/cel-js';
import { instrumentAst, walkAst, type AstNode } from './ast.js';
import { CostEstimator, costErrorMessage, perCallLimit, staticEstimatedCostLimit, type Estimate } from './cost.js';
import { newEnvironment } from './env.js';
import { CelCompileError, CelEvalError, compileErrorFrom, evalErrorFrom, formatIssue } from './errors.js';
import { checkHomogeneous } from './homogeneous.js';
import { widenHasMacros } from './has-macro.js';
import { RegexSyntaxError, checkRegex } from './re2.js';
import { withBudget } from './runtime-cost.js';
import { SchemaTypes, type CelSchema, type DeclNode } from './schema-types.js';
import { jsonToCel } from './values.js';

/** A variable other than self/oldSelf: typed by a schema, or by a CEL type name (`dyn` when neither is given). */
export interface VariableDecl {
  schema?: CelSchema;
  /** The schema is the root of a resource: apiVersion, kind and metadata.name/generateName are always visible. */
  isResourceRoot?: boolean;
  type?: string;
  /** 'cel' when the activation already holds a CEL value (e.g. another expression's result); default 'json'. */
  values?: 'json' | 'cel';
}

/** How to compile a rule. */
export interface CompileOptions {
  /** The schema of `self` (omit for expressions without `self`, such as admission policies). */
  selfType?: CelSchema;
  /** `self` is the root of a custom resource or an embedded resource. */
  isResourceRoot?: boolean;
  /** Declare `oldSelf` (transition rules), with the same type as `self`. */
  oldSelf?: boolean;
  /** `oldSelf` is an optional (the rule's `optionalOldSelf: true`). */
  optionalOldSelf?: boolean;
  /** Further variables by name. */
  variables?: Readonly<Record<string, VariableDecl>>;
  /** The type the expression must have: 'bool' for rules, 'string' for messageExpression. */
  resultType?: 'bool' | 'string';
  /** Limit on the estimated cost × cardinality (default Kubernetes' 10,000,000; Infinity to skip). */
  costLimit?: number;
  /** How many times the rule can run for one object (its schema node's cardinality); default 1. */
  cardinality?: number;
}

type Parsed = ((ctx: Record<string, unknown>) => unknown) & { ast: unknown; check(): { valid: boolean; type?: string; error?: unknown } };

/** A compiled rule, ready to evaluate any number of times. */
export class CompiledRule {
  /** @internal */
  constructor(
    /** The source expression. */
    readonly expression: string,
    /** The static worst-case cost estimate (before multiplying by cardinality). */
    readonly estimatedCost: number,
    /** The CEL type of the result (`bool`, `string`, ...). */
    readonly resultType: string,
    /** Whether the expression refers to `oldSelf` (a transition rule). */
    readonly usesOldSelf: boolean,
    private readonly parsed: Parsed,
    private readonly converters: ReadonlyMap<string, (v: unknown) => unknown>,
    private readonly optionalOldSelf: boolean,
  ) {}

  /** @internal Builds the library context from JSON inputs. */
  context(activation: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const ctx: Record<string, unknown> = {};
    for (const [name, convert] of this.converters) {
      const raw = activation[name];
      if (name === 'oldSelf' && this.optionalOldSelf) ctx[name] = raw === undefined || raw === null ? Optional.none() : Optional.of(convert(raw));
      else if (raw !== undefined) ctx[name] = convert(raw);
    }
    return ctx;
  }

  /** @internal */
  run(ctx: Record<string, unknown>): unknown {
    return this.parsed(ctx);
  }
}

type Declared = { decls: Map<string, DeclNode | undefined>; types: Map<string, string>; schemaTypes: SchemaTypes };

// The declarations of self (and oldSelf, same type) from an already declared self type.
function selfDeclared(schemaTypes: SchemaTypes, self: DeclNode | undefined, opts: CompileOptions): Declared {
  const decls = new Map<string, DeclNode | undefined>();
  const types = new Map<string, string>();
  decls.set('self', self);
  types.set('self', self?.celType ?? 'dyn');
  if (opts.oldSelf || opts.optionalOldSelf) {
    decls.set('oldSelf', self);
    types.set('oldSelf', opts.optionalOldSelf ? `optional<${self?.celType ?? 'dyn'}>` : (self?.celType ?? 'dyn'));
  }
  return { decls, types, schemaTypes };
}

function declareAll(opts: CompileOptions): Declared {
  const schemaTypes = new SchemaTypes();
  const out: Declared = opts.selfType
    ? selfDeclared(schemaTypes, schemaTypes.declare(opts.selfType, 'self', opts.isResourceRoot === true), opts)
    : { decls: new Map(), types: new Map(), schemaTypes };
  for (const [name, v] of Object.entries(opts.variables ?? {})) {
    const d = v.schema ? schemaTypes.declare(v.schema, name, v.isResourceRoot === true) : undefined;
    out.decls.set(name, d);
    out.types.set(name, d?.celType ?? v.type ?? 'dyn');
  }
  return out;
}

// Constant regex patterns are compiled up front, as Kubernetes' environment does, so a bad one fails the rule.
function checkConstantRegexes(root: AstNode): { node: AstNode; message: string } | undefined {
  let found: { node: AstNode; message: string } | undefined;
  walkAst(root, (n) => {
    if (found || (n.op !== 'rcall' && n.op !== 'call')) return;
    const name = (n.args as [string])[0];
    if (name !== 'matches' && name !== 'find' && name !== 'findAll') return;
    const argList = (n.op === 'rcall' ? (n.args as [string, AstNode, AstNode[]])[2] : (n.args as [string, AstNode[]])[1]) ?? [];
    const pattern = argList[n.op === 'rcall' ? 0 : 1];
    if (pattern?.op !== 'value' || typeof pattern.args !== 'string') return;
    try {
      checkRegex(pattern.args);
    } catch (e) {
      if (e instanceof RegexSyntaxError) found = { node: pattern, message: e.message };
    }
  });
  return found;
}

/** An environment with the declarations of one set of compile options, ready to parse any number of rules. */
interface PreparedEnv {
  env: ReturnType<typeof newEnvironment>;
  decls: Map<string, DeclNode | undefined>;
}

// Declaring a large schema's object types is most of the cost of compiling a rule, and a CRD often has several
// rules on one schema node (or a rule and its messageExpression): a node's declarations are kept, and so is an
// environment per variant and set of selected fields. Only rules without extra variables are cached; the schema
// objects are the keys, so nothing outlives them.
const declaredSelves = new WeakMap<object, Map<boolean, { schemaTypes: SchemaTypes; self: DeclNode | undefined }>>();
const preparedEnvs = new WeakMap<object, Map<string, PreparedEnv>>();

function declaredSelf(opts: CompileOptions & { selfType: CelSchema }): Declared {
  const root = opts.isResourceRoot === true;
  let byRoot = declaredSelves.get(opts.selfType);
  if (!byRoot) declaredSelves.set(opts.selfType, (byRoot = new Map()));
  let d = byRoot.get(root);
  if (!d) {
    const schemaTypes = new SchemaTypes();
    byRoot.set(root, (d = { schemaTypes, self: schemaTypes.declare(opts.selfType, 'self', root) }));
  }
  return selfDeclared(d.schemaTypes, d.self, opts);
}

let scratch: ReturnType<typeof newEnvironment> | undefined;

// The field names an expression selects anywhere (`a.b`, `a.?b`, `has(a.b)`), or undefined when it does not parse.
function selectedFields(expression: string): Set<string> | undefined {
  scratch ??= newEnvironment();
  let ast: AstNode;
  try {
    ast = (scratch.parse(expression) as unknown as Parsed).ast as AstNode;
  } catch {
    return undefined;
  }
  const names = new Set<string>();
  walkAst(ast, (n) => {
    if (n.op === '.' || n.op === '.?') names.add((n.args as [AstNode, string])[1]);
  });
  return names;
}

function prepare(expression: string, opts: CompileOptions): PreparedEnv {
  const fieldNames = selectedFields(expression);
  const build = (): PreparedEnv => {
    const { decls, types, schemaTypes } = opts.selfType && !opts.variables ? declaredSelf({ ...opts, selfType: opts.selfType }) : declareAll(opts);
    const env = newEnvironment();
    schemaTypes.register(env, fieldNames ? { roots: [...decls.values()], fieldNames } : undefined);
    for (const [name, type] of types) env.registerVariable(name, type);
    return { env, decls };
  };
  if (!opts.selfType || opts.variables) return build();
  const variant = `${opts.isResourceRoot === true}/${opts.oldSelf === true}/${opts.optionalOldSelf === true}/${fieldNames ? [...fieldNames].sort().join(',') : '*'}`;
  let byVariant = preparedEnvs.get(opts.selfType);
  if (!byVariant) preparedEnvs.set(opts.selfType, (byVariant = new Map()));
  let prepared = byVariant.get(variant);
  if (!prepared) byVariant.set(variant, (prepared = build()));
  return prepared;
}

/** Compiles a rule against its declarations; returns a CelCompileError with Kubernetes' wording when it cannot. */
export function compileRule(expression: string, opts: CompileOptions = {}): CompiledRule | CelCompileError {
  const { env, decls } = prepare(expression, opts);
  let parsed: Parsed;
  try {
    parsed = env.parse(expression) as unknown as Parsed;
  } catch (e) {
    return compileErrorFrom(e, expression);
  }
  widenHasMacros(parsed.ast as AstNode);
  const checked = parsed.check();
  if (!checked.valid) return compileErrorFrom(checked.error, expression);
  const root = parsed.ast as AstNode;
  const hetero = checkHomogeneous(root);
  if (hetero) return new CelCompileError(`compilation failed: ${formatIssue(expression, hetero.node.pos, hetero.message)}`, 'type');
  const resultType = root.checkedType?.name ?? checked.type ?? 'dyn';
  if (opts.resultType === 'bool' && resultType !== 'bool' && resultType !== 'dyn') return new CelCompileError('cel expression must evaluate to a bool', 'type');
  if (opts.resultType === 'string' && resultType !== 'string' && resultType !== 'dyn') return new CelCompileError('messageExpression must evaluate to a string', 'type');
  const badRegex = checkConstantRegexes(root);
  if (badRegex) return new CelCompileError(`compilation failed: ${formatIssue(expression, badRegex.node.pos, badRegex.message)}`, 'program');

  const converters = new Map<string, (v: unknown) => unknown>();
  for (const [name, d] of decls) converters.set(name, opts.variables?.[name]?.values === 'cel' ? (v) => v : d ? d.convert : jsonToCel);
  const vars = new Map<string, Estimate>();
  for (const [name, d] of decls) vars.set(name, { cost: 1, ...(d ? { decl: d, size: d.maxElements } : {}) });
  const estimatedCost = new CostEstimator(vars).estimate(root);
  const limit = opts.costLimit ?? staticEstimatedCostLimit;
  const total = estimatedCost * (opts.cardinality ?? 1);
  if (total > limit) return new CelCompileError(costErrorMessage('estimated rule cost', total, limit), 'cost');

  let usesOldSelf = false;
  walkAst(root, (n) => {
    if (n.op === 'id' && n.args === 'oldSelf') usesOldSelf = true;
  });
  instrumentAst(root);
  return new CompiledRule(expression, estimatedCost, resultType, usesOldSelf, parsed, converters, opts.optionalOldSelf === true);
}

/** Options of one evaluation. */
export interface EvaluateOptions {
  /** The runtime cost limit (default Kubernetes' per-call limit, 1,000,000). */
  costLimit?: number;
  /** Receives the cost the evaluation used (for callers that keep a budget across rules). */
  cost?: EvaluationCost;
}

/** What an evaluation cost. */
export interface EvaluationCost {
  cost: number;
}

/**
 * Evaluates a compiled rule with JSON inputs (`self`, `oldSelf`, other variables), converted by their schemas.
 * Returns the CEL value (BigInt ints, CelObject objects; see celToJson) or a CelEvalError.
 */
export function evaluate(rule: CompiledRule, activation: Readonly<Record<string, unknown>>, opts: EvaluateOptions = {}): unknown {
  const budget = { used: 0, limit: opts.costLimit ?? perCallLimit };
  try {
    const result = withBudget(budget, () => rule.run(rule.context(activation)));
    if (result instanceof Promise) return new CelEvalError('asynchronous evaluation is not supported');
    return result;
  } catch (e) {
    return evalErrorFrom(e);
  } finally {
    if (opts.cost) opts.cost.cost = budget.used;
  }
}
