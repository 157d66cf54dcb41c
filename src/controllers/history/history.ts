// ControllerHistory: reading and writing an owner's ControllerRevisions through the client (history.Interface).
import type { KubeObject } from '../../api/index.js';
import { isAlreadyExists, isNotFound, type ApiClient, type ResourceClient } from '../../client/index.js';
import { type LabelSelector } from '../../machinery/index.js';
import type { Lister } from '../runtime/index.js';
import { claimObjects } from './controller-ref.js';
import { controllerRef, controllerRevisionsRef, equalRevision, newControllerRevision, type ControllerRevision, type NewRevisionOptions } from './revision.js';

/** Thrown when a revision's name is taken by a revision with other data: the owner's collisionCount must grow. */
export class RevisionCollisionError extends Error {
  constructor(readonly revisionName: string) {
    super(`controller revision ${revisionName} already exists with different data`);
    this.name = 'RevisionCollisionError';
  }
}

/** The revisions of owners, read from an informer's store and written through the client. */
export class ControllerHistory {
  private readonly revisions: ResourceClient<ControllerRevision>;

  constructor(
    client: ApiClient,
    private readonly lister: Lister<ControllerRevision>,
  ) {
    this.revisions = client.resource<ControllerRevision>(controllerRevisionsRef);
  }

  /** The owner's revisions: those it controls and orphans its selector matches (adopted on the way). */
  async list(owner: KubeObject, o: { apiVersion: string; kind: string; selector: LabelSelector; signal?: AbortSignal }): Promise<ControllerRevision[]> {
    const candidates = this.lister.listInNamespace(owner.metadata?.namespace ?? '');
    return claimObjects(candidates, { owner, ref: controllerRef(owner, o.apiVersion, o.kind), selector: o.selector, client: this.revisions, ...(o.signal ? { signal: o.signal } : {}) });
  }

  /**
   * Creates the revision `newControllerRevision` makes. When its name is taken by an equal revision, that one is
   * returned; when taken by another, RevisionCollisionError is thrown (the caller bumps its collisionCount).
   */
  async create(parent: KubeObject, o: NewRevisionOptions, signal?: AbortSignal): Promise<ControllerRevision> {
    const rev = newControllerRevision(parent, o);
    const ns = rev.metadata?.namespace ?? '';
    try {
      return await this.revisions.create(rev, { namespace: ns, ...(signal ? { signal } : {}) });
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const existing = await this.revisions.get(rev.metadata?.name ?? '', { namespace: ns, ...(signal ? { signal } : {}) });
      if (equalRevision(existing, rev)) return existing;
      throw new RevisionCollisionError(rev.metadata?.name ?? '');
    }
  }

  /** Gives a revision a new number (what a rollback to an older template does). */
  async updateRevision(rev: ControllerRevision, revision: number, signal?: AbortSignal): Promise<ControllerRevision> {
    if (rev.revision === revision) return rev;
    return this.revisions.patch(rev.metadata?.name ?? '', 'merge', { revision }, { namespace: rev.metadata?.namespace ?? '', ...(signal ? { signal } : {}) });
  }

  /** Deletes a revision (gone already is fine). */
  async delete(rev: ControllerRevision, signal?: AbortSignal): Promise<void> {
    try {
      await this.revisions.delete(rev.metadata?.name ?? '', { namespace: rev.metadata?.namespace ?? '', ...(signal ? { signal } : {}) });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
