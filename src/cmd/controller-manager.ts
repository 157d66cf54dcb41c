// The controller manager: every kin controller under one Manager, with leader election on a Lease in kube-system.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { setMaxListeners } from 'node:events';
import { parseArgs } from 'node:util';
import { ApiClient } from '../client/index.js';
import { httpsTransport, targetFromKubeconfig } from './https-transport.js';
import { ApiEventRecorder, Manager, SharedInformerFactory, type EventRecorder, type Runnable } from '../controllers/index.js';
import { GarbageCollector } from '../controllers/garbagecollector/index.js';
import { newNamespaceController } from '../controllers/namespace/index.js';
import { newServiceAccountsController, newTokensController } from '../controllers/serviceaccount/index.js';
import { legacyTokenSigner } from '../auth/index.js';
import { newRootCaPublisher } from '../controllers/rootcacertpublisher/index.js';
import { newPvcProtectionController } from '../controllers/volume/pvcprotection/index.js';
import { newPvProtectionController } from '../controllers/volume/pvprotection/index.js';
import { newPersistentVolumeBinderController } from '../controllers/volume/persistentvolume/index.js';
import { newScheduler } from '../controllers/scheduler/index.js';
import { newResourceQuotaController } from '../controllers/resourcequota/index.js';
import { newClusterRoleAggregationController } from '../controllers/clusterroleaggregation/index.js';
import { newNodeLifecycleController } from '../controllers/nodelifecycle/index.js';
import { newReplicaSetController, newReplicationControllerController } from '../controllers/replicaset/index.js';
import { newDeploymentController } from '../controllers/deployment/index.js';
import { newEndpointSliceController } from '../controllers/endpointslice/index.js';
import { newEndpointsController } from '../controllers/endpoint/index.js';
import { IpPool, newServiceLbController } from '../controllers/servicelb/index.js';
import { newDisruptionController } from '../controllers/disruption/index.js';
import { newStatefulSetController } from '../controllers/statefulset/index.js';
import { newDaemonSetController } from '../controllers/daemonset/index.js';
import { newJobController } from '../controllers/job/index.js';
import { newCronJobController } from '../controllers/cronjob/index.js';
import { newTtlAfterFinishedController } from '../controllers/ttlafterfinished/index.js';
import { newPodGcController } from '../controllers/podgc/index.js';
import { jsonLogger, silentLogger, systemClock, type Clock, type LogLevel, type Logger } from '../util/index.js';

/** What a controller is built from. */
export interface ControllerContext {
  client: ApiClient;
  informers: SharedInformerFactory;
  clock: Clock;
  logger: Logger;
  /** The cluster CA certificate (PEM) the root CA publisher hands to every namespace; without it, it idles. */
  caCertPem?: string;
  /** Addresses for LoadBalancer Services (CIDR or FIRST-LAST; default: the service-lb controller's pool). */
  loadBalancerPool?: string;
  /** The service-account private key (PEM) the tokens controller signs legacy tokens with; without it, it idles. */
  serviceAccountKeyPem?: string;
  /** The event recorder of a component (`deployment-controller`, `default-scheduler`, ...). */
  recorder(component: string): EventRecorder;
}

/** One controller the manager runs: its name and how it is built. */
export interface ControllerFactory {
  name: string;
  create(ctx: ControllerContext): Runnable;
}

/** Every controller kin runs (others append theirs here). */
export const controllerFactories: ControllerFactory[] = [
  { name: 'garbage-collector', create: (ctx) => new GarbageCollector({ client: ctx.client, informers: ctx.informers, logger: ctx.logger }) },
  { name: 'namespace', create: (ctx) => newNamespaceController(ctx.informers, { client: ctx.client, clock: ctx.clock, logger: ctx.logger, writeConditions: true }) },
  { name: 'serviceaccount', create: (ctx) => newServiceAccountsController(ctx.informers, { client: ctx.client, clock: ctx.clock, logger: ctx.logger }) },
  { name: 'serviceaccount-token', create: (ctx) => newTokensController(ctx.informers, { client: ctx.client, generateToken: ctx.serviceAccountKeyPem === undefined ? undefined : legacyTokenSigner(ctx.serviceAccountKeyPem), caCertPem: ctx.caCertPem, clock: ctx.clock, logger: ctx.logger }) },
  {
    name: 'root-ca-cert-publisher',
    create: (ctx) =>
      ctx.caCertPem !== undefined
        ? newRootCaPublisher(ctx.informers, { client: ctx.client, caCertPem: ctx.caCertPem, clock: ctx.clock, logger: ctx.logger })
        : { name: 'root-ca-cert-publisher', run: (signal) => new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })) },
  },
  { name: 'persistentvolumeclaim-protection', create: (ctx) => newPvcProtectionController(ctx.informers, { client: ctx.client, clock: ctx.clock, logger: ctx.logger }) },
  { name: 'persistentvolume-protection', create: (ctx) => newPvProtectionController(ctx.informers, { client: ctx.client, clock: ctx.clock, logger: ctx.logger }) },
  { name: 'persistentvolume-binder', create: (ctx) => newPersistentVolumeBinderController(ctx.informers, { client: ctx.client, recorder: ctx.recorder('persistentvolume-controller'), clock: ctx.clock, logger: ctx.logger }) },
  { name: 'resourcequota', create: (ctx) => newResourceQuotaController(ctx.informers, { client: ctx.client, clock: ctx.clock, logger: ctx.logger }) },
  { name: 'scheduler', create: (ctx) => newScheduler(ctx.informers, { client: ctx.client, recorder: ctx.recorder('default-scheduler'), clock: ctx.clock, logger: ctx.logger }) },
  { name: 'clusterrole-aggregation', create: (ctx) => newClusterRoleAggregationController(ctx.informers, { client: ctx.client, clock: ctx.clock, logger: ctx.logger }) },
  { name: 'node-lifecycle', create: (ctx) => newNodeLifecycleController(ctx.informers, { client: ctx.client, recorder: ctx.recorder('node-controller'), evictionRecorder: ctx.recorder('taint-eviction-controller'), clock: ctx.clock, logger: ctx.logger }) },
  { name: 'deployment', create: (ctx) => newDeploymentController(ctx.informers, { client: ctx.client, recorder: ctx.recorder('deployment-controller'), clock: ctx.clock, logger: ctx.logger }) },
  { name: 'replicaset', create: (ctx) => newReplicaSetController(ctx.informers, { client: ctx.client, recorder: ctx.recorder('replicaset-controller'), clock: ctx.clock, logger: ctx.logger }) },
  { name: 'replicationcontroller', create: (ctx) => newReplicationControllerController(ctx.informers, { client: ctx.client, recorder: ctx.recorder('replication-controller'), clock: ctx.clock, logger: ctx.logger }) },
  { name: 'endpointslice', create: (ctx) => newEndpointSliceController(ctx.informers, { client: ctx.client, recorder: ctx.recorder('endpoint-slice-controller'), clock: ctx.clock, logger: ctx.logger }) },
  { name: 'endpoints', create: (ctx) => newEndpointsController(ctx.informers, { client: ctx.client, recorder: ctx.recorder('endpoint-controller'), clock: ctx.clock, logger: ctx.logger }) },
  { name: 'service-lb', create: (ctx) => newServiceLbController(ctx.informers, { client: ctx.client, recorder: ctx.recorder('service-controller'), clock: ctx.clock, logger: ctx.logger, ...(ctx.loadBalancerPool !== undefined ? { pool: ctx.loadBalancerPool } : {}) }) },
  { name: 'disruption', create: (ctx) => newDisruptionController(ctx.informers, { client: ctx.client, recorder: ctx.recorder('controllermanager'), clock: ctx.clock, logger: ctx.logger }) },
  { name: 'statefulset', create: (ctx) => newStatefulSetController(ctx.informers, { client: ctx.client, recorder: ctx.recorder('statefulset-controller'), clock: ctx.clock, logger: ctx.logger }) },
  { name: 'daemonset', create: (ctx) => newDaemonSetController(ctx.informers, { client: ctx.client, recorder: ctx.recorder('daemonset-controller'), clock: ctx.clock, logger: ctx.logger }) },
  { name: 'job', create: (ctx) => newJobController(ctx.informers, { client: ctx.client, recorder: ctx.recorder('job-controller'), clock: ctx.clock, logger: ctx.logger }) },
  { name: 'cronjob', create: (ctx) => newCronJobController(ctx.informers, { client: ctx.client, recorder: ctx.recorder('cronjob-controller'), clock: ctx.clock, logger: ctx.logger }) },
  { name: 'ttl-after-finished', create: (ctx) => newTtlAfterFinishedController(ctx.informers, { client: ctx.client, clock: ctx.clock, logger: ctx.logger }) },
  { name: 'pod-garbage-collector', create: (ctx) => newPodGcController(ctx.informers, { client: ctx.client, clock: ctx.clock, logger: ctx.logger }) },
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
  /** The cluster CA certificate (PEM) for the root CA publisher. */
  caCertPem?: string;
  /** Addresses for LoadBalancer Services (`kin up --load-balancer-ips`). */
  loadBalancerPool?: string;
  /** The service-account private key (PEM) for the tokens controller. */
  serviceAccountKeyPem?: string;
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
  const recorders = new Map<string, EventRecorder>();
  const recorder = (component: string): EventRecorder => {
    let r = recorders.get(component);
    if (!r) recorders.set(component, (r = new ApiEventRecorder({ client: opts.client, component, clock, logger })));
    return r;
  };
  const ctx: ControllerContext = { client: opts.client, informers, clock, logger, recorder, ...(opts.caCertPem !== undefined ? { caCertPem: opts.caCertPem } : {}), ...(opts.loadBalancerPool !== undefined ? { loadBalancerPool: opts.loadBalancerPool } : {}), ...(opts.serviceAccountKeyPem !== undefined ? { serviceAccountKeyPem: opts.serviceAccountKeyPem } : {}) };
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

const help = `kin controller-manager — run kin's controllers against an API server over HTTPS

Flags:
  --kubeconfig FILE   kubeconfig whose current context to use (default $KUBECONFIG or ~/.kube/config)
  --leader-elect      hold the kube-system/kube-controller-manager Lease while running (default true)
  --log-level LEVEL   debug, info, warn, error (default info)
  --load-balancer-ips CIDR|FIRST-LAST  addresses LoadBalancer Services get (default 172.30.255.0/24)
  --service-account-private-key-file FILE  PEM key that signs legacy service-account tokens (kin up: <data-dir>/pki/sa.key)
`;

/** `kin controller-manager`: runs the controllers over HTTPS until SIGINT or SIGTERM. */
export async function controllerManagerCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { kubeconfig: { type: 'string' }, 'leader-elect': { type: 'string' }, 'log-level': { type: 'string' }, 'load-balancer-ips': { type: 'string' }, 'service-account-private-key-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(help);
    return;
  }
  const path = values.kubeconfig ?? env['KUBECONFIG']?.split(':')[0] ?? `${env['HOME'] ?? ''}/.kube/config`;
  const logger = jsonLogger({ level: (values['log-level'] ?? 'info') as LogLevel });
  const loadBalancerPool = values['load-balancer-ips'];
  if (loadBalancerPool !== undefined) IpPool.parse(loadBalancerPool); // throws a message naming what is wrong
  // One informer per resource listens on the same abort signals: more than Node's default of 10.
  setMaxListeners(0);
  const client = new ApiClient(httpsTransport(await targetFromKubeconfig(path)), 'kin-controller-manager');
  const keyFile = values['service-account-private-key-file'];
  const serviceAccountKeyPem = keyFile === undefined ? undefined : await readFile(keyFile, 'utf8');
  const running = startControllerManager({ client, logger, leaderElection: values['leader-elect'] !== 'false', ...(loadBalancerPool !== undefined ? { loadBalancerPool } : {}), ...(serviceAccountKeyPem !== undefined ? { serviceAccountKeyPem } : {}) });
  await new Promise<void>((resolve) => {
    const stop = () => void running.stop().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    void running.done.then(resolve, (e: unknown) => {
      process.stderr.write(`kin controller-manager: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
      resolve();
    });
  });
}
