// The base Kubernetes CEL environment: the library's standard macros and functions with optional types,
// homogeneous aggregate literals and cel.bind, plus every Kubernetes library kin provides. It is built once;
// each compiled rule clones it and declares its own variables and schema types.
import { Environment } from '@marcbachmann/cel-js';
import { declareFunctionName } from './errors.js';
import { registerLists } from './lib-lists.js';
import { registerNamedFormats } from './lib-named-format.js';
import { registerNet } from './lib-net.js';
import { registerQuantity } from './lib-quantity.js';
import { registerStrings } from './lib-strings.js';
import { registerUrl } from './lib-url.js';
import { registerMacros } from './macros.js';
import { registerOptionals } from './optionals.js';
import { Registrar } from './registrar.js';

/** Options every kin CEL environment uses. */
export const environmentOptions = {
  enableOptionalTypes: true,
  // Homogeneity is checked by kin after type checking (homogeneous.ts), so that `format` arguments can be exempt.
  homogeneousAggregateLiterals: false,
  limits: { maxAstNodes: 100000, maxDepth: 250, maxListElements: 100000, maxMapEntries: 100000, maxCallArguments: 32 },
} as const;

// Functions the library itself declares (for "undeclared reference" versus "no matching overload" errors).
const libraryFunctions = [
  'size', 'dyn', 'type', 'bool', 'bytes', 'double', 'int', 'uint', 'string', 'timestamp', 'duration', 'startsWith',
  'endsWith', 'contains', 'matches', 'lowerAscii', 'upperAscii', 'trim', 'indexOf', 'lastIndexOf', 'substring',
  'split', 'join', 'json', 'hex', 'base64', 'at', 'getDate', 'getDayOfMonth', 'getDayOfWeek', 'getDayOfYear',
  'getFullYear', 'getHours', 'getMilliseconds', 'getMinutes', 'getMonth', 'getSeconds', 'hasValue', 'value', 'or',
  'orValue', 'of', 'none', 'all', 'exists', 'exists_one', 'map', 'filter', 'has', 'bind',
];

let base: Environment | undefined;

function build(): Environment {
  const env = new Environment(environmentOptions);
  const r = new Registrar(env);
  for (const name of libraryFunctions) declareFunctionName(name);
  registerStrings(r);
  registerLists(r);
  registerQuantity(r);
  registerUrl(r);
  registerNet(r);
  registerNamedFormats(r);
  registerMacros(r);
  registerOptionals(r);
  return env;
}

/** A fresh environment with every kin library, ready for variable and type declarations. */
export function newEnvironment(): Environment {
  base ??= build();
  return base.clone(environmentOptions);
}
