// Field selectors for one resource: the keys it supports and Kubernetes' wording when a key is not supported.
import type { GenericStore } from '../registry/generic-store.js';
import { checkFieldSelector, defaultSelectableFields, matchesFields, parseFieldSelector, type FieldLabelRules } from '../machinery/index.js';

const rulesCache = new WeakMap<GenericStore, FieldLabelRules>();

/** The field-selector rules of a store: metadata.name/namespace plus the keys its strategy selects on. */
export function fieldRules(store: GenericStore): FieldLabelRules {
  let r = rulesCache.get(store);
  if (r) return r;
  const s = store.strategy;
  let own: string[] = [];
  if (s.selectableFields) {
    try {
      own = Object.keys(s.selectableFields({ metadata: {}, spec: {}, status: {} }));
    } catch {
      own = [];
    }
  }
  const core = s.info.group === '' ? s.info.plural : undefined;
  const aliases: Record<string, string> = core === 'pods' ? { 'spec.host': 'spec.nodeName' } : {};
  // Nodes and Namespaces have their own field-label conversion, which knows metadata.name but not metadata.namespace.
  const base = core === 'nodes' || core === 'namespaces' ? ['metadata.name'] : defaultSelectableFields;
  r = { supported: new Set([...base, ...own]), wording: s.selectableFields ? 'label' : 'default', aliases };
  rulesCache.set(store, r);
  return r;
}

/** Compiles a field selector string for a store into a predicate over its selectable fields (400 on bad input). */
export function compileFieldSelector(selector: string, store: GenericStore): (fields: Record<string, string>) => boolean {
  const sel = checkFieldSelector(parseFieldSelector(selector), fieldRules(store));
  return (fields) => matchesFields(sel, fields);
}
