// Kubernetes' HomogeneousAggregateLiterals rule, checked after type checking as cel-go's validator does: every
// element of a list literal, and every key and every value of a map literal, must have the same type. Literals
// inside the arguments of `format` are exempt, so `'%s: %d'.format([name, 2])` compiles.
import type { AstNode } from './ast.js';

/** A literal whose elements differ in type: the offending element and both types. */
export interface HomogeneityError {
  node: AstNode;
  message: string;
}

const exemptFunctions = new Set(['format']);

// Types with an unresolved parameter (from an empty literal) are compatible with anything.
function equivalent(a: string, b: string): boolean {
  return a === b || /<[A-Z]>|<[A-Z],|, [A-Z]>/.test(a) || /<[A-Z]>|<[A-Z],|, [A-Z]>/.test(b);
}

function firstMismatch(nodes: AstNode[]): HomogeneityError | undefined {
  let expected: string | undefined;
  for (const n of nodes) {
    const t = n.checkedType?.name;
    if (t === undefined) continue;
    if (expected === undefined) expected = t;
    else if (!equivalent(expected, t)) return { node: n, message: `expected type '${expected}' but found '${t}'` };
  }
  return undefined;
}

/** The first heterogeneous list or map literal in a checked AST, if any. */
export function checkHomogeneous(root: AstNode): HomogeneityError | undefined {
  const NodeClass = (root as object).constructor;
  const seen = new Set<unknown>();
  const visit = (x: unknown, exempt: boolean): HomogeneityError | undefined => {
    if (x === null || typeof x !== 'object' || seen.has(x)) return undefined;
    seen.add(x);
    if (Array.isArray(x)) {
      for (const e of x) {
        const r = visit(e, exempt);
        if (r) return r;
      }
      return undefined;
    }
    if (!(x instanceof NodeClass)) {
      if (Object.getPrototypeOf(x) !== Object.prototype) return undefined;
      return visit(Object.values(x), exempt);
    }
    const n = x as AstNode;
    if (!exempt && n.op === 'list') {
      const r = firstMismatch(n.args as AstNode[]);
      if (r) return r;
    }
    if (!exempt && n.op === 'map') {
      const entries = n.args as [AstNode, AstNode][];
      const r = firstMismatch(entries.map((e) => e[0])) ?? firstMismatch(entries.map((e) => e[1]));
      if (r) return r;
    }
    let childExempt = exempt;
    if ((n.op === 'rcall' || n.op === 'call') && exemptFunctions.has((n.args as [string])[0])) childExempt = true;
    return visit(n.args, childExempt) ?? visit(n.meta.alternate, childExempt) ?? visit(n.meta.macro, childExempt);
  };
  return visit(root, false);
}
