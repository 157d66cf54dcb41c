// apiextensions.k8s.io: CustomResourceDefinitions and the strategies of the custom resources they define.
export { crdStrategy, crdInfo, crdCleanupFinalizer, defaultCrd } from './customresourcedefinition/strategy.js';
export { apiApprovalState, apiApprovedAnnotation, validateCrd, validateCrdUpdate } from './customresourcedefinition/validation.js';
export type { Crd, CrdVersion, CrdColumn, JsonSchemaProps } from './customresourcedefinition/types.js';
export { customResourceStrategy, customComponentName, type CompiledCustomSchema } from './custom-resource.js';
export { compileCustomSchema, jsonPathValue } from './schema.js';
