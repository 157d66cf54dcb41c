// The schema folder's public surface: checking decoded objects against type schemas the way Kubernetes'
// decoder does, dropping unknown fields, and strategic-merge-patch metadata. Pure; definitions are passed in.
export { checkObject, decodeErrorMessage, strictDecodingMessage, unknownFieldWarnings, type CheckOptions, type CheckResult } from './check.js';
export { dropUnknown } from './drop-unknown.js';
export { patchMetaFor, patchStrategies, type ListPatchMeta, type PatchMeta } from './patch-meta.js';
export { goTypeName, resolveSchema, shortName, type ResolvedSchema } from './resolve.js';
export { base64Error, parseQuantityError, quantityError, timeParseError } from './scalars.js';
