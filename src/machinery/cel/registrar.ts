// A thin registration helper over the library's Environment: every declared function name is recorded so that
// compile errors can tell an unknown function ("undeclared reference") from a wrong argument type.
import type { Environment } from '@marcbachmann/cel-js';
import { declareFunctionName } from './errors.js';

/** A function handler as the library calls it: arguments (receiver first for methods) already evaluated. */
export type Handler = (...args: never[]) => unknown;

/** Registers functions, operators, types and constants on one environment. */
export class Registrar {
  constructor(readonly env: Environment) {}

  /** Registers an overload from a signature such as `string.charAt(int): string` or `isURL(string): bool`. */
  fn(signature: string, handler: Handler): this {
    const m = /^(?:[\w.<>, ]+\.)?(\w+)\(/.exec(signature);
    if (m?.[1]) declareFunctionName(m[1]);
    this.env.registerFunction(signature, handler as (...a: unknown[]) => unknown);
    return this;
  }

  /** Registers an operator overload such as `kubernetes.Quantity == kubernetes.Quantity`. */
  op(signature: string, handler: Handler): this {
    this.env.registerOperator(signature, handler as (...a: unknown[]) => unknown);
    return this;
  }

  /** Registers an opaque type backed by a class. */
  type(name: string, ctor: new (...args: never[]) => unknown): this {
    this.env.registerType(name, ctor as unknown as new (...a: unknown[]) => unknown);
    return this;
  }

  /** Registers a namespace object (`strings`, `math`, `sets`, ...) whose members are declared as methods on it. */
  namespace(name: string, typeName: string): this {
    const Ns = { [typeName]: class {} }[typeName] as new () => unknown;
    this.env.registerType(typeName, Ns);
    this.env.registerConstant(name, typeName, new Ns());
    return this;
  }
}
