// The library's AST as kin sees it, and the one place where kin changes how nodes evaluate. After a rule is
// type-checked, every node gets an own `evaluate` that charges the runtime cost counter and, for a few operators,
// applies Kubernetes' semantics instead of the library's: `==` (order-insensitive set/map lists, cross-type numbers,
// schema objects), `+` on set/map lists (union and merge), and member functions whose library version differs from
// cel-go (RE2 `matches`, rune-based string functions). Type checking stays the library's.
import { chargeCost, traversalCost } from './runtime-cost.js';
import { celEquals, addLists } from './values.js';

/** An evaluation function as the library calls it. */
export type EvalFn = (ev: Evaluator, node: AstNode, ctx: unknown) => unknown;

/** The library's evaluator, as far as kin uses it. */
export interface Evaluator {
  run(node: AstNode, ctx: unknown): unknown;
}

/** A library AST node (fields kin reads or sets). */
export interface AstNode {
  op: string;
  args: unknown;
  pos: number;
  start: number;
  end: number;
  readonly input: string;
  readonly meta: {
    evaluate: EvalFn;
    alternate?: AstNode;
    macro?: Record<string, unknown> & { evaluate: (ev: Evaluator, macro: unknown, ctx: unknown) => unknown };
  };
  checkedType?: TypeDecl;
  evaluate: EvalFn;
  handle?: (...args: unknown[]) => unknown;
  receiverWithArgs?: AstNode[];
}

/** A library type declaration (the parts kin reads). */
export interface TypeDecl {
  name: string;
  kind: string;
  valueType?: TypeDecl;
  keyType?: TypeDecl;
}

/** Marker returned by an override that does not apply to the runtime argument types. */
export const notHandled: unique symbol = Symbol('notHandled');

/** A member-function override: receiver and arguments already evaluated. */
export type MethodOverride = (receiver: unknown, args: unknown[]) => unknown;

const overrides = new Map<string, MethodOverride>();

/** Replaces the library's implementation of `receiver.name(...)` with `argc` arguments (see file comment). */
export function overrideMethod(name: string, argc: number, fn: MethodOverride): void {
  overrides.set(`${name}/${argc}`, fn);
}

/** Calls `visit` on every node reachable from `root`: arguments, macro expansions and macro helper nodes. */
export function walkAst(root: AstNode, visit: (n: AstNode) => void): void {
  const NodeClass = (root as object).constructor;
  const seen = new Set<unknown>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const x = stack.pop();
    if (x === null || typeof x !== 'object' || seen.has(x)) continue;
    seen.add(x);
    if (x instanceof NodeClass) {
      const n = x as AstNode;
      visit(n);
      stack.push(n.args, n.meta.alternate, n.meta.macro);
    } else if (Array.isArray(x)) {
      for (const e of x) stack.push(e);
    } else if (Object.getPrototypeOf(x) === Object.prototype) {
      for (const v of Object.values(x)) stack.push(v);
    }
  }
}

// Base runtime cost of evaluating one node, in the spirit of cel-go: variables and selections cost 1, calls and
// operators 1, list and map literals 10 and 30, constants and control flow nothing.
function baseCost(op: string): number {
  switch (op) {
    case 'value':
    case '||':
    case '&&':
    case '?:':
    case 'comprehension':
    case 'accuValue':
    case 'accuInc':
    case 'accuPush':
      return 0;
    case 'list':
      return 10;
    case 'map':
      return 30;
    default:
      return 1;
  }
}

function innerOf(node: AstNode): EvalFn {
  const m = node.meta;
  const alt = m.alternate;
  if (alt) return (ev, _n, ctx) => alt.evaluate(ev, alt, ctx);
  const macro = m.macro;
  if (macro) return (ev, _n, ctx) => macro.evaluate(ev, macro, ctx);
  return m.evaluate;
}

function sizeOf(v: unknown): number {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  return 0;
}

function instrument(node: AstNode): void {
  const cost = baseCost(node.op);
  let inner: EvalFn | undefined;
  const plain: EvalFn = (ev, n, ctx) => {
    if (cost) chargeCost(cost);
    return (inner ??= innerOf(node))(ev, n, ctx);
  };
  const args = node.args as AstNode[];
  const isMacro = node.meta.alternate !== undefined || node.meta.macro !== undefined;
  if ((node.op === '==' || node.op === '!=') && !isMacro) {
    const negate = node.op === '!=';
    node.evaluate = (ev, _n, ctx) => {
      chargeCost(1);
      const l = ev.run(args[0] as AstNode, ctx);
      const r = ev.run(args[1] as AstNode, ctx);
      chargeCost(traversalCost(Math.min(sizeOf(l), sizeOf(r))));
      return celEquals(l, r) !== negate;
    };
    return;
  }
  if (node.op === '+' && !isMacro) {
    node.evaluate = (ev, n, ctx) => {
      chargeCost(1);
      const l = ev.run(args[0] as AstNode, ctx);
      const r = ev.run(args[1] as AstNode, ctx);
      const out = Array.isArray(l) && Array.isArray(r) ? addLists(l, r) : (node.handle as (...a: unknown[]) => unknown)(l, r, n, ev);
      chargeCost(traversalCost(sizeOf(out)));
      return out;
    };
    return;
  }
  if (node.op === 'rcall' && !isMacro) {
    const [name, , callArgs] = node.args as [string, AstNode, AstNode[]];
    const override = overrides.get(`${name}/${callArgs.length}`);
    if (override) {
      node.evaluate = (ev, n, ctx) => {
        chargeCost(1);
        const nodes = node.receiverWithArgs ?? [];
        const values = nodes.map((a) => ev.run(a, ctx));
        const out = override(values[0], values.slice(1));
        if (out !== notHandled) return out;
        return (node.handle as (...a: unknown[]) => unknown)(values, ev, n);
      };
      return;
    }
  }
  node.evaluate = plain;
}

/** Gives every node of a checked AST kin's evaluation (cost counting and Kubernetes semantics). */
export function instrumentAst(root: AstNode): void {
  walkAst(root, instrument);
}
