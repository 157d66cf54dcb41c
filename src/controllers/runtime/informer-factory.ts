// Hands out one shared informer per resource (and namespace and selectors) to every controller of a process.
import type { KubeObject } from '../../api/index.js';
import type { ApiClient, ResourceRef } from '../../client/index.js';
import { silentLogger, systemClock, type Clock, type Logger } from '../../util/index.js';
import { SharedInformer } from './informer.js';
import type { Indexers } from './store.js';

/** How a factory builds its informers. */
export interface InformerFactoryOptions {
  client: ApiClient;
  /** The default resync period of handlers (0, the default: never). */
  resyncPeriodMs?: number;
  /** Objects per list page (default 500). */
  pageSize?: number;
  clock?: Clock;
  logger?: Logger;
  random?: () => number;
}

/** Which slice of a resource an informer follows; indexers are added to the shared informer. */
export interface InformerRequest<T extends KubeObject = KubeObject> {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Metadata only (PartialObjectMetadata): a separate informer from the full one of the same resource. */
  metadataOnly?: boolean;
  indexers?: Indexers<T>;
}

/**
 * The informers of a process. Controllers ask for informers while they are built; `start` runs every informer
 * asked for so far and, from then on, each new one as it is made.
 */
export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();
  private readonly runs: Promise<void>[] = [];
  private signal: AbortSignal | undefined;

  constructor(private readonly options: InformerFactoryOptions) {}

  /** The shared informer of a resource (one per resource, namespace and selectors). */
  informerFor<T extends KubeObject = KubeObject>(ref: ResourceRef, req: InformerRequest<T> = {}): SharedInformer<T> {
    const id = `${ref.group}/${ref.version}/${ref.plural}|${req.namespace ?? ''}|${req.labelSelector ?? ''}|${req.fieldSelector ?? ''}|${req.metadataOnly ? 'metadata' : ''}`;
    let inf = this.informers.get(id) as SharedInformer<T> | undefined;
    if (!inf) {
      const o = this.options;
      inf = new SharedInformer<T>({
        client: o.client.resource<T>(ref),
        ...(req.namespace ? { namespace: req.namespace } : {}),
        ...(req.labelSelector ? { labelSelector: req.labelSelector } : {}),
        ...(req.fieldSelector ? { fieldSelector: req.fieldSelector } : {}),
        ...(req.metadataOnly ? { metadataOnly: true } : {}),
        ...(o.resyncPeriodMs !== undefined ? { resyncPeriodMs: o.resyncPeriodMs } : {}),
        ...(o.pageSize !== undefined ? { pageSize: o.pageSize } : {}),
        clock: o.clock ?? systemClock,
        logger: o.logger ?? silentLogger,
        ...(o.random ? { random: o.random } : {}),
      });
      this.informers.set(id, inf as unknown as SharedInformer<KubeObject>);
      if (this.signal) this.runs.push(inf.run(this.signal));
    }
    if (req.indexers) inf.addIndexers(req.indexers);
    return inf;
  }

  /** Runs every informer until `signal` aborts (informers asked for later start at once). Idempotent. */
  start(signal: AbortSignal): void {
    if (this.signal) return;
    this.signal = signal;
    for (const inf of this.informers.values()) this.runs.push(inf.run(signal));
  }

  /** Resolves true once every informer asked for so far has synced, false if `signal` aborts first. */
  async waitForCacheSync(signal: AbortSignal): Promise<boolean> {
    for (const inf of [...this.informers.values()]) if (!(await inf.waitForSync(signal))) return false;
    return true;
  }

  /** True when every informer has synced. */
  hasSynced(): boolean {
    for (const inf of this.informers.values()) if (!inf.hasSynced()) return false;
    return true;
  }

  /** Resolves once every started informer has stopped. */
  async stopped(): Promise<void> {
    await Promise.all(this.runs);
  }
}
