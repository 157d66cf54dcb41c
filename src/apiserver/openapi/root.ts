// The OpenAPI v3 root index (`/openapi/v3`): one entry per group-version, pointing at its document by hash.
import { groupVersionPath, type GroupVersion } from './document.js';

/** The root index served at /openapi/v3. */
export interface OpenApiV3Root {
  paths: Record<string, { serverRelativeURL: string }>;
}

/**
 * The root index for the given group-versions and the hashes of their documents (an OpenApiV3Document fits):
 * `{"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=<HEX>"}}}`.
 */
export function openApiV3Root(groupVersions: readonly (GroupVersion & { hash: string })[]): OpenApiV3Root {
  const paths: OpenApiV3Root['paths'] = {};
  for (const gv of groupVersions) {
    const p = groupVersionPath(gv);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${gv.hash}` };
  }
  return { paths };
}
