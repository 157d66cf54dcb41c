// Two-variable comprehensions from cel-go's extension, as Kubernetes enables them: `all(k, v, p)`,
// `exists(k, v, p)`, `existsOne(k, v, p)`, `transformList(i, v, [filter,] expr)`, `transformMap(k, v, [filter,]
// expr)`, plus the camel-case `existsOne(x, p)`. Over a list the first variable is the index, over a map the key.
import type { AstNode, Evaluator, TypeDecl } from './ast.js';
import { chargeCost } from './runtime-cost.js';
import type { Registrar } from './registrar.js';
import { CelRuntimeError } from './errors.js';

/** What the cost estimator needs to know about one of kin's comprehension macros. */
export interface KinComprehension {
  range: AstNode;
  vars: string[];
  steps: AstNode[];
  kind: 'bool' | 'list' | 'map';
}

// The parts of the library's type checker and evaluation contexts a macro uses.
interface Checker {
  check(node: AstNode, ctx: unknown): TypeDecl;
  getType(name: string): TypeDecl;
  createError(code: string, message: string, node: AstNode): Error;
  registry: { getListType(t: TypeDecl): TypeDecl; getMapType(k: TypeDecl, v: TypeDecl): TypeDecl };
}
interface Ctx {
  forkWithVariable(name: string, type: TypeDecl): Ctx;
  setIterValue(v: unknown, ev: Evaluator): Ctx;
}
interface MacroInput {
  ast: AstNode;
  args: AstNode[];
  receiver: AstNode;
}
interface Macro extends Record<string, unknown> {
  kinComprehension: KinComprehension;
  dyn?: TypeDecl;
  typeCheck(chk: Checker, m: Macro, ctx: Ctx): TypeDecl;
  evaluate(ev: Evaluator, m: Macro, ctx: Ctx): unknown;
}

type Kind = 'all' | 'exists' | 'existsOne' | 'transformList' | 'transformMap';

function identName(node: AstNode, what: string): string {
  if (node.op === 'id' && typeof node.args === 'string') return node.args;
  throw Object.assign(new Error(`${what} invalid iteration variable`), { name: 'ParseError' });
}

function entries(v: unknown): [unknown, unknown][] {
  if (Array.isArray(v)) return v.map((x, i) => [BigInt(i), x]);
  if (v instanceof Map) return [...v.entries()];
  if (v !== null && typeof v === 'object') return Object.entries(v);
  throw new CelRuntimeError('no such overload');
}

function rangeTypes(chk: Checker, node: AstNode, ctx: Ctx): [TypeDecl, TypeDecl] {
  const t = chk.check(node, ctx);
  if (t.kind === 'list' && t.valueType) return [chk.getType('int'), t.valueType];
  if (t.kind === 'map' && t.keyType && t.valueType) return [t.keyType, t.valueType];
  if (t.kind === 'dyn') return [chk.getType('dyn'), chk.getType('dyn')];
  throw chk.createError('invalid_comprehension_range', `expression of type '${t.name}' cannot be range of a comprehension (must be list, map, or dynamic)`, node);
}

function makeMacro(kind: Kind, oneVar: boolean, hasFilter: boolean) {
  return ({ args, receiver }: MacroInput): Macro => {
    const vars = oneVar ? [identName(args[0] as AstNode, kind)] : [identName(args[0] as AstNode, kind), identName(args[1] as AstNode, kind)];
    const steps = args.slice(vars.length);
    const resultKind = kind === 'transformList' ? 'list' : kind === 'transformMap' ? 'map' : 'bool';
    return {
      kinComprehension: { range: receiver, vars, steps, kind: resultKind },
      typeCheck(chk, m, ctx) {
        const [t1, t2] = rangeTypes(chk, receiver, ctx);
        m.dyn = chk.getType('dyn');
        let inner = ctx.forkWithVariable(vars[0] as string, oneVar ? t2 : t1);
        if (!oneVar) inner = inner.forkWithVariable(vars[1] as string, t2);
        const types = steps.map((s) => chk.check(s, inner));
        const predicates = kind === 'transformList' || kind === 'transformMap' ? (hasFilter ? types.slice(0, 1) : []) : types;
        for (const [i, t] of predicates.entries()) {
          if (t.kind !== 'dyn' && t.name !== 'bool') {
            throw chk.createError('invalid_condition_type', `${kind} predicate must return bool, got '${t.name}'`, steps[i] as AstNode);
          }
        }
        const last = types[types.length - 1] as TypeDecl;
        if (kind === 'transformList') return chk.registry.getListType(last);
        if (kind === 'transformMap') return chk.registry.getMapType(t1, last);
        return chk.getType('bool');
      },
      evaluate(ev, m, ctx) {
        const dyn = m.dyn as TypeDecl;
        const outer = ctx.forkWithVariable(vars[0] as string, dyn);
        const inner = oneVar ? outer : outer.forkWithVariable(vars[1] as string, dyn);
        const items = entries(ev.run(receiver, ctx));
        let error: unknown;
        let count = 0;
        const list: unknown[] = [];
        const map = new Map<unknown, unknown>();
        for (const [k, v] of items) {
          chargeCost(1);
          if (oneVar) outer.setIterValue(v, ev);
          else {
            outer.setIterValue(k, ev);
            inner.setIterValue(v, ev);
          }
          if (kind === 'transformList' || kind === 'transformMap') {
            if (hasFilter) {
              const keep = ev.run(steps[0] as AstNode, inner);
              if (keep !== true && keep !== false) throw new CelRuntimeError('no such overload');
              if (!keep) continue;
            }
            const out = ev.run(steps[steps.length - 1] as AstNode, inner);
            if (kind === 'transformList') list.push(out);
            else map.set(k, out);
            continue;
          }
          let r: unknown;
          try {
            r = ev.run(steps[0] as AstNode, inner);
          } catch (e) {
            if (kind === 'existsOne') throw e;
            error ??= e;
            continue;
          }
          if (r !== true && r !== false) {
            error ??= new CelRuntimeError('no such overload');
            continue;
          }
          if (kind === 'all' && !r) return false;
          if (kind === 'exists' && r) return true;
          if (kind === 'existsOne' && r) count++;
        }
        if (kind === 'transformList') return list;
        if (kind === 'transformMap') return map;
        if (kind === 'existsOne') return count === 1;
        if (error !== undefined) throw error;
        return kind === 'all';
      },
    };
  };
}

/** Registers the two-variable comprehension macros. */
export function registerMacros(r: Registrar): void {
  const reg = (sig: string, kind: Kind, oneVar: boolean, hasFilter = false): void => {
    r.fn(sig, makeMacro(kind, oneVar, hasFilter) as never);
  };
  reg('dyn.all(ast, ast, ast): bool', 'all', false);
  reg('dyn.exists(ast, ast, ast): bool', 'exists', false);
  reg('dyn.existsOne(ast, ast, ast): bool', 'existsOne', false);
  reg('dyn.exists_one(ast, ast, ast): bool', 'existsOne', false);
  reg('dyn.existsOne(ast, ast): bool', 'existsOne', true);
  reg('dyn.transformList(ast, ast, ast): list<dyn>', 'transformList', false);
  reg('dyn.transformList(ast, ast, ast, ast): list<dyn>', 'transformList', false, true);
  reg('dyn.transformMap(ast, ast, ast): map<dyn, dyn>', 'transformMap', false);
  reg('dyn.transformMap(ast, ast, ast, ast): map<dyn, dyn>', 'transformMap', false, true);
}
