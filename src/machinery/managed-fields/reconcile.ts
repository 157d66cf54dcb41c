// Field sets recorded under an older schema: where an object or list has since become atomic, ownership of its
// parts becomes ownership of the whole, as Kubernetes reconciles managedFields before every write.
import { FieldSet } from './field-set.js';
import type { PathElement } from './path-element.js';
import type { SsaType } from './ssa-type.js';

/** `set` with fields below now-atomic objects and lists collapsed into the atomic value; `set` itself if none. */
export function reconcileWithSchema(set: FieldSet, t: SsaType): FieldSet {
  const collapse: PathElement[][] = [];
  visit(set, t, [], collapse);
  if (collapse.length === 0) return set;
  const atomics = FieldSet.of(...collapse);
  return set.recursiveDifference(atomics).union(atomics);
}

function visit(set: FieldSet, t: SsaType, path: PathElement[], collapse: PathElement[][]): void {
  if (t.deduced) return;
  for (const [pe, child] of set.children) {
    if (child.isEmpty()) continue;
    let ct: SsaType | undefined;
    if (t.map) {
      if (!pe.startsWith('f:')) continue;
      ct = t.map.field(pe.slice(2));
    } else if (t.list) ct = t.list.element;
    if (ct === undefined) continue;
    path.push(pe);
    const atomic = ct.map ? ct.map.atomic && !ct.deduced : (ct.list?.atomic ?? false);
    if (atomic) collapse.push([...path]);
    else visit(child, ct, path, collapse);
    path.pop();
  }
}
