// Field ownership (metadata.managedFields) and server-side apply as pure functions over objects and their types.
export { apply, withManagedFields, type ApplyOptions, type ApplyResult } from './apply.js';
export { compare, type Comparison } from './compare.js';
export { conflictError, describeManager, gvkString, type Conflict } from './conflicts.js';
export { emptySet, FieldSet, type FieldsV1 } from './field-set.js';
export {
  capUpdateManagers,
  decodeManagedFields,
  encodeManagedFields,
  isResetManagedFields,
  managerId,
  maxUpdateManagers,
  type Managers,
  type ManagerSet,
} from './managers.js';
export { merge, removeItems } from './merge.js';
export { comparePathElements, fieldElement, indexElement, keyElement, pathString, valueElement, type FieldPath, type PathElement } from './path-element.js';
export { atomicType, builtinType, builtinTypeFor, customResourceType, deducedType, schemaType, type ListShape, type MapShape, type SsaType } from './ssa-type.js';
export { appliedFieldSet, fieldSet } from './to-field-set.js';
export { updateManagedFields, type UpdateOptions } from './update.js';
export { reconcileWithSchema } from './reconcile.js';
export { resetFields, strippedFields, type OwnershipContext } from './updater.js';
export { TypedValueError } from './values.js';
export { allowedConflictsFromLastApplied, buildLastApplied, goJson, lastAppliedAnnotation, updateLastApplied } from './last-applied.js';
