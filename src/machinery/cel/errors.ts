// Errors of the CEL environment, worded as Kubernetes (cel-go) words them. Compile errors read
// `compilation failed: ERROR: <input>:1:6: undefined field 'x'` followed by the source line and a caret; runtime
// errors read `no such key: x`, `index '3' out of range in list size '2'`, `operation cancelled: actual cost limit
// exceeded`. The underlying library's own wording is translated here, in one place.

/** Why a rule could not be compiled: a syntax or type error, a cost estimate over budget, or a bad constant. */
export type CompileErrorKind = 'syntax' | 'type' | 'cost' | 'program';

/** A rule that cannot be compiled. `message` is the full text Kubernetes reports. */
export class CelCompileError extends Error {
  readonly code = 'CelCompileError';
  constructor(
    message: string,
    readonly kind: CompileErrorKind,
  ) {
    super(message);
    this.name = 'CelCompileError';
  }
}

/** Why an evaluation failed: an error in the expression, or the runtime cost budget ran out. */
export type EvalErrorKind = 'eval' | 'cost';

/** A failed evaluation. `message` is cel-go's text (`no such key: x`). */
export class CelEvalError extends Error {
  readonly code = 'CelEvalError';
  constructor(
    message: string,
    readonly kind: EvalErrorKind = 'eval',
  ) {
    super(message);
    this.name = 'CelEvalError';
  }
}

/** Thrown inside library functions: an evaluation error whose message is already in cel-go's words. */
export class CelRuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CelRuntimeError';
  }
}

/** cel-go's message when the runtime cost budget is exhausted. */
export const costLimitExceededMessage = 'operation cancelled: actual cost limit exceeded';

/** Thrown when the runtime cost counter passes its limit. */
export class CostLimitExceeded extends Error {
  constructor() {
    super(costLimitExceededMessage);
    this.name = 'CostLimitExceeded';
  }
}

// The library's errors carry a stable `code`, a one-line `summary` and the AST node they concern.
interface LibraryError {
  code?: string;
  summary?: string;
  message: string;
  node?: { pos?: number; start?: number; end?: number; op?: string; args?: unknown };
  range?: { start: number; end: number };
}

function asLibraryError(e: unknown): LibraryError {
  if (e instanceof Error) return e as LibraryError;
  return { message: String(e) };
}

const binaryNames: Record<string, string> = {
  '+': '_+_',
  '-': '_-_',
  '*': '_*_',
  '/': '_/_',
  '%': '_%_',
  '==': '_==_',
  '!=': '_!=_',
  '<': '_<_',
  '<=': '_<=_',
  '>': '_>_',
  '>=': '_>=_',
  in: '@in',
};

// Functions the environment knows by name; a call to any other name is an undeclared reference, as in cel-go.
const knownFunctions = new Set<string>();

/** Records a function name as declared (so errors on it say "no matching overload", not "undeclared"). */
export function declareFunctionName(name: string): void {
  knownFunctions.add(name);
}

// Translates the library's type-check message into cel-go's.
function translateCheckMessage(err: LibraryError): string {
  const summary = err.summary ?? err.message.split('\n')[0] ?? '';
  let m = /^Unknown variable: (.*)$/.exec(summary);
  if (m) return `undeclared reference to '${m[1]}' (in container '')`;
  m = /^No such key: (.*)$/.exec(summary);
  if (m) return `undefined field '${m[1]}'`;
  m = /^no such overload: (.+?) (==|!=|<=|>=|<|>|\+|-|\*|\/|%|in) (.+)$/.exec(summary);
  if (m) return `found no matching overload for '${binaryNames[m[2] as string]}' applied to '(${m[1]}, ${m[3]})'`;
  m = /^no such overload: ([-!])(.+)$/.exec(summary);
  if (m) return `found no matching overload for '${m[1]}_' applied to '(${m[2]})'`;
  m = /^found no matching overload for '(?:(.+)\.)?(\w+)\((.*)\)'$/.exec(summary);
  if (m) {
    const name = m[2] as string;
    if (!knownFunctions.has(name)) return `undeclared reference to '${name}' (in container '')`;
    return `found no matching overload for '${name}' applied to '${m[1] === undefined ? '' : `${m[1]}.`}(${m[3]})'`;
  }
  return summary;
}

// Where cel-go would point: at the operator of a binary expression, at the dot of a field selection.
function errorOffset(err: LibraryError, input: string): number {
  const node = err.node;
  let pos = node?.pos ?? err.range?.start ?? 0;
  const op = node?.op;
  if ((op === '.' || op === '.?') && input[pos - 1] === '.') pos -= 1;
  if (op === '.?' && input[pos - 1] === '.') pos -= 1;
  if (op !== undefined && op in binaryNames && Array.isArray(node?.args)) {
    const left = (node?.args as { end?: number }[])[0];
    if (left && typeof left.end === 'number') {
      let p = left.end;
      while (p < input.length && (input[p] === ' ' || input[p] === ')' || input[p] === '\n' || input[p] === '\t')) p++;
      pos = p;
    }
  }
  return Math.max(0, Math.min(pos, input.length));
}

/** Formats one issue as cel-go does: `ERROR: <input>:line:col: message`, the source line and a caret under it. */
export function formatIssue(input: string, offset: number, message: string): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < input.length; i++) {
    if (input[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  let lineEnd = input.indexOf('\n', lineStart);
  if (lineEnd < 0) lineEnd = input.length;
  const col = [...input.slice(lineStart, offset)].length;
  const text = input.slice(lineStart, lineEnd);
  return `ERROR: <input>:${line}:${col + 1}: ${message}\n | ${text}\n | ${'.'.repeat(col)}^`;
}

/** Turns a library parse or type-check error into Kubernetes' `compilation failed: ...` error. */
export function compileErrorFrom(e: unknown, input: string): CelCompileError {
  const err = asLibraryError(e);
  const isSyntax = e instanceof Error && e.name === 'ParseError';
  const message = isSyntax ? `Syntax error: ${err.summary ?? err.message.split('\n')[0]}` : translateCheckMessage(err);
  const issue = formatIssue(input, errorOffset(err, input), message);
  return new CelCompileError(`compilation failed: ${issue}`, isSyntax ? 'syntax' : 'type');
}

/** Turns anything thrown during evaluation into a CelEvalError with cel-go's wording. */
export function evalErrorFrom(e: unknown): CelEvalError {
  if (e instanceof CelEvalError) return e;
  if (e instanceof CostLimitExceeded) return new CelEvalError(costLimitExceededMessage, 'cost');
  if (e instanceof CelRuntimeError) return new CelEvalError(e.message);
  const err = asLibraryError(e);
  const summary = err.summary ?? err.message.split('\n')[0] ?? '';
  switch (err.code) {
    case 'no_such_key':
      return new CelEvalError(summary.replace(/^No such key: /, 'no such key: '));
    case 'index_out_of_bounds': {
      const m = /index (-?\d+) (?:< 0|>= size (\d+))/.exec(summary);
      if (m) return new CelEvalError(`index '${m[1]}' out of range in list size '${m[2] ?? '0'}'`);
      return new CelEvalError(summary);
    }
    case 'numeric_overflow':
      return new CelEvalError(/unsigned/i.test(summary) ? 'unsigned integer overflow' : 'integer overflow');
    case 'division_by_zero':
      return new CelEvalError('division by zero');
    case 'modulo_by_zero':
      return new CelEvalError('modulus by zero');
    case 'no_such_overload':
    case 'no_matching_overload': {
      const detail = summary.replace(/^(no such overload|found no matching overload for):? ?/, '');
      // cel-go's values refuse an operator with another operand type through their traits, with no detail.
      if (/^\S+ (<|<=|>|>=|\+|-|\*|\/|%) \S+$/.test(detail)) return new CelEvalError('no such overload');
      return new CelEvalError(`no such overload: ${detail}`);
    }
    case 'optional_value_missing':
      return new CelEvalError('optional.none() dereference');
    default:
      return new CelEvalError(summary);
  }
}
