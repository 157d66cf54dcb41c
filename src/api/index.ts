// The api folder's public surface: object shapes and resource descriptions. No I/O.
export * from './types.js';
export * from './resource-info.js';
export * from './builtin-resources.js';
export * from './generated/openapi-schema.js';
