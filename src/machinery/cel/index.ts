// kin's Kubernetes CEL environment: compile rules (CRD x-kubernetes-validations, admission policy expressions,
// match conditions) against schema-derived types, estimate their cost, and evaluate them with a runtime budget,
// with Kubernetes' libraries and error wording.
export { compileRule, evaluate, CompiledRule, type CompileOptions, type EvaluateOptions, type EvaluationCost, type VariableDecl } from './compile.js';
export { CelCompileError, CelEvalError, costLimitExceededMessage, type CompileErrorKind, type EvalErrorKind } from './errors.js';
export { costErrorMessage, perCallLimit, staticEstimatedCostLimit, staticEstimatedCrdCostLimit } from './cost.js';
export { escapePropertyName, maxCardinality, maxRequestSizeBytes, type CelSchema } from './schema-types.js';
export { CelObject, celEquals, celToJson, jsonToCel } from './values.js';
export { CelQuantity } from './lib-quantity.js';
export { CelCidr, CelIp } from './lib-net.js';
export { CelUrl } from './lib-url.js';
export { regexFind, regexFindAll, regexMatches } from './re2.js';
