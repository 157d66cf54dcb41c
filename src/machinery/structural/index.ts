// The structural folder's public surface: CRD schemas as Kubernetes' apiextensions-apiserver treats them —
// checking a schema is structural, validating, pruning and defaulting custom resources, and the CEL hook.
export type { JSONSchemaProps, ValidationRule } from './types.js';
export { compileNode, type CompileOptions, type SchemaNode } from './compile.js';
export { checkStructural, isNonStructural, schemaHas, type StructuralCheckOptions } from './structural.js';
export { structuralErrors, unsupportedSchemaError } from './structural-rules.js';
export { checkSchemaKeywords, type SchemaCheckOptions } from './crd-schema.js';
export { defaultErrors } from './default-validation.js';
export {
  compileSchema,
  hasBlockingError,
  rulesNotCheckedError,
  rulesNotCheckedMessage,
  validateEmbedded,
  validateValue,
  type CompiledSchema,
  type ValidateOptions,
} from './validate.js';
export { prune, type PruneOptions } from './prune.js';
export { applyDefaults, pruneNonNullableNulls, type DefaultOptions } from './defaults.js';
export { walkRules, type NodeContext, type NodeHook } from './rule-walk.js';
export { Correlation, MapList } from './correlation.js';
export { validateListSetsAndMaps } from './list-type.js';
export { formatChecker, supportedFormat } from './formats.js';
export { ruleFieldPath } from './field-path.js';
