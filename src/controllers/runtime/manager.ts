// The manager: runs a set of controllers over shared informers — optionally only while this process holds a
// leader Lease — waits for the caches to sync before any worker starts, stops everything on abort, reports health.
import { silentLogger, systemClock, type Clock, type Logger } from '../../util/index.js';
import type { SharedInformerFactory } from './informer-factory.js';
import { LeaderElector, type LeaderElectionConfig } from './leader-election.js';
import { aborted, childController } from './sleep.js';

/** Anything a manager runs: a Controller, or any loop that runs until its signal aborts. A rejection stops the manager. */
export interface Runnable {
  readonly name: string;
  run(signal: AbortSignal): Promise<void>;
}

/** How a manager is built. */
export interface ManagerOptions {
  informers: SharedInformerFactory;
  /** Run the controllers only while leading this election (callbacks are the manager's own). */
  leaderElection?: Omit<LeaderElectionConfig, 'callbacks' | 'clock' | 'logger'>;
  /** How long caches may take to sync before start fails (default 2 minutes, as controller-runtime). */
  cacheSyncTimeoutMs?: number;
  /** How long past the lease a leader may go unrenewed before health fails (default 20 s, as kube-controller-manager). */
  leaderHealthToleranceMs?: number;
  clock?: Clock;
  logger?: Logger;
}

/** One line of a health report. */
export interface HealthCheck {
  name: string;
  ok: boolean;
  message?: string;
}

/** The manager's health: `ok` is liveness (nothing failed), `ready` means caches synced and controllers running. */
export interface HealthReport {
  ok: boolean;
  ready: boolean;
  checks: HealthCheck[];
}

type State = 'pending' | 'running' | 'stopped' | 'failed';

/** Thrown by `start` when this process loses its leader Lease: the caller should exit, as kube-controller-manager does. */
export class LeadershipLostError extends Error {
  constructor() {
    super('leaderelection lost');
    this.name = 'LeadershipLostError';
  }
}

/** Runs controllers (any Runnable) with their informers, under optional leader election. */
export class Manager {
  private readonly runnables: Runnable[] = [];
  private readonly states = new Map<Runnable, { state: State; message?: string }>();
  private readonly clock: Clock;
  private readonly log: Logger;
  private elector: LeaderElector | undefined;
  private synced = false;
  private started = false;
  private failure: string | undefined;

  constructor(private readonly options: ManagerOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = (options.logger ?? silentLogger).with({ component: 'controller-manager' });
  }

  /** Adds a controller; only before `start`. */
  add(r: Runnable): this {
    if (this.started) throw new Error(`cannot add ${r.name}: the manager has started`);
    this.runnables.push(r);
    this.states.set(r, { state: 'pending' });
    return this;
  }

  /**
   * Runs until `signal` aborts, then resolves once every controller and informer has stopped. Rejects when caches
   * do not sync in time, when a controller fails (the others are stopped first), or with LeadershipLostError.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error('the manager has already started');
    this.started = true;
    const le = this.options.leaderElection;
    if (!le) return this.runAll(signal);
    const { controller: election, dispose } = childController(signal);
    let work: Promise<void> | undefined;
    let error: unknown;
    let lost = false;
    this.elector = new LeaderElector({
      ...le,
      clock: this.clock,
      logger: this.log,
      callbacks: {
        onStartedLeading: (leading) => {
          work = this.runAll(leading).catch((e: unknown) => {
            error = e;
            election.abort(); // step down: the work failed
          });
        },
        onStoppedLeading: () => {
          if (!election.signal.aborted) lost = true;
        },
      },
    });
    try {
      await this.elector.run(election.signal);
      await work;
    } finally {
      dispose();
    }
    if (error !== undefined) throw error;
    if (lost) {
      this.failure = 'leaderelection lost';
      this.log.error('leaderelection lost');
      throw new LeadershipLostError();
    }
  }

  /** Starts informers, waits for them to sync, runs every controller until `signal` aborts or one fails. */
  private async runAll(signal: AbortSignal): Promise<void> {
    const { controller: all, dispose } = childController(signal);
    const informers = this.options.informers;
    let firstError: unknown;
    try {
      informers.start(all.signal);
      const { controller: wait, dispose: disposeWait } = childController(all.signal);
      const cancelTimer = this.clock.setTimer(() => wait.abort(), this.options.cacheSyncTimeoutMs ?? 120_000);
      const synced = await informers.waitForCacheSync(wait.signal);
      cancelTimer();
      disposeWait();
      if (!synced && !all.signal.aborted) throw new Error('timed out waiting for cache to be synced');
      if (all.signal.aborted) return;
      this.synced = true;
      this.log.info('caches synced, starting controllers', { controllers: this.runnables.map((r) => r.name) });
      const runs = this.runnables.map(async (r) => {
        this.states.set(r, { state: 'running' });
        try {
          await r.run(all.signal);
          this.states.set(r, { state: 'stopped' });
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          this.states.set(r, { state: 'failed', message });
          this.log.error('controller failed, stopping the manager', { controller: r.name, error: message });
          firstError ??= e;
          all.abort();
        }
      });
      await Promise.all(runs);
      // Controllers that return early leave the informers running until the stop.
      await aborted(all.signal);
    } catch (e) {
      firstError ??= e;
      all.abort();
    } finally {
      await informers.stopped();
      dispose();
    }
    if (firstError !== undefined) {
      this.failure = firstError instanceof Error ? firstError.message : String(firstError);
      throw firstError;
    }
  }

  /** The current health: controller states, cache sync, leader lease renewal. */
  health(): HealthReport {
    const checks: HealthCheck[] = [];
    checks.push(this.failure ? { name: 'manager', ok: false, message: this.failure } : { name: 'manager', ok: true });
    checks.push({ name: 'informers', ok: true, ...(this.synced ? {} : { message: 'caches not synced' }) });
    if (this.elector) {
      const problem = this.elector.check(this.options.leaderHealthToleranceMs ?? 20_000);
      const leader = this.elector.getLeader();
      checks.push(problem ? { name: 'leaderElection', ok: false, message: problem } : { name: 'leaderElection', ok: true, message: leader ? `leader: ${leader}` : 'no leader' });
    }
    for (const r of this.runnables) {
      const s = this.states.get(r)!;
      checks.push({ name: `controller/${r.name}`, ok: s.state !== 'failed', message: s.message ?? s.state });
    }
    const ok = checks.every((c) => c.ok);
    const running = this.runnables.every((r) => this.states.get(r)!.state === 'running');
    return { ok, ready: ok && this.synced && running, checks };
  }
}
