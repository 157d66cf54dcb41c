// The workload runtime seam: how the kubelet starts and stops one container, whatever really runs it
// (simulated here; WebAssembly modules later). Runtimes never see the API: they get a plain description.
import type { Container } from 'kubernetes-types/core/v1.js';

/** The pod a container belongs to, as a runtime sees it. */
export interface PodRef {
  namespace: string;
  name: string;
  uid: string;
  annotations: Readonly<Record<string, string>>;
}

/** What to start: one container of one pod, and which attempt this is. */
export interface ContainerStart {
  pod: PodRef;
  container: Container;
  /** Init containers run to completion one after the other; regular ones run alongside each other. */
  init: boolean;
  /** How many times this container ran before (0 for the first run). */
  restartCount: number;
  /** The pod's IP, for runtimes that serve on it. */
  podIP: string;
}

/** Where a workload's output goes (the kubelet keeps it for `kubectl logs`). */
export interface WorkloadIO {
  stdout(chunk: string): void;
  stderr(chunk: string): void;
}

/** How a workload ended, as container status reports it (`state.terminated`). */
export interface ExitStatus {
  exitCode: number;
  /** `Completed` (exit 0), `Error`, `OOMKilled`, ... */
  reason: string;
  message?: string;
}

/** A started workload. */
export interface RunningWorkload {
  /** The runtime's id of this run; the container status shows `<runtime>://<id>`. */
  readonly id: string;
  /** Resolves once, when the workload ends on its own or after `stop`. Never rejects. */
  readonly exited: Promise<ExitStatus>;
  /** Asks the workload to end (SIGTERM), ends it for good after `graceMs` (SIGKILL); resolves with how it ended. */
  stop(graceMs: number): Promise<ExitStatus>;
}

/** An image made ready on the node: the reference the status reports (`imageID`) and its size. */
export interface PulledImage {
  imageID: string;
  sizeBytes: number;
}

/**
 * Raised by a runtime when an image cannot be pulled or a container cannot be created or started. The kubelet
 * turns it into the container's waiting state (`reason`, `message`) and retries with back-off, never crashing.
 */
export class WorkloadError extends Error {
  constructor(
    /** `ErrImagePull`, `CreateContainerError`, `RunContainerError`, ... */
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'WorkloadError';
  }
}

/**
 * Runs containers for the kubelet. `pullImage` makes an image present on the node (the kubelet keeps track of
 * which are present and honours imagePullPolicy); `start` starts one container and resolves once it runs. Both
 * throw a WorkloadError on failure. A runtime holds no pod state the kubelet does not hand it: the kubelet's pod
 * workers own the lifecycle (ordering, restarts, back-off, readiness, termination).
 */
export interface WorkloadRuntime {
  /** The scheme of container IDs (`simulated`, `wasi`). */
  readonly name: string;
  /** The version reported in nodeInfo.containerRuntimeVersion (`simulated://1.0.0`). */
  readonly version: string;
  pullImage(image: string, signal: AbortSignal): Promise<PulledImage>;
  start(spec: ContainerStart, io: WorkloadIO): Promise<RunningWorkload>;
}
