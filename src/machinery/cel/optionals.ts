// The optional-type helpers Kubernetes has that the library lacks: `optional.ofNonZeroValue(v)` and the
// `optMap(x, expr)` / `optFlatMap(x, expr)` macros on optionals.
import { Optional } from '@marcbachmann/cel-js';
import type { AstNode, Evaluator, TypeDecl } from './ast.js';
import { CelRuntimeError } from './errors.js';
import type { Registrar } from './registrar.js';

interface Checker {
  check(node: AstNode, ctx: unknown): TypeDecl;
  getType(name: string): TypeDecl;
  createError(code: string, message: string, node: AstNode): Error;
  registry: { getOptionalType(t: TypeDecl): TypeDecl };
}
interface Ctx {
  forkWithVariable(name: string, type: TypeDecl): Ctx;
  setIterValue(v: unknown, ev: Evaluator): Ctx;
}

function isZero(v: unknown): boolean {
  if (v === null || v === false || v === '' || v === 0 || v === 0n) return true;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
  if (v instanceof Map) return v.size === 0;
  if (typeof v === 'object' && v.constructor === Object) return Object.keys(v).length === 0;
  return false;
}

function optionalMacro(flat: boolean) {
  return ({ args, receiver }: { args: AstNode[]; receiver: AstNode }) => {
    const v = args[0] as AstNode;
    if (v.op !== 'id' || typeof v.args !== 'string') throw Object.assign(new Error('optMap() variable name must be a simple identifier'), { name: 'ParseError' });
    const name = v.args;
    const body = args[1] as AstNode;
    // Seen by the cost estimator as a bind of the receiver's value.
    return {
      var: name,
      val: receiver,
      exp: body,
      dyn: undefined as TypeDecl | undefined,
      typeCheck(chk: Checker, m: { dyn?: TypeDecl }, ctx: Ctx): TypeDecl {
        const rt = chk.check(receiver, ctx);
        if (rt.kind !== 'optional' && rt.kind !== 'dyn') throw chk.createError('optional_expected', `optMap receiver must be optional, got '${rt.name}'`, receiver);
        m.dyn = chk.getType('dyn');
        const inner = ctx.forkWithVariable(name, rt.valueType ?? chk.getType('dyn'));
        const bt = chk.check(body, inner);
        return flat ? bt : chk.registry.getOptionalType(bt);
      },
      evaluate(ev: Evaluator, m: { dyn?: TypeDecl }, ctx: Ctx): unknown {
        const o = ev.run(receiver, ctx);
        if (!(o instanceof Optional)) throw new CelRuntimeError('no such overload');
        if (!o.hasValue()) return Optional.none();
        const out = ev.run(body, ctx.forkWithVariable(name, m.dyn as TypeDecl).setIterValue(o.value(), ev));
        if (flat && !(out instanceof Optional)) throw new CelRuntimeError('optFlatMap() expression must return an optional');
        return flat ? out : Optional.of(out);
      },
    };
  };
}

/** Registers optional.ofNonZeroValue, optMap and optFlatMap. */
export function registerOptionals(r: Registrar): void {
  r.fn('OptionalNamespace.ofNonZeroValue(A): optional<A>', (_n: unknown, v: unknown) => (isZero(v) ? Optional.none() : Optional.of(v)))
    .fn('optional.optMap(ast, ast): optional<dyn>', optionalMacro(false) as never)
    .fn('optional.optFlatMap(ast, ast): optional<dyn>', optionalMacro(true) as never);
}
