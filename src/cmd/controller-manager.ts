// The controller manager: every kin controller under one Manager, with leader election on a Lease in kube-system.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { ApiClient } from '../client/index.js';
import { Manager, SharedInformerFactory, type Runnable } from '../controllers/index.js';
import { GarbageCollector } from '../controllers/garbagecollector/index.js';
import { silentLogger, systemClock, type Clock, type Logger } from '../util/index.js';

/** What a controller is built from. */
export interface ControllerContext {
  client: ApiClient;
  informers: SharedInformerFactory;
  clock: Clock;
  logger: Logger;
}

/** One controller the manager runs: its name and how it is built. */
export interface ControllerFactory {
  name: string;
  create(ctx: ControllerContext): Runnable;
}

/** Every controller kin runs (others append theirs here). */
export const controllerFactories: ControllerFactory[] = [
  { name: 'garbage-collector', create: (ctx) => new GarbageCollector({ client: ctx.client, informers: ctx.informers, logger: ctx.logger }) },
];

/** How the controller manager is started. */
export interface ControllerManagerOptions {
  client: ApiClient;
  logger?: Logger;
  clock?: Clock;
  /** Run only while holding the kube-system/kube-controller-manager Lease (default true). */
  leaderElection?: boolean;
  /** This candidate's identity (default: hostname + '_' + random). */
  identity?: string;
  /** Which controllers to run (default: all of controllerFactories). */
  controllers?: ControllerFactory[];
}

/** A running controller manager. */
export interface RunningControllerManager {
  manager: Manager;
  /** Resolves when the manager stopped on its own (rejects when it failed). */
  done: Promise<void>;
  /** Stops every controller and waits for them. */
  stop(): Promise<void>;
}

/** Starts the controller manager in the background. */
export function startControllerManager(opts: ControllerManagerOptions): RunningControllerManager {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? silentLogger;
  const informers = new SharedInformerFactory({ client: opts.client, clock, logger });
  const identity = opts.identity ?? `${hostname()}_${randomBytes(8).toString('hex')}`;
  const manager = new Manager({
    informers,
    clock,
    logger,
    ...(opts.leaderElection === false
      ? {}
      : { leaderElection: { client: opts.client, namespace: 'kube-system', name: 'kube-controller-manager', identity, releaseOnCancel: true } }),
  });
  const ctx: ControllerContext = { client: opts.client, informers, clock, logger };
  for (const f of opts.controllers ?? controllerFactories) manager.add(f.create(ctx));
  const abort = new AbortController();
  const done = manager.start(abort.signal);
  done.catch((e: unknown) => logger.error('controller manager stopped', { error: String(e) }));
  return {
    manager,
    done,
    async stop() {
      abort.abort();
      await done.catch(() => undefined);
    },
  };
}
