// apiextensions.k8s.io: CustomResourceDefinitions and the strategies of the custom resources they define.
export { crdStrategy, crdInfo, crdCleanupFinalizer, defaultCrd } from './customresourcedefinition/strategy.js';
export { setStructuralSchemaCheck, validateCrd, validateCrdUpdate } from './customresourcedefinition/validation.js';
export type { Crd, CrdVersion, CrdColumn, JsonSchemaProps } from './customresourcedefinition/types.js';
export { customResourceStrategy, type CustomResourceSchemaTools, type CompiledCustomSchema } from './custom-resource.js';
