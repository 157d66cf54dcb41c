// The simulated runtime: containers that run nothing. They "run" until stopped, or exit when the pod asks for it
// through kin.dev annotations, so restart policies, Jobs and graceful deletion can be exercised without workloads.
import { createHash, randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../util/index.js';
import { simulatedImageID } from './images.js';
import type { ContainerStart, ExitStatus, PulledImage, RunningWorkload, WorkloadIO, WorkloadRuntime } from './runtime.js';

/** Pod annotation: regular containers exit after this long (a Go duration: `5s`, `1m30s`, `500ms`). */
export const exitAfterAnnotation = 'kin.dev/exit-after';
/** Pod annotation: the exit code of containers that exit (default 0). */
export const exitCodeAnnotation = 'kin.dev/exit-code';
/** Pod annotation: how long containers take to stop once asked (default 0); past the grace period they are killed. */
export const shutdownDelayAnnotation = 'kin.dev/shutdown-delay';

/** Pod annotation: `"false"` makes containers fail their (simulated) readiness probe until it is changed. */
export const readyAnnotation = 'kin.dev/ready';

/** False when the annotations hold a container not ready (`kin.dev/ready.<container>` wins over `kin.dev/ready`). */
export function readinessAllowed(annotations: Readonly<Record<string, string>>, container: string): boolean {
  return (annotations[`${readyAnnotation}.${container}`] ?? annotations[readyAnnotation]) !== 'false';
}

/** Parses a Go-style duration (`1h2m3s`, `1.5s`, `250ms`) or a plain number of seconds; undefined when invalid. */
export function parseDurationMs(text: string): number | undefined {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = s;
  if (!rest) return undefined;
  while (rest) {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * unit[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return total;
}

/** What the annotations ask of one container: exit after `exitAfterMs` with `exitCode`, stop taking `shutdownDelayMs`. */
export interface SimulatedBehaviour {
  exitAfterMs?: number;
  exitCode: number;
  shutdownDelayMs: number;
}

/**
 * Reads a container's behaviour from pod annotations. `<key>.<container>` wins over `<key>`; the pod-wide keys
 * apply to regular containers only, since init containers always run to completion (exit 0 at once by default).
 */
export function behaviourOf(annotations: Readonly<Record<string, string>>, container: string, init: boolean): SimulatedBehaviour {
  const pick = (key: string): string | undefined => annotations[`${key}.${container}`] ?? (init ? undefined : annotations[key]);
  const exitAfter = pick(exitAfterAnnotation);
  const exitCode = Number.parseInt(pick(exitCodeAnnotation) ?? '0', 10);
  const shutdown = pick(shutdownDelayAnnotation);
  const exitAfterMs = exitAfter !== undefined ? parseDurationMs(exitAfter) : init ? 0 : undefined;
  return {
    ...(exitAfterMs !== undefined ? { exitAfterMs } : {}),
    exitCode: Number.isFinite(exitCode) ? exitCode : 0,
    shutdownDelayMs: (shutdown !== undefined ? parseDurationMs(shutdown) : undefined) ?? 0,
  };
}

function exitOf(code: number): ExitStatus {
  return { exitCode: code, reason: code === 0 ? 'Completed' : 'Error' };
}

class SimulatedWorkload implements RunningWorkload {
  readonly id = randomBytes(32).toString('hex');
  readonly exited: Promise<ExitStatus>;
  private resolve!: (s: ExitStatus) => void;
  private done: ExitStatus | undefined;
  private cancelExit: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly behaviour: SimulatedBehaviour,
  ) {
    this.exited = new Promise((r) => (this.resolve = r));
    if (behaviour.exitAfterMs !== undefined) this.cancelExit = clock.setTimer(() => this.finish(exitOf(behaviour.exitCode)), behaviour.exitAfterMs);
  }

  private finish(s: ExitStatus): void {
    if (this.done) return;
    this.done = s;
    this.cancelExit?.();
    this.resolve(s);
  }

  stop(graceMs: number): Promise<ExitStatus> {
    if (this.done) return this.exited;
    const delay = this.behaviour.shutdownDelayMs;
    // SIGTERM: the simulated program exits cleanly after its shutdown delay; past the grace period, SIGKILL (137).
    if (delay <= graceMs) {
      if (delay === 0) this.finish(exitOf(0));
      else this.clock.setTimer(() => this.finish(exitOf(0)), delay);
    } else {
      this.clock.setTimer(() => this.finish({ exitCode: 137, reason: 'Error' }), Math.max(0, graceMs));
    }
    return this.exited;
  }
}

/** Options of the simulated runtime. */
export interface SimulatedRuntimeOptions {
  clock?: Clock;
  /** How long a pull takes (default 0). */
  pullDelayMs?: number;
  /** How long a container takes to start (default 0). */
  startDelayMs?: number;
}

/** A WorkloadRuntime whose containers run nothing; shared by every simulated node of a process. */
export class SimulatedRuntime implements WorkloadRuntime {
  readonly name = 'simulated';
  readonly version = 'simulated://1.0.0';
  private readonly clock: Clock;

  constructor(private readonly opts: SimulatedRuntimeOptions = {}) {
    this.clock = opts.clock ?? systemClock;
  }

  private wait(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const cancel = this.clock.setTimer(resolve, ms);
      signal?.addEventListener('abort', () => (cancel(), resolve()), { once: true });
    });
  }

  async pullImage(image: string, signal: AbortSignal): Promise<PulledImage> {
    await this.wait(this.opts.pullDelayMs ?? 0, signal);
    const digest = createHash('sha256').update(image).digest();
    return { imageID: simulatedImageID(image), sizeBytes: 5_000_000 + (digest.readUInt32BE(0) % 95_000_000) };
  }

  async start(spec: ContainerStart, _io: WorkloadIO): Promise<RunningWorkload> {
    await this.wait(this.opts.startDelayMs ?? 0);
    return new SimulatedWorkload(this.clock, behaviourOf(spec.pod.annotations, spec.container.name, spec.init));
  }
}
