// The `has()` macro as cel-go defines it: `has(e.f)` tests whether field `f` is present on the value of any
// expression `e` (`has(self.rules[0].matches)`, `has(f(x).y)`), not only on a chain of selections from a variable,
// and the selected field must exist on `e`'s type (`undefined field 'f'` otherwise). The library's own macro only
// accepts `has(a.b.c)` rooted at an identifier and checks nothing past the root; kin widens it after parsing.
import { walkAst, type AstNode, type TypeDecl } from './ast.js';

// The parts of the library's type checker the macro uses.
interface Checker {
  check(node: AstNode, ctx: unknown): TypeDecl;
  getType(name: string): TypeDecl;
  createError(code: string, message: string, node: AstNode): Error;
}

interface HasMacro extends Record<string, unknown> {
  args: AstNode[];
  typeCheck(chk: Checker, m: HasMacro, ctx: unknown): TypeDecl;
  macroHasProps?: AstNode[];
}

/** cel-go's message for `has(x)` whose argument is not a field selection. */
export const invalidHasArgument = 'invalid argument to has() macro';

function isHas(n: AstNode): boolean {
  return n.op === 'call' && Array.isArray(n.args) && n.args[0] === 'has' && n.meta.macro !== undefined;
}

/**
 * Gives every `has()` call of a parsed (not yet checked) AST cel-go's type checking: the argument must be a field
 * selection, its operand may be any expression, and the field must exist on the operand's type.
 */
export function widenHasMacros(root: AstNode): void {
  walkAst(root, (n) => {
    if (!isHas(n)) return;
    const macro = n.meta.macro as unknown as HasMacro;
    macro.typeCheck = (chk, m, ctx) => typeCheckHas(chk, m, ctx);
  });
}

function typeCheckHas(chk: Checker, m: HasMacro, ctx: unknown): TypeDecl {
  const arg = m.args[0];
  if (!arg || (arg.op !== '.' && arg.op !== '.?')) throw chk.createError('invalid_macro_argument', invalidHasArgument, arg ?? (m as unknown as AstNode));
  // Checking the whole selection checks the operand and that the field exists on its type.
  chk.check(arg, ctx);
  // The library's evaluation walks these nodes from the last: the operand is evaluated as usual (so a missing
  // intermediate field is an error, as in cel-go), then only the last selection is tested for presence.
  m.macroHasProps = [arg, (arg.args as [AstNode, string])[0]];
  return chk.getType('bool');
}
