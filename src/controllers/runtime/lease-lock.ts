// The resource lock of leader election: one coordination.k8s.io/v1 Lease, written with optimistic concurrency.
import type { Lease as KLease, LeaseSpec } from 'kubernetes-types/coordination/v1.js';
import type { KubeObject } from '../../api/index.js';
import type { ApiClient, ResourceClient, ResourceRef } from '../../client/index.js';
import { rfc3339Micro } from '../../util/index.js';

/** A Lease object. */
export type Lease = KLease & KubeObject;

/** The Lease resource. */
export const leaseResource: ResourceRef = { group: 'coordination.k8s.io', version: 'v1', plural: 'leases', namespaced: true };

/** What a lock records about its holder (client-go's LeaderElectionRecord); times are epoch milliseconds. */
export interface LeaderElectionRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: number;
  renewTime: number;
  leaderTransitions: number;
}

/** The Lease spec of a record. */
export function recordToLeaseSpec(r: LeaderElectionRecord): LeaseSpec {
  return {
    holderIdentity: r.holderIdentity,
    leaseDurationSeconds: r.leaseDurationSeconds,
    acquireTime: rfc3339Micro(r.acquireTime),
    renewTime: rfc3339Micro(r.renewTime),
    leaseTransitions: r.leaderTransitions,
  };
}

/** The record a Lease spec holds (absent fields read as zero values). */
export function leaseSpecToRecord(spec: LeaseSpec | undefined): LeaderElectionRecord {
  const time = (t: string | undefined) => (t ? Date.parse(t) || 0 : 0);
  return {
    holderIdentity: spec?.holderIdentity ?? '',
    leaseDurationSeconds: spec?.leaseDurationSeconds ?? 0,
    acquireTime: time(spec?.acquireTime),
    renewTime: time(spec?.renewTime),
    leaderTransitions: spec?.leaseTransitions ?? 0,
  };
}

/** A canonical text of a record, to tell whether the Lease changed between two reads. */
export function recordText(r: LeaderElectionRecord): string {
  return JSON.stringify([r.holderIdentity, r.leaseDurationSeconds, r.acquireTime, r.renewTime, r.leaderTransitions]);
}

/**
 * A Lease used as a lock. `update` writes over the Lease last read or written, with its resourceVersion, so a
 * write based on a stale read fails with Conflict: two candidates can never both think they wrote last.
 */
export class LeaseLock {
  private readonly leases: ResourceClient<Lease>;
  private lease: Lease | undefined;

  constructor(
    client: ApiClient,
    readonly namespace: string,
    readonly name: string,
    readonly identity: string,
  ) {
    this.leases = client.resource<Lease>(leaseResource);
  }

  /** Reads the Lease: its record and a canonical text of it (to tell whether it changed). Throws NotFound. */
  async get(signal: AbortSignal): Promise<{ record: LeaderElectionRecord; raw: string }> {
    this.lease = await this.leases.get(this.name, { namespace: this.namespace, signal });
    const record = leaseSpecToRecord(this.lease.spec);
    return { record, raw: recordText(record) };
  }

  /** Creates the Lease holding `record`. */
  async create(record: LeaderElectionRecord, signal: AbortSignal): Promise<void> {
    const obj: Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.name, namespace: this.namespace }, spec: recordToLeaseSpec(record) };
    this.lease = await this.leases.create(obj, { namespace: this.namespace, signal });
  }

  /** Writes `record` over the Lease last read or written (Conflict when it changed since). */
  async update(record: LeaderElectionRecord, signal: AbortSignal): Promise<void> {
    if (!this.lease) throw new Error('lease not initialized, call get or create first');
    const obj: Lease = { ...this.lease, spec: recordToLeaseSpec(record) };
    this.lease = await this.leases.update(obj, { namespace: this.namespace, signal });
  }

  /** `namespace/name`, for logs. */
  describe(): string {
    return `${this.namespace}/${this.name}`;
  }
}
