// Generated type schemas (scripts/gen-schemas.ts) and their loader.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Definitions } from './openapi-schema.js';

export * from './openapi-schema.js';

const definitionsFile = join('src', 'api', 'generated', 'definitions.json');

// The JSON lives in src/api/generated/. This module runs from there (tsx), from dist/api/generated/ (compiled)
// or inside the bundle in dist/bundle/; the package root is the nearest folder above that holds the file.
function definitionsPath(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; ) {
    const p = join(dir, definitionsFile);
    if (existsSync(p)) return p;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`kin: ${definitionsFile} not found in any folder above ${start}`);
    dir = parent;
  }
}

let cached: Definitions | undefined;

/** Reads and parses the definitions now if that has not happened yet (kin up does it right after its ready line). */
export function loadBuiltinDefinitions(): Definitions {
  cached ??= JSON.parse(readFileSync(definitionsPath(), 'utf8')) as Definitions;
  return cached;
}

// A stand-in that reads the 1 MB file on the first look inside it, so that building an API server (which hands
// the definitions to its parts) does not pay for it at start-up.
const lazy = new Proxy({} as Definitions, {
  get: (_t, k) => (loadBuiltinDefinitions() as Record<string | symbol, unknown>)[k],
  has: (_t, k) => k in loadBuiltinDefinitions(),
  ownKeys: () => Reflect.ownKeys(loadBuiltinDefinitions()),
  getOwnPropertyDescriptor: (_t, k) => Reflect.getOwnPropertyDescriptor(loadBuiltinDefinitions(), k),
  set: () => false,
  deleteProperty: () => false,
  defineProperty: () => false,
});

/**
 * The component schemas of every built-in type, shared (treat as read-only). Always the same object (a stand-in
 * that reads the file on the first look inside it), so caches keyed by it hold before and after the load.
 */
export function builtinDefinitions(): Definitions {
  return lazy;
}
