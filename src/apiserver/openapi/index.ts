// The openapi folder's public surface: OpenAPI v3 root index and per-group-version documents (pure; serving
// them is the router's job).
export { groupVersionPath, openApiV3Document, type GroupVersion, type OpenApiV3Document, type OpenApiV3Options } from './document.js';
export { componentNameFor } from './names.js';
export { openApiV3Root, type OpenApiV3Root } from './root.js';
