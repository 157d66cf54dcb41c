// Test support for the workload controllers: a client of an in-process API server (made by the test), an informer factory, and helpers
// that play the kubelet's part (scheduling a pod and making it Ready through the status subresource).
import { bodyText, type ApiClient, type ResourceClient } from '../../client/index.js';
import { rfc3339, systemClock, type Clock } from '../../util/index.js';
import { MemoryEventRecorder, SharedInformerFactory, type Controller } from '../runtime/index.js';
import { podsResource } from './replica-set-controller.js';
import type { Pod } from './pod-utils.js';

/** A running in-process API server with an informer factory; `stop` ends everything started. */
export interface TestCluster {
  client: ApiClient;
  factory: SharedInformerFactory;
  recorder: MemoryEventRecorder;
  pods: ResourceClient<Pod>;
  /** Starts the informers and the controllers and waits for the informers to sync. */
  run(...controllers: Controller[]): Promise<void>;
  stop(): Promise<void>;
}

/** Wraps a client of a fresh API server (tests build it) with an informer factory on `clock`. */
export function testCluster(client: ApiClient, clock: Clock = systemClock, stopServer?: () => Promise<void>): TestCluster {
  const factory = new SharedInformerFactory({ client, clock });
  const abort = new AbortController();
  const runs: Promise<void>[] = [];
  return {
    client,
    factory,
    recorder: new MemoryEventRecorder(),
    pods: client.resource<Pod>(podsResource),
    async run(...controllers) {
      factory.start(abort.signal);
      await factory.waitForCacheSync(abort.signal);
      for (const c of controllers) runs.push(c.run(abort.signal));
    },
    async stop() {
      abort.abort();
      await Promise.all(runs);
      await factory.stopped();
      await stopServer?.();
    },
  };
}

/** Plays the scheduler and kubelet for a pod: binds it to `node`, Running, Ready since `readySinceMs`. */
export async function makePodReady(client: ApiClient, pod: Pod, opts: { node?: string; readySinceMs?: number; ready?: boolean } = {}): Promise<Pod> {
  const ns = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  if (!pod.spec?.nodeName && opts.node !== '') await bindPod(client, ns, name, opts.node ?? 'node-1');
  const since = rfc3339(opts.readySinceMs ?? Date.now());
  const ready = opts.ready ?? true;
  return client.resource<Pod>(podsResource).patch(
    name,
    'merge',
    { status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: since }] } },
    { namespace: ns, subresource: 'status' },
  );
}

/** Binds a pod to a node through the pods/binding subresource, as the scheduler does. */
export async function bindPod(client: ApiClient, namespace: string, name: string, node: string): Promise<void> {
  const body = { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace }, target: { apiVersion: 'v1', kind: 'Node', name: node } };
  const res = await client.transport({
    method: 'POST',
    path: `/api/v1/namespaces/${namespace}/pods/${name}/binding`,
    query: new URLSearchParams(),
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: new TextEncoder().encode(JSON.stringify(body)),
    signal: new AbortController().signal,
  });
  if (res.status >= 300) throw new Error(`binding ${namespace}/${name} failed: ${res.status} ${await bodyText(res.body)}`);
}
