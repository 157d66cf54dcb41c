// `kin kubelet --simulated`: simulated nodes joining a cluster from their own process; and the wiring `kin up`
// uses to run simulated nodes in-process (one pod watch and one node watch for all of them).
import { setMaxListeners } from 'node:events';
import { parseArgs } from 'node:util';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../api/index.js';
import { ApiClient, bodyText, type Transport } from '../client/index.js';
import { ApiEventRecorder, SharedInformer } from '../controllers/index.js';
import { nodeNames, SimulatedNodePool, type KubeletEventRecorder } from '../kubelet/index.js';
import { jsonLogger, silentLogger, systemClock, type Clock, type LogLevel, type Logger } from '../util/index.js';
import { httpsTransport, targetFromKubeconfig } from './https-transport.js';

/** Simulated nodes running in this process. */
export interface RunningNodes {
  pool: SimulatedNodePool;
  /** Resolves when the nodes stopped. */
  done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * A transport that lets at most `max` requests through at once (the rest wait in order). Events of a thousand
 * kubelets go through one of these, so they never crowd out lease renewals and pod status writes.
 */
export function limitTransport(inner: Transport, max: number): Transport {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (req) => {
    if (active >= max) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await inner(req);
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** Starts `names` simulated nodes against the API `client` talks to. */
export function startSimulatedNodes(opts: { client: ApiClient; names: string[]; kubeletVersion: string; clock?: Clock; logger?: Logger }): RunningNodes {
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? silentLogger;
  const pods = new SharedInformer<Pod & KubeObject>({ client: opts.client.resource({ group: '', version: 'v1', plural: 'pods', namespaced: true }), fieldSelector: 'spec.nodeName!=', clock, logger });
  const nodes = new SharedInformer<Node & KubeObject>({ client: opts.client.resource({ group: '', version: 'v1', plural: 'nodes', namespaced: false }), clock, logger });
  const recorders = new Map<string, KubeletEventRecorder>();
  const eventClient = new ApiClient(limitTransport(opts.client.transport, 2), 'kin-kubelet');
  const pool = new SimulatedNodePool({
    client: opts.client,
    names: opts.names,
    kubeletVersion: opts.kubeletVersion,
    pods,
    nodes,
    recorderFor: (host) => {
      let r = recorders.get(host);
      if (!r) recorders.set(host, (r = new ApiEventRecorder({ client: eventClient, component: 'kubelet', host, clock, logger })));
      return r;
    },
    clock,
    logger,
  });
  const abort = new AbortController();
  const done = pool.run(abort.signal).catch((e: unknown) => logger.error('simulated nodes stopped', { error: e instanceof Error ? e.message : String(e) }));
  return {
    pool,
    done,
    async stop() {
      abort.abort();
      await done;
    },
  };
}

const help = `kin kubelet — run simulated nodes that join a cluster over HTTPS

Flags:
  --simulated           run simulated nodes (containers run nothing; see the README's "Simulated nodes")
  --nodes N             how many nodes (default 1)
  --node-name-prefix P  nodes are named P-1 ... P-N (default kin-worker)
  --kubeconfig FILE     kubeconfig whose current context to use (default $KUBECONFIG or ~/.kube/config)
  --log-level LEVEL     debug, info, warn, error (default info)
`;

/** `kin kubelet`: runs simulated nodes until SIGINT or SIGTERM. */
export async function kubeletCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      simulated: { type: 'boolean' },
      nodes: { type: 'string' },
      'node-name-prefix': { type: 'string' },
      kubeconfig: { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(help);
    return;
  }
  if (!values.simulated) throw new Error('only simulated nodes are available: pass --simulated');
  const count = Number(values.nodes ?? '1');
  if (!Number.isInteger(count) || count < 1) throw new Error(`--nodes: not a positive number: ${values.nodes}`);
  const path = values.kubeconfig ?? env['KUBECONFIG']?.split(':')[0] ?? `${env['HOME'] ?? ''}/.kube/config`;
  const logger = jsonLogger({ level: (values['log-level'] ?? 'info') as LogLevel });
  setMaxListeners(0);
  const transport = httpsTransport(await targetFromKubeconfig(path));
  const client = new ApiClient(transport, 'kin-kubelet');
  // Nodes report the server's version, as a kubelet of the same release would.
  const res = await transport({ method: 'GET', path: '/version', query: new URLSearchParams(), headers: { accept: 'application/json' }, body: new Uint8Array(), signal: new AbortController().signal });
  const version = (JSON.parse(await bodyText(res.body)) as { gitVersion?: string }).gitVersion ?? 'v0.0.0';
  const names = nodeNames(values['node-name-prefix'] ?? 'kin-worker', count);
  const running = startSimulatedNodes({ client, names, kubeletVersion: version, logger });
  void running.pool.registered.then(() => process.stdout.write(`kin kubelet ready: ${names.join(',')}\n`));
  await new Promise<void>((resolve) => {
    const stop = () => void running.stop().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
