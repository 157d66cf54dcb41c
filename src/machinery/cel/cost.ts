// The static cost estimate of a checked rule, in the spirit of cel-go's estimator as Kubernetes drives it: every
// step costs about one unit, string and list functions cost a tenth of a unit per element, and a comprehension
// costs its range's largest size times its body. Sizes come from the schema (`maxItems`, `maxLength`,
// `maxProperties`, else what fits in a 3 MiB request), so nested loops over unbounded lists blow the budget as they
// do in Kubernetes. Also the refusal message Kubernetes gives.
import type { AstNode } from './ast.js';
import type { KinComprehension } from './macros.js';
import { maxRequestSizeBytes, type DeclNode } from './schema-types.js';

/** Kubernetes' limit on one expression's estimated cost (apiextensions StaticEstimatedCostLimit). */
export const staticEstimatedCostLimit = 10_000_000;
/** Kubernetes' runtime limit on one evaluation (PerCallLimit). */
export const perCallLimit = 1_000_000;
/** Kubernetes' limit on the estimated cost of all rules of a CRD (StaticEstimatedCRDCostLimit). */
export const staticEstimatedCrdCostLimit = 100_000_000;

/** What the estimator knows about a sub-expression: its worst-case cost and size, and its schema if any. */
export interface Estimate {
  cost: number;
  size?: number;
  decl?: DeclNode;
}

const unknownSize = maxRequestSizeBytes;
const traversal = (n: number | undefined): number => Math.ceil((n ?? unknownSize) * 0.1);

const stringFunctions = new Set([
  'contains', 'startsWith', 'endsWith', 'indexOf', 'lastIndexOf', 'lowerAscii', 'upperAscii', 'trim', 'replace',
  'split', 'substring', 'join', 'charAt', 'reverse', 'format', 'quote', 'isSorted', 'sum', 'min', 'max',
]);
const sizePreserving = new Set(['split', 'lowerAscii', 'upperAscii', 'trim', 'replace', 'substring', 'reverse', 'format', 'join', 'findAll']);
const regexFunctions = new Set(['matches', 'find', 'findAll']);

function literalSize(v: unknown): number | undefined {
  if (typeof v === 'string' || v instanceof Uint8Array) return v.length;
  return undefined;
}

function elementOf(range: Estimate, index: number, twoVars: boolean): Estimate {
  const d = range.decl;
  if (d?.kind === 'list') return twoVars && index === 0 ? { cost: 1 } : { cost: 1, ...(d.items ? { decl: d.items, size: d.items.maxElements } : {}) };
  if (d?.kind === 'map') {
    // Kubernetes types a schema map's keys as a plain string with no size bound, which its estimator reads as size 0.
    if (index === 0) return { cost: 1, size: 0 };
    return { cost: 1, ...(d.values ? { decl: d.values, size: d.values.maxElements } : {}) };
  }
  return { cost: 1, size: unknownSize };
}

/** Estimates a checked AST; `vars` gives what is known of each declared variable. */
export class CostEstimator {
  constructor(private readonly vars: ReadonlyMap<string, Estimate>) {}

  /** The worst-case cost of the expression. */
  estimate(root: AstNode): number {
    return this.est(root, new Map()).cost;
  }

  private lookup(name: string, scope: Map<string, Estimate>): Estimate {
    return scope.get(name) ?? this.vars.get(name) ?? { cost: 1 };
  }

  private est(node: AstNode | undefined, scope: Map<string, Estimate>): Estimate {
    if (node === undefined) return { cost: 0 };
    const m = node.meta;
    if (m.alternate) return this.est(m.alternate, scope);
    if (m.macro) return this.macro(m.macro, scope);
    const args = node.args;
    switch (node.op) {
      case 'value':
        return { cost: 0, ...(literalSize(args) !== undefined ? { size: literalSize(args) as number } : {}) };
      case 'id': {
        const v = this.lookup(args as string, scope);
        return { ...v, cost: 1 };
      }
      case '.':
      case '.?': {
        const [obj, field] = args as [AstNode, string];
        const base = this.est(obj, scope);
        const d = base.decl?.fields?.get(field) ?? base.decl?.values;
        return { cost: base.cost + 1, ...(d ? { decl: d, size: d.maxElements } : {}) };
      }
      case '[]':
      case '[?]': {
        const [obj, index] = args as [AstNode, AstNode];
        const base = this.est(obj, scope);
        const d = base.decl?.items ?? base.decl?.values;
        return { cost: base.cost + this.est(index, scope).cost + 1, ...(d ? { decl: d, size: d.maxElements } : {}) };
      }
      case 'list': {
        const elems = args as AstNode[];
        return { cost: 10 + elems.reduce((c, e) => c + this.est(e, scope).cost, 0), size: elems.length };
      }
      case 'map': {
        const entries = args as [AstNode, AstNode][];
        return { cost: 30 + entries.reduce((c, [k, v]) => c + this.est(k, scope).cost + this.est(v, scope).cost, 0), size: entries.length };
      }
      case '?:': {
        const [c, l, r] = (args as AstNode[]).map((a) => this.est(a, scope)) as [Estimate, Estimate, Estimate];
        const big = l.cost >= r.cost ? l : r;
        return { cost: c.cost + big.cost, ...(big.size !== undefined ? { size: Math.max(l.size ?? 0, r.size ?? 0) } : {}) };
      }
      case '||':
      case '&&': {
        const [l, r] = args as [AstNode, AstNode];
        return { cost: this.est(l, scope).cost + this.est(r, scope).cost };
      }
      case '!_':
      case '-_':
        return { cost: 1 + this.est(args as AstNode, scope).cost };
      case 'call':
      case 'rcall':
        return this.call(node, scope);
      case 'comprehension':
        return this.comprehension(args as Record<string, unknown>, scope);
      case 'accuValue':
      case 'accuInc':
        return { cost: 0 };
      case 'accuPush':
        return { cost: this.est(args as AstNode, scope).cost };
    }
    // Binary operators.
    const [l, r] = (args as AstNode[]).map((a) => this.est(a, scope)) as [Estimate, Estimate];
    let cost = 1 + l.cost + r.cost;
    if (node.op === '==' || node.op === '!=') cost += traversal(Math.min(l.size ?? 0, r.size ?? 0));
    if (node.op === 'in') cost += traversal(r.size);
    if (node.op === '+' && (l.size !== undefined || r.size !== undefined)) {
      const size = (l.size ?? 0) + (r.size ?? 0);
      return { cost: cost + traversal(size), size };
    }
    return { cost };
  }

  private call(node: AstNode, scope: Map<string, Estimate>): Estimate {
    const [name, ...rest] = node.args as [string, ...unknown[]];
    const receiver = node.op === 'rcall' ? this.est(rest[0] as AstNode, scope) : undefined;
    const argNodes = (node.op === 'rcall' ? rest[1] : rest[0]) as AstNode[];
    const args = argNodes.map((a) => this.est(a, scope));
    let cost = 1 + (receiver?.cost ?? 0) + args.reduce((c, a) => c + a.cost, 0);
    const subject = receiver ?? args[0];
    if (stringFunctions.has(name)) cost += traversal(subject?.size);
    if (regexFunctions.has(name)) {
      const str = node.op === 'rcall' ? receiver : args[0];
      const pattern = node.op === 'rcall' ? args[0] : args[1];
      cost += traversal(str?.size) * Math.ceil(1 + (pattern?.size ?? unknownSize) * 0.25);
    }
    if (name === 'contains' || name === 'intersects' || name === 'equivalent') cost += traversal((subject?.size ?? 0) * (args[args.length - 1]?.size ?? 1));
    if (sizePreserving.has(name) && subject?.size !== undefined) return { cost, size: subject.size };
    return { cost };
  }

  private loop(range: Estimate, vars: string[], steps: AstNode[], scope: Map<string, Estimate>, twoVars: boolean): Estimate {
    const inner = new Map(scope);
    vars.forEach((v, i) => inner.set(v, elementOf(range, i, twoVars)));
    const body = steps.reduce((c, s) => c + this.est(s, inner).cost, 0);
    const n = range.size ?? unknownSize;
    return { cost: range.cost + n * (body + 1), size: n };
  }

  private comprehension(a: Record<string, unknown>, scope: Map<string, Estimate>): Estimate {
    const range = this.est(a.iterable as AstNode, scope);
    const init = this.est(a.init as AstNode, scope);
    const r = this.loop(range, [a.iterVarName as string], [a.step as AstNode], scope, false);
    return { cost: r.cost + init.cost, ...(r.size !== undefined ? { size: r.size } : {}) };
  }

  private macro(macro: Record<string, unknown>, scope: Map<string, Estimate>): Estimate {
    const c = macro.kinComprehension as KinComprehension | undefined;
    if (c) return this.loop(this.est(c.range, scope), c.vars, c.steps, scope, c.vars.length === 2);
    if (typeof macro.var === 'string' && macro.val && macro.exp) {
      const val = this.est(macro.val as AstNode, scope);
      const inner = new Map(scope).set(macro.var, { ...val, cost: 1 });
      const exp = this.est(macro.exp as AstNode, inner);
      return { ...exp, cost: val.cost + exp.cost };
    }
    if (macro.receiver && macro.arg) {
      const r = this.est(macro.receiver as AstNode, scope);
      const a = this.est(macro.arg as AstNode, scope);
      return { cost: 1 + r.cost + a.cost, ...(r.size !== undefined ? { size: r.size } : {}) };
    }
    // has(): one unit per selection.
    const first = (macro.args as AstNode[] | undefined)?.[0];
    if (first) return { cost: this.est(first, scope).cost };
    return { cost: 1 };
  }
}

/** Kubernetes' refusal text for an estimate over its limit (`... exceeds budget by factor of 2.5x (...)`). */
export function costErrorMessage(costName: string, cost: number, limit: number): string {
  const factor = cost / limit;
  let f: string;
  if (factor > 100) f = 'more than 100x';
  else if (factor < 1.5) f = `${factor.toFixed(6)}x`;
  else f = `${factor.toFixed(1)}x`;
  return `${costName} exceeds budget by factor of ${f} (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)`;
}
