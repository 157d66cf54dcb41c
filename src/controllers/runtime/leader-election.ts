// Leader election on a Lease, as client-go's leaderelection: candidates try to acquire or renew the Lease every
// retry period; the holder steps down when it cannot renew within the renew deadline, which is shorter than the
// lease duration other candidates wait after the last change they saw. So two candidates never lead at once.
import type { ApiClient } from '../../client/index.js';
import { isNotFound } from '../../client/index.js';
import { silentLogger, systemClock, type Clock, type Logger } from '../../util/index.js';
import { LeaseLock, recordText, type LeaderElectionRecord } from './lease-lock.js';
import { childController, sleep } from './sleep.js';

/** What a candidate does when it gains or loses the lead. */
export interface LeaderCallbacks {
  /** Called once leading; `signal` aborts when leadership ends (lost, or the election stopped). */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called when a candidate that was leading stops leading. */
  onStoppedLeading(): void;
  /** Called when the observed leader changes (also for the candidate itself). */
  onNewLeader?(identity: string): void;
}

/** How a candidate takes part in an election. */
export interface LeaderElectionConfig {
  client: ApiClient;
  /** Namespace and name of the Lease (kube-controller-manager uses kube-system/kube-controller-manager). */
  namespace: string;
  name: string;
  /** This candidate's unique identity (hostname plus a random suffix, say). */
  identity: string;
  /** How long others wait after the last change they saw before taking over (default 15 s). */
  leaseDurationMs?: number;
  /** How long the leader keeps retrying a renew before it steps down (default 10 s). */
  renewDeadlineMs?: number;
  /** Time between attempts (default 2 s). */
  retryPeriodMs?: number;
  /** Give the Lease up (empty holder) when the election stops, so another candidate takes over at once. */
  releaseOnCancel?: boolean;
  callbacks: LeaderCallbacks;
  clock?: Clock;
  logger?: Logger;
  random?: () => number;
}

/** The default lease duration (15 s, as client-go and kube-controller-manager). */
export const defaultLeaseDurationMs = 15_000;
/** The default renew deadline (10 s). */
export const defaultRenewDeadlineMs = 10_000;
/** The default retry period (2 s). */
export const defaultRetryPeriodMs = 2_000;
/** Attempts to acquire wait the retry period plus up to this factor of it again. */
export const jitterFactor = 1.2;

/** One candidate of a leader election. */
export class LeaderElector {
  private readonly lock: LeaseLock;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly random: () => number;
  private readonly leaseMs: number;
  private readonly renewMs: number;
  private readonly retryMs: number;
  private observed: LeaderElectionRecord | undefined;
  private observedRaw = '';
  // Local monotonic time the observed record last changed: expiry is judged on our clock, never on the record's.
  private observedTime = 0;
  private reportedLeader = '';

  constructor(private readonly config: LeaderElectionConfig) {
    this.leaseMs = config.leaseDurationMs ?? defaultLeaseDurationMs;
    this.renewMs = config.renewDeadlineMs ?? defaultRenewDeadlineMs;
    this.retryMs = config.retryPeriodMs ?? defaultRetryPeriodMs;
    if (this.leaseMs <= this.renewMs) throw new Error('leaseDuration must be greater than renewDeadline');
    if (this.renewMs <= jitterFactor * this.retryMs) throw new Error('renewDeadline must be greater than retryPeriod*JitterFactor');
    if (this.leaseMs < 1) throw new Error('leaseDuration must be greater than zero');
    if (this.renewMs < 1) throw new Error('renewDeadline must be greater than zero');
    if (this.retryMs < 1) throw new Error('retryPeriod must be greater than zero');
    if (!config.identity) throw new Error('Lock identity is empty');
    this.lock = new LeaseLock(config.client, config.namespace, config.name, config.identity);
    this.clock = config.clock ?? systemClock;
    this.random = config.random ?? Math.random;
    this.log = (config.logger ?? silentLogger).with({ lease: this.lock.describe(), identity: config.identity });
  }

  /** True when the last record seen names this candidate. */
  isLeader(): boolean {
    return this.observed?.holderIdentity === this.config.identity;
  }

  /** The identity of the last leader seen ('' if none). */
  getLeader(): string {
    return this.observed?.holderIdentity ?? '';
  }

  /** A health check: an error message when leading but not renewed for longer than the lease plus `toleranceMs`. */
  check(toleranceMs: number): string | undefined {
    if (!this.isLeader()) return undefined;
    if (this.clock.monotonic() - this.observedTime > this.leaseMs + toleranceMs) return `failed election to renew leadership on lease ${this.config.name}`;
    return undefined;
  }

  /** Campaigns until leading, leads until the lease is lost or `signal` aborts, then returns. */
  async run(signal: AbortSignal): Promise<void> {
    if (!(await this.acquire(signal))) return;
    const { controller: leading, dispose } = childController(signal);
    try {
      Promise.resolve(this.config.callbacks.onStartedLeading(leading.signal)).catch((e: unknown) => this.log.error('leader work failed', { error: String(e) }));
    } catch (e) {
      this.log.error('leader work failed', { error: String(e) });
    }
    try {
      await this.renew(signal);
    } finally {
      // Stop the leader's work before giving up the Lease, so no successor overlaps with it.
      leading.abort();
      dispose();
      if (this.config.releaseOnCancel) await this.release();
      this.config.callbacks.onStoppedLeading();
    }
  }

  /** Tries every retry period (with jitter) until the Lease is ours; false if `signal` aborted first. */
  private async acquire(signal: AbortSignal): Promise<boolean> {
    this.log.info('attempting to acquire leader lease');
    while (!signal.aborted) {
      const ok = await this.tryAcquireOrRenew(signal);
      this.maybeReportTransition();
      if (ok) {
        this.log.info('successfully acquired lease');
        return true;
      }
      await sleep(this.clock, this.retryMs * (1 + this.random() * jitterFactor), signal);
    }
    return false;
  }

  /** Renews every retry period; returns when a renew did not succeed within the renew deadline, or on abort. */
  private async renew(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const { controller: round, dispose } = childController(signal);
      const cancelDeadline = this.clock.setTimer(() => round.abort(), this.renewMs);
      let ok = false;
      try {
        for (;;) {
          ok = await this.tryAcquireOrRenew(round.signal);
          if (ok || round.signal.aborted) break;
          if (!(await sleep(this.clock, this.retryMs, round.signal))) break;
        }
      } finally {
        cancelDeadline();
        dispose();
      }
      this.maybeReportTransition();
      if (!ok) {
        if (!signal.aborted) this.log.info('failed to renew lease', { error: 'timed out waiting for the condition' });
        return;
      }
      await sleep(this.clock, this.retryMs, signal);
    }
  }

  /** One attempt: renew if ours, take over if free or expired, else note who holds it. True when ours now. */
  private async tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    const now = this.clock.now();
    const mono = this.clock.monotonic();
    const record: LeaderElectionRecord = {
      holderIdentity: this.config.identity,
      leaseDurationSeconds: Math.floor(this.leaseMs / 1000),
      acquireTime: now,
      renewTime: now,
      leaderTransitions: 0,
    };
    // Fast path: the leader renews over the Lease it wrote last.
    if (this.isLeader() && this.isLeaseValid(mono) && this.observed) {
      try {
        await this.lock.update({ ...record, acquireTime: this.observed.acquireTime, leaderTransitions: this.observed.leaderTransitions }, signal);
        this.setObserved({ ...record, acquireTime: this.observed.acquireTime, leaderTransitions: this.observed.leaderTransitions });
        return true;
      } catch (e) {
        this.log.warn('failed to update lock optimistically, falling back to slow path', { error: String(e) });
      }
    }
    let current: { record: LeaderElectionRecord; raw: string };
    try {
      current = await this.lock.get(signal);
    } catch (e) {
      if (!isNotFound(e)) {
        this.log.warn('error retrieving resource lock', { error: String(e) });
        return false;
      }
      try {
        await this.lock.create(record, signal);
      } catch (e2) {
        this.log.warn('error initially creating leader election record', { error: String(e2) });
        return false;
      }
      this.setObserved(record);
      return true;
    }
    if (current.raw !== this.observedRaw) {
      this.observed = current.record;
      this.observedRaw = current.raw;
      this.observedTime = mono;
    }
    if (current.record.holderIdentity && this.isLeaseValid(mono) && !this.isLeader()) return false;
    if (this.isLeader()) {
      record.acquireTime = current.record.acquireTime;
      record.leaderTransitions = current.record.leaderTransitions;
    } else {
      record.leaderTransitions = current.record.leaderTransitions + 1;
    }
    try {
      await this.lock.update(record, signal);
    } catch (e) {
      this.log.warn('failed to update lock', { error: String(e) });
      return false;
    }
    this.setObserved(record);
    return true;
  }

  /** Empties the holder (lease of 1 s) so the next candidate need not wait; only when we hold it. */
  private async release(): Promise<void> {
    if (!this.isLeader() || !this.observed) return;
    const now = this.clock.now();
    const record: LeaderElectionRecord = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now, leaderTransitions: this.observed.leaderTransitions };
    try {
      await this.lock.update(record, new AbortController().signal);
      this.setObserved(record);
    } catch (e) {
      this.log.warn('failed to release lock', { error: String(e) });
    }
  }

  private isLeaseValid(mono: number): boolean {
    return this.observedTime + (this.observed?.leaseDurationSeconds ?? 0) * 1000 > mono;
  }

  private setObserved(record: LeaderElectionRecord): void {
    this.observed = record;
    this.observedRaw = recordText(record);
    this.observedTime = this.clock.monotonic();
  }

  private maybeReportTransition(): void {
    const leader = this.getLeader();
    if (leader === this.reportedLeader) return;
    this.reportedLeader = leader;
    if (leader) this.log.info('new leader elected', { leader });
    try {
      this.config.callbacks.onNewLeader?.(leader);
    } catch (e) {
      this.log.error('onNewLeader failed', { error: String(e) });
    }
  }
}
