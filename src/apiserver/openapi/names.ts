// Finding the component schema of a kind: by its `x-kubernetes-group-version-kind` tag, else by upstream naming.
import type { Definitions } from '../../api/index.js';

const indexes = new WeakMap<Definitions, Map<string, string>>();

function gvkKey(g: { group: string; version: string; kind: string }): string {
  return `${g.group}/${g.version}/${g.kind}`;
}

/** Upstream package segment of a group: `core` for "", `apps`, `networking` for networking.k8s.io. */
function packageOf(group: string): string {
  if (group === '') return 'core';
  if (group === 'internal.apiserver.k8s.io') return 'apiserverinternal';
  return group.split('.')[0] ?? group;
}

/** The component name of a kind in `defs` (`io.k8s.api.apps.v1.Deployment`), or the name upstream would give it. */
export function componentNameFor(defs: Definitions, gvk: { group: string; version: string; kind: string }): string {
  let index = indexes.get(defs);
  if (!index) {
    index = new Map();
    for (const [name, s] of Object.entries(defs)) {
      for (const tag of s['x-kubernetes-group-version-kind'] ?? []) index.set(gvkKey(tag), name);
    }
    indexes.set(defs, index);
  }
  const found = index.get(gvkKey(gvk));
  if (found) return found;
  if (gvk.group === 'apiextensions.k8s.io') return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${gvk.version}.${gvk.kind}`;
  return `io.k8s.api.${packageOf(gvk.group)}.${gvk.version}.${gvk.kind}`;
}
