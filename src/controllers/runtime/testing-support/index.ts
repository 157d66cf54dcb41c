// Test helpers of the controller runtime: letting async work settle, waiting for a condition, and a transport
// that records requests and can cut watches or every request (a partition) on demand.
import type { ClientRequest, ClientResponse, Transport } from '../../../client/index.js';
import type { FakeClock } from '../../../util/index.js';

/** Lets pending promise chains and I/O callbacks run (`rounds` event-loop turns); no wall-clock time involved. */
export async function settle(rounds = 30): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

/** Turns the event loop until `cond` holds; throws after `maxTurns` turns (never waits on wall-clock time). */
export async function eventually(cond: () => boolean, what: string, maxTurns = 5000): Promise<void> {
  for (let i = 0; i < maxTurns; i++) {
    if (cond()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`${what}: still not true after ${maxTurns} turns of the event loop`);
}

/** Advances a fake clock by `ms` in steps of `stepMs`, letting async work settle after each step. */
export async function advance(clock: FakeClock, ms: number, stepMs = 100): Promise<void> {
  for (let done = 0; done < ms; done += stepMs) {
    clock.advance(Math.min(stepMs, ms - done));
    await settle();
  }
}

/** One request as the test transport saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  watch: boolean;
}

/**
 * Wraps a transport. `cutWatches` ends every open watch and holds new watch requests until `restoreWatches`;
 * `partition` fails every request (as a refused connection) until `heal`.
 */
export class TestTransport {
  readonly requests: SeenRequest[] = [];
  private readonly openWatches = new Set<AbortController>();
  private gate: { promise: Promise<void>; open: () => void } | undefined;
  private partitioned = false;

  constructor(private readonly inner: Transport) {}

  /** The wrapped transport. */
  readonly transport: Transport = async (req: ClientRequest): Promise<ClientResponse> => {
    const watch = req.query.get('watch') === 'true';
    this.requests.push({ method: req.method, path: req.path, query: new URLSearchParams(req.query), watch });
    if (this.partitioned) throw new Error('connect ECONNREFUSED 127.0.0.1:6443');
    if (!watch) return this.inner(req);
    while (this.gate) {
      const gate = this.gate.promise;
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(new Error('aborted'));
        req.signal.addEventListener('abort', onAbort, { once: true });
        void gate.then(() => {
          req.signal.removeEventListener('abort', onAbort);
          resolve();
        });
      });
    }
    const ac = new AbortController();
    const onAbort = () => ac.abort();
    req.signal.addEventListener('abort', onAbort, { once: true });
    this.openWatches.add(ac);
    const res = await this.inner({ ...req, signal: ac.signal });
    return res;
  };

  /** GETs that are not watches (lists and single reads) seen so far. */
  lists(): SeenRequest[] {
    return this.requests.filter((r) => r.method === 'GET' && !r.watch);
  }

  /** Watches seen so far. */
  watches(): SeenRequest[] {
    return this.requests.filter((r) => r.watch);
  }

  /** Ends every open watch; new ones wait until `restoreWatches`. */
  cutWatches(): void {
    if (!this.gate) {
      let open!: () => void;
      const promise = new Promise<void>((r) => (open = r));
      this.gate = { promise, open };
    }
    for (const ac of this.openWatches) ac.abort();
    this.openWatches.clear();
  }

  /** Lets watches through again. */
  restoreWatches(): void {
    const g = this.gate;
    this.gate = undefined;
    g?.open();
  }

  /** Fails every request from now on. */
  partition(): void {
    this.partitioned = true;
    for (const ac of this.openWatches) ac.abort();
    this.openWatches.clear();
  }

  /** Lets requests through again. */
  heal(): void {
    this.partitioned = false;
  }
}
