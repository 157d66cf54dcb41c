// Generated type schemas (scripts/gen-schemas.ts) and their loader.
import { readFileSync } from 'node:fs';
import type { Definitions } from './openapi-schema.js';

export * from './openapi-schema.js';

// The JSON lives in src/api/generated/. This module runs either from there (tsx) or from dist/api/generated/
// (compiled); both sit three levels below the package root, so one root-relative path serves both.
const definitionsUrl = new URL('../../../src/api/generated/definitions.json', import.meta.url);

let cached: Definitions | undefined;

/** The component schemas of every built-in type, read once on first use and then shared (treat as read-only). */
export function builtinDefinitions(): Definitions {
  cached ??= JSON.parse(readFileSync(definitionsUrl, 'utf8')) as Definitions;
  return cached;
}
