// A pod worker: one pod's lifecycle on a node — init containers in order, app containers, readiness, restarts with
// CrashLoopBackOff, the active deadline, graceful termination — as container statuses the kubelet reports.
import type { Container, ContainerState, Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { rfc3339, type Clock, type Logger } from '../util/index.js';
import { buildPodStatus, podPhase, restartDelayMs, goDuration, type PodPhase } from './pod-status.js';
import { fieldPathOf, newSlot, type Slot } from './container-slot.js';
import { readinessAllowed } from './simulated-runtime.js';
import { WorkloadError, type PodRef, type PulledImage, type WorkloadRuntime } from './runtime.js';

/** Records events about objects (the kubelet's own: component `kubelet`, host = node name). */
export interface KubeletEventRecorder {
  event(obj: { apiVersion?: string; kind?: string; metadata?: Pod['metadata'] }, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string): void;
}

/** What a pod worker needs from its node. */
export interface PodWorkerHost {
  readonly clock: Clock;
  readonly runtime: WorkloadRuntime;
  readonly recorder: KubeletEventRecorder;
  readonly logger: Logger;
  readonly hostIP: string;
  /** An IP from the node's pod CIDR (undefined when the range is used up). */
  allocateIP(uid: string, want?: string): string | undefined;
  releaseIP(uid: string): void;
  /** Makes a container's image present as its imagePullPolicy says, recording Pulling/Pulled events. */
  ensureImage(pod: Pod, container: Container, fieldPath: string, signal: AbortSignal): Promise<PulledImage>;
  /** The worker's status changed: write it (soon). */
  statusChanged(worker: PodWorker): void;
  /** Every container of a deleted pod has stopped: write the final status and delete the pod object. */
  terminated(worker: PodWorker): void;
}

/** A container restarted after running this long starts its back-off over (the kubelet's 10 minutes). */
const backoffResetMs = 10 * 60_000;


/** One pod's lifecycle on a node. The kubelet creates it when a pod is bound to its node and feeds it updates. */
export class PodWorker {
  readonly uid: string;
  private pod: Pod;
  private readonly slots: Slot[];
  private startTime: string | undefined;
  private podIP: string | undefined;
  private terminal: PodPhase | undefined;
  private reason: { reason: string; message: string } | undefined;
  private terminating: { deadlineMono: number } | undefined;
  private finishedTermination = false;
  private gone = false;
  private readonly abort = new AbortController();
  private deadlineTimer: (() => void) | undefined;

  constructor(
    pod: Pod,
    private readonly host: PodWorkerHost,
  ) {
    this.pod = pod;
    this.uid = pod.metadata?.uid ?? '';
    const inits = (pod.spec?.initContainers ?? []).map((c) => newSlot(c, true, pod));
    this.slots = [...inits, ...(pod.spec?.containers ?? []).map((c) => newSlot(c, false, pod))];
    // Restart counts carry over from a status this node posted before it restarted.
    for (const s of this.slots) {
      const prev = (s.init ? pod.status?.initContainerStatuses : pod.status?.containerStatuses)?.find((c) => c.name === s.spec.name);
      if (prev?.restartCount) s.status.restartCount = prev.restartCount;
    }
  }

  /** The pod as last seen. */
  get current(): Pod {
    return this.pod;
  }

  /** `namespace/name`. */
  get key(): string {
    return `${this.pod.metadata?.namespace ?? ''}/${this.pod.metadata?.name ?? ''}`;
  }

  /** True once the pod's containers all stopped for good (terminal phase, or terminated after deletion). */
  get done(): boolean {
    return this.terminal !== undefined || this.finishedTermination;
  }

  /** Takes a newer version of the pod and acts on it (start what must run, or begin graceful termination). */
  update(pod: Pod): void {
    if (this.gone) return;
    this.pod = pod;
    const m = pod.metadata ?? {};
    if (m.deletionTimestamp) {
      this.terminate((m.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000);
      return;
    }
    // A changed image (the one pod field that may change) restarts the container with the new one.
    for (const s of this.slots) {
      const spec = (s.init ? pod.spec?.initContainers : pod.spec?.containers)?.find((c) => c.name === s.spec.name);
      if (!spec || spec.image === s.spec.image) continue;
      s.spec = spec;
      s.status.image = spec.image ?? '';
      if (s.workload && !s.restartForChange) {
        s.restartForChange = true;
        this.host.recorder.event(pod, 'Normal', 'Killing', `Container ${spec.name} definition changed, will be restarted`, fieldPathOf(s));
        void s.workload.stop((pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000);
      }
    }
    // Readiness follows the kin.dev/ready annotations as they change.
    for (const s of this.slots) {
      if (!s.workload || (s.init && !s.sidecar)) continue;
      const ready = s.probeReady && readinessAllowed(m.annotations ?? {}, s.spec.name);
      if (ready !== s.status.ready) {
        s.status.ready = ready;
        this.changed();
      }
    }
    this.step();
  }

  /** Stops everything at once without writing anything more: the pod object is gone. */
  forget(): void {
    if (this.gone) return;
    this.gone = true;
    this.abort.abort();
    this.deadlineTimer?.();
    for (const s of this.slots) {
      s.run++;
      for (const t of s.timers.splice(0)) t();
      void s.workload?.stop(0);
      s.workload = undefined;
    }
    this.host.releaseIP(this.uid);
  }

  private ref(): PodRef {
    const m = this.pod.metadata ?? {};
    return { namespace: m.namespace ?? '', name: m.name ?? '', uid: this.uid, annotations: m.annotations ?? {} };
  }

  private podDesc(): string {
    const r = this.ref();
    return `${r.name}_${r.namespace}(${r.uid})`;
  }

  private now(): string {
    return rfc3339(this.host.clock.now());
  }

  private changed(): void {
    if (!this.gone) this.host.statusChanged(this);
  }

  /** Starts whatever should run next. */
  private step(): void {
    if (this.gone || this.terminating || this.terminal) return;
    if (!this.startTime) {
      // A pod this node ran before (the kubelet restarted) keeps its start time and IP.
      this.startTime = this.pod.status?.startTime ?? this.now();
      // A host-network pod has the node's IP; others get one from the node's pod CIDR.
      this.podIP = this.pod.spec?.hostNetwork ? this.host.hostIP : this.host.allocateIP(this.uid, this.pod.status?.podIP);
      const ads = this.pod.spec?.activeDeadlineSeconds;
      if (ads !== undefined && ads !== null) this.deadlineTimer = this.host.clock.setTimer(() => this.deadlineExceeded(), ads * 1000);
      this.changed();
    }
    for (const s of this.slots) {
      if (!s.init) continue;
      if (s.sidecar) {
        this.ensureRunning(s);
        if (!s.status.started) return;
        continue;
      }
      if (s.status.state?.terminated?.exitCode === 0) continue;
      this.ensureRunning(s);
      return;
    }
    for (const s of this.slots) if (!s.init) this.ensureRunning(s);
  }

  private ensureRunning(s: Slot): void {
    // Running, starting, backing off, or finished for good (restarts go through the back-off path): nothing to do.
    if (s.workload || s.busy || s.timers.length > 0 || s.status.state?.terminated) return;
    void this.launch(s);
  }

  private async launch(s: Slot): Promise<void> {
    const run = ++s.run;
    s.busy = true;
    const fieldPath = fieldPathOf(s);
    const stale = () => this.gone || this.terminating !== undefined || this.terminal !== undefined || run !== s.run;
    try {
      if (!s.status.state?.waiting || s.status.state.waiting.reason === 'PodInitializing') {
        s.status.state = { waiting: { reason: 'ContainerCreating' } };
        this.changed();
      }
      const image = await this.host.ensureImage(this.pod, s.spec, fieldPath, this.abort.signal);
      if (stale()) return;
      const workload = await this.host.runtime.start({ pod: this.ref(), container: s.spec, init: s.init, restartCount: s.status.restartCount, podIP: this.podIP ?? '' }, { stdout: () => undefined, stderr: () => undefined });
      if (stale()) {
        void workload.stop(0);
        return;
      }
      const pod = this.pod;
      this.host.recorder.event(pod, 'Normal', 'Created', `Created container: ${s.spec.name}`, fieldPath);
      this.host.recorder.event(pod, 'Normal', 'Started', `Started container ${s.spec.name}`, fieldPath);
      s.workload = workload;
      s.startedMono = this.host.clock.monotonic();
      s.status = { ...s.status, imageID: image.imageID, containerID: `${this.host.runtime.name}://${workload.id}`, started: false, ready: false, state: { running: { startedAt: this.now() } } };
      this.armProbes(s, run);
      void workload.exited.then((e) => this.onExit(s, run, e.exitCode, e.reason, e.message));
    } catch (e) {
      if (stale()) return;
      const reason = e instanceof WorkloadError ? e.reason : 'RunContainerError';
      const message = e instanceof Error ? e.message : String(e);
      this.host.recorder.event(this.pod, 'Warning', 'Failed', `Error: ${message}`, fieldPath);
      s.status.state = { waiting: { reason, message } };
      const delay = restartDelayMs(++s.backoffs);
      s.timers.push(
        this.host.clock.setTimer(() => {
          s.timers = [];
          if (run !== s.run || this.gone) return;
          s.status.state = { waiting: { reason: 'ContainerCreating' } };
          void this.launch(s);
        }, delay),
      );
    } finally {
      if (run === s.run) s.busy = false;
      this.changed();
      this.step();
    }
  }

  /** Simulated probes always succeed: `started` after the startup probe's initial delay, `ready` after readiness'. */
  private armProbes(s: Slot, run: number): void {
    const startupDelay = (s.spec.startupProbe?.initialDelaySeconds ?? 0) * 1000;
    const markStarted = () => {
      if (run !== s.run || !s.workload) return;
      s.status.started = true;
      if (s.init && !s.sidecar) {
        this.changed();
        return;
      }
      const readyDelay = s.spec.readinessProbe ? (s.spec.readinessProbe.initialDelaySeconds ?? 0) * 1000 : 0;
      const markReady = () => {
        if (run !== s.run || !s.workload) return;
        s.probeReady = true;
        s.status.ready = readinessAllowed(this.pod.metadata?.annotations ?? {}, s.spec.name);
        this.changed();
      };
      if (readyDelay > 0) s.timers.push(this.host.clock.setTimer(markReady, readyDelay));
      else {
        s.probeReady = true;
        s.status.ready = readinessAllowed(this.pod.metadata?.annotations ?? {}, s.spec.name);
      }
      this.changed();
      this.step(); // a started sidecar lets the next init container go
    };
    if (startupDelay > 0 && s.spec.startupProbe) s.timers.push(this.host.clock.setTimer(markStarted, startupDelay));
    else markStarted();
  }

  private onExit(s: Slot, run: number, exitCode: number, reason: string, message: string | undefined): void {
    if (run !== s.run && !this.terminating) return;
    if (this.gone || s.workload === undefined) return;
    for (const t of s.timers.splice(0)) t();
    const terminated: NonNullable<ContainerState['terminated']> = {
      exitCode,
      reason,
      startedAt: s.status.state?.running?.startedAt ?? this.now(),
      finishedAt: this.now(),
      containerID: s.status.containerID ?? '',
    };
    if (message) terminated.message = message;
    s.workload = undefined;
    s.probeReady = false;
    s.status = { ...s.status, started: false, ready: s.init && !s.sidecar && exitCode === 0, state: { terminated } };
    if (this.terminating) {
      this.changed();
      this.checkTerminated();
      return;
    }
    if (this.terminal) {
      this.changed();
      return;
    }
    const policy = this.pod.spec?.restartPolicy ?? 'Always';
    const changed = s.restartForChange;
    s.restartForChange = false;
    const restart = changed || s.sidecar || (s.init ? exitCode !== 0 && policy !== 'Never' : policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0));
    if (!restart) {
      this.changed();
      this.settlePhase();
      this.step();
      return;
    }
    if (this.host.clock.monotonic() - s.startedMono >= backoffResetMs) s.backoffs = 0;
    const delay = changed ? 0 : restartDelayMs(s.backoffs++);
    s.status.restartCount = (s.status.restartCount ?? 0) + 1;
    s.status.lastState = { terminated };
    const again = ++s.run;
    const relaunch = () => {
      s.timers = [];
      s.busy = false;
      if (again !== s.run || this.gone || this.terminating || this.terminal) return;
      s.status.state = { waiting: { reason: 'ContainerCreating' } };
      void this.launch(s);
    };
    if (delay === 0) {
      s.status.state = { waiting: { reason: 'ContainerCreating' } };
      s.busy = true; // the restart below is already on its way
      this.changed();
      queueMicrotask(relaunch);
      return;
    }
    s.status.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(delay)} restarting failed container=${s.spec.name} pod=${this.podDesc()}` } };
    this.host.recorder.event(this.pod, 'Warning', 'BackOff', `Back-off restarting failed container ${s.spec.name} in pod ${this.podDesc()}`, fieldPathOf(s));
    s.timers.push(this.host.clock.setTimer(relaunch, delay));
    this.changed();
  }

  /** Once nothing will run again (a failed init container under Never, every app container finished), the phase is final. */
  private settlePhase(): void {
    const phase = this.phase();
    if (phase !== 'Succeeded' && phase !== 'Failed') return;
    this.terminal = phase;
    this.deadlineTimer?.();
    // Sidecars and containers still running (a failed init container's pod) are stopped; the IP goes back to the node.
    for (const s of this.slots) {
      for (const t of s.timers.splice(0)) t();
      if (s.workload) void s.workload.stop((this.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000);
    }
    this.host.releaseIP(this.uid);
    this.changed();
  }

  private deadlineExceeded(): void {
    if (this.gone || this.terminating || this.terminal) return;
    this.reason = { reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' };
    this.host.recorder.event(this.pod, 'Normal', 'DeadlineExceeded', this.reason.message);
    this.terminal = 'Failed';
    this.stopAll((this.pod.spec?.terminationGracePeriodSeconds ?? 30) * 1000);
    this.host.releaseIP(this.uid);
    this.changed();
  }

  private stopAll(graceMs: number): void {
    for (const s of this.slots) {
      s.run++;
      for (const t of s.timers.splice(0)) t();
      if (s.workload) {
        this.host.recorder.event(this.pod, 'Normal', 'Killing', `Stopping container ${s.spec.name}`, fieldPathOf(s));
        const w = s.workload;
        const run = s.run;
        void w.stop(graceMs).then((e) => {
          if (s.workload === w) this.onExit(s, run, e.exitCode, e.reason, e.message);
        });
      }
    }
  }

  /** Graceful deletion: every container is asked to stop within the grace period; then the pod object goes. */
  terminate(graceMs: number): void {
    if (this.gone) return;
    const deadline = this.host.clock.monotonic() + graceMs;
    if (this.terminating) {
      // A shorter grace period (a second delete) stops what still runs sooner.
      if (deadline < this.terminating.deadlineMono) {
        this.terminating.deadlineMono = deadline;
        this.stopAll(graceMs);
      }
      return;
    }
    this.terminating = { deadlineMono: deadline };
    this.deadlineTimer?.();
    this.stopAll(graceMs);
    this.changed();
    this.checkTerminated();
  }

  private checkTerminated(): void {
    if (this.finishedTermination || this.slots.some((s) => s.workload)) return;
    this.finishedTermination = true;
    this.host.releaseIP(this.uid);
    this.changed();
    this.host.terminated(this);
  }

  private phase(): PodPhase {
    const spec = this.pod.spec ?? { containers: [] };
    const init = this.slots.filter((s) => s.init).map((s) => s.status);
    const apps = this.slots.filter((s) => !s.init).map((s) => s.status);
    return podPhase(spec, init, apps, this.terminating !== undefined && this.finishedTermination);
  }

  /** The pod's status as this node reports it (the pod's other conditions kept). */
  status(): PodStatus {
    return buildPodStatus({
      pod: this.pod,
      init: this.slots.filter((s) => s.init).map((s) => structuredClone(s.status)),
      apps: this.slots.filter((s) => !s.init).map((s) => structuredClone(s.status)),
      phase: this.terminal ?? this.phase(),
      now: this.now(),
      hostIP: this.host.hostIP,
      ...(this.podIP ? { podIP: this.podIP } : {}),
      ...(this.startTime ? { startTime: this.startTime } : {}),
      ...(this.reason ? { reason: this.reason } : {}),
    });
  }
}
