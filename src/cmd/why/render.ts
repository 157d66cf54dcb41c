// `kin why`'s answer in plain words, for people (`-o json` prints the Explanation itself).
import { humanDuration } from '../../util/index.js';
import type { Explanation, FinalizerFinding } from './explain.js';

/** The text `kin why` prints for an explanation. */
export function renderExplanation(e: Explanation, now = Date.now()): string {
  const out: string[] = [];
  write(e, out, '', now, true);
  return out.join('\n') + '\n';
}

function where(e: Explanation): string {
  return e.namespace ? `${e.ref} in namespace ${e.namespace}` : e.ref;
}

function write(e: Explanation, out: string[], indent: string, now: number, top: boolean): void {
  if (!e.exists) {
    out.push(`${indent}${where(e)}: ${e.notes.join(' ')}`);
    return;
  }
  if (e.seenAbove) {
    out.push(`${indent}${where(e)} (see above)`);
    return;
  }
  if (e.deletionTimestamp) {
    const since = Date.parse(e.deletionTimestamp);
    const ago = Number.isFinite(since) ? ` (${humanDuration(Math.max(0, now - since))} ago)` : '';
    const held = e.finalizers.length
      ? `held by ${e.finalizers.length === 1 ? '1 finalizer' : `${e.finalizers.length} finalizers`}`
      : e.specFinalizers?.length
        ? `held by its spec.finalizers (${e.specFinalizers.join(', ')})`
        : 'not held by any finalizer';
    out.push(`${indent}${where(e)} is being deleted since ${e.deletionTimestamp}${ago}, ${held}.`);
  } else if (top) {
    out.push(`${indent}${where(e)} is not being deleted.`);
  } else {
    out.push(`${indent}${where(e)} is not being deleted yet.`);
  }
  const sub = indent + '  ';
  for (const f of e.finalizers) out.push(...finalizerLines(f, sub, !!e.deletionTimestamp));
  if (e.namespaceConditions?.length) {
    out.push(`${sub}The namespace controller reports:`);
    for (const c of e.namespaceConditions) out.push(`${sub}  ${c.type}: ${c.message ?? c.reason ?? c.status}`);
  }
  for (const n of e.notes) out.push(`${sub}${n}`);
  if (e.waitingFor.length) {
    out.push(`${sub}It waits for ${e.waitingFor.length === 1 ? 'this object' : `these ${e.waitingFor.length} objects`} to go:`);
    for (const w of e.waitingFor) write(w, out, sub + '  ', now, false);
  }
  if (!top) return;
  if (e.owners.length) {
    out.push(`${sub}Owners:`);
    for (const o of e.owners) {
      const role = o.controller ? ' (its controller)' : '';
      const state =
        o.state === 'exists'
          ? ''
          : o.state === 'missing'
            ? ' — does not exist: the garbage collector deletes this object unless another owner exists'
            : o.state === 'replaced'
              ? ' — an object of that name exists with another uid: the reference is dangling and the garbage collector deletes this object unless another owner exists'
              : ' — a kind the API does not serve';
      out.push(`${sub}  ${o.ref}${role}${state}`);
    }
  } else {
    out.push(`${sub}Owners: none.`);
  }
  if (e.dependents.length) {
    out.push(`${sub}Dependents (${e.dependents.length}):`);
    for (const d of e.dependents.slice(0, 20)) out.push(`${sub}  ${d.ref}${d.blockOwnerDeletion ? ' (blocks a foreground deletion of this object)' : ''}`);
    if (e.dependents.length > 20) out.push(`${sub}  … and ${e.dependents.length - 20} more`);
  } else {
    out.push(`${sub}Dependents: none.`);
  }
  if (e.wouldDelete) {
    if (!e.wouldDelete.length) {
      out.push(`${sub}Deleting it would remove only itself${e.finalizers.length ? ', once its finalizers are removed' : ''}.`);
    } else {
      out.push(`${sub}Deleting it would also delete ${e.wouldDelete.length} object${e.wouldDelete.length === 1 ? '' : 's'} (kubectl delete --cascade=orphan keeps its direct dependents):`);
      for (const r of e.wouldDelete.slice(0, 20)) out.push(`${sub}  ${r}`);
      if (e.wouldDelete.length > 20) out.push(`${sub}  … and ${e.wouldDelete.length - 20} more`);
    }
  }
}

function finalizerLines(f: FinalizerFinding, indent: string, deleting: boolean): string[] {
  if (f.dead) {
    const lines = [`${indent}finalizer ${f.name}: no controller kin runs handles it.`];
    if (deleting) {
      lines.push(`${indent}  Unless you run the controller that set it, nothing will ever remove it (a dead finalizer). To remove it by hand:`);
      lines.push(`${indent}    ${f.removeCommand}`);
    }
    return lines;
  }
  const running = f.handlerRunning === false ? ' — which is not running now' : '';
  return [`${indent}finalizer ${f.name}: handled by ${f.handledBy === 'kube-apiserver' ? 'the API server' : `the ${f.handledBy} controller`}${running}; it is removed once ${f.waitsFor}.`];
}
