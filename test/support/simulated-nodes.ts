// Test support: an in-process API server and a pool of simulated nodes on a fake clock.
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { assembleApiServer } from '../../apiserver/assemble.js';
import { builtinStrategies } from '../../cmd/strategies.js';
import { ApiClient, inProcessTransport } from '../../client/index.js';
import { MemoryEventRecorder, SharedInformer } from '../../controllers/runtime/index.js';
import { MemoryBackend, WatchCache } from '../../storage/index.js';
import { FakeClock, silentLogger, systemClock } from '../../util/index.js';
import { nodeNames, SimulatedNodePool } from '../index.js';

/** A started test cluster: client, fake clock, the pool, recorded kubelet events. */
export async function startNodes(count = 1, opts: { startDelayMs?: number } = {}) {
  const api = assembleApiServer({ backend: new WatchCache(new MemoryBackend()), clock: systemClock, logger: silentLogger, serverAddress: '127.0.0.1:0', strategies: builtinStrategies() });
  await api.bootstrap();
  const client = new ApiClient(inProcessTransport(api.handler, { username: 'kin-test', groups: ['system:masters'] }));
  const clock = new FakeClock();
  const events = new MemoryEventRecorder();
  const pods = new SharedInformer<Pod & { metadata?: Record<string, never> }>({ client: client.resource({ group: '', version: 'v1', plural: 'pods', namespaced: true }), fieldSelector: 'spec.nodeName!=', clock });
  const nodes = new SharedInformer<Node & { metadata?: Record<string, never> }>({ client: client.resource({ group: '', version: 'v1', plural: 'nodes', namespaced: false }), clock });
  const { SimulatedRuntime } = await import('../simulated-runtime.js');
  const pool = new SimulatedNodePool({
    client,
    names: nodeNames('kin-node', count),
    kubeletVersion: 'v1.32.0',
    pods: pods as never,
    nodes: nodes as never,
    recorderFor: () => events,
    runtime: new SimulatedRuntime({ clock, startDelayMs: opts.startDelayMs ?? 0 }),
    clock,
  });
  const abort = new AbortController();
  const done = pool.run(abort.signal);
  await pool.registered;
  return { api, client, clock, events, pool, stop: async () => (abort.abort(), await done) };
}
