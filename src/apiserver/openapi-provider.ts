// Serves the OpenAPI v3 documents of whatever the registry serves, rebuilt when the set of resources changes.
import type { ResourceInfo } from '../api/index.js';
import type { Definitions } from '../api/generated/index.js';
import type { Registry } from '../registry/registry.js';
import { groupResources } from './discovery.js';
import { openApiV3Document, openApiV3Root, type OpenApiV3Document } from './openapi/index.js';
import type { OpenApiProvider } from './server.js';
import { kubernetesVersion } from './server.js';

/** An OpenAPI provider over a registry; documents are built on first request and cached per registry generation. */
export function createOpenApiProvider(registry: Registry, defs: Definitions, extra: () => ResourceInfo[] = () => []): OpenApiProvider {
  let gen = -1;
  let docs = new Map<string, OpenApiV3Document>();
  let root = '';
  const build = () => {
    if (gen === registry.generation) return;
    const key = (r: { group: string; version: string; plural: string }) => `${r.group}/${r.version}/${r.plural}`;
    const strategies = new Map(registry.stores().map((s) => [key(s.strategy.info), s.strategy]));
    const next = new Map<string, OpenApiV3Document>();
    for (const g of groupResources([...registry.resources(), ...extra()])) {
      for (const v of g.versions) {
        // Custom resources bring their own component schemas; they merge with the built-in ones (ObjectMeta, ...).
        let gvDefs = defs;
        for (const r of v.resources) {
          const extraDefs = strategies.get(key(r))?.definitions;
          if (extraDefs) gvDefs = { ...gvDefs, ...(extraDefs as Definitions) };
        }
        const doc = openApiV3Document({ group: g.name, version: v.version }, v.resources, gvDefs, {
          componentName: (r) => strategies.get(key(r))?.schemaName ?? `io.k8s.api.${r.group === '' ? 'core' : r.group.split('.')[0]}.${r.version}.${r.kind}`,
          strategicMergePatch: (r) => !strategies.get(key(r))?.definitions,
          serverVersion: kubernetesVersion.gitVersion,
        });
        next.set(doc.path, doc);
      }
    }
    docs = next;
    root = JSON.stringify(openApiV3Root([...next.values()]));
    gen = registry.generation;
  };
  return {
    root() {
      build();
      return root;
    },
    document(path) {
      build();
      return docs.get(path)?.json;
    },
  };
}
