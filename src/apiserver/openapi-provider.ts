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
    const schemaOf = new Map(registry.stores().map((s) => [`${s.strategy.info.group}/${s.strategy.info.version}/${s.strategy.info.plural}`, s.strategy.schemaName]));
    const next = new Map<string, OpenApiV3Document>();
    for (const g of groupResources([...registry.resources(), ...extra()])) {
      for (const v of g.versions) {
        const doc = openApiV3Document({ group: g.name, version: v.version }, v.resources, defs, {
          componentName: (r) => schemaOf.get(`${r.group}/${r.version}/${r.plural}`) ?? `io.k8s.api.${r.group === '' ? 'core' : r.group.split('.')[0]}.${r.version}.${r.kind}`,
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
