// One container of a pod worker: its spec, the status the kubelet reports for it, and the run in progress.
import type { Container, ContainerStatus, Pod } from 'kubernetes-types/core/v1.js';
import { isSidecar } from './pod-status.js';
import type { RunningWorkload } from './runtime.js';

/** A container as a pod worker tracks it. */
export interface Slot {
  spec: Container;
  init: boolean;
  sidecar: boolean;
  status: ContainerStatus;
  workload: RunningWorkload | undefined;
  /** Bumped on every launch, stop and cancel: callbacks of an older run are ignored. */
  run: number;
  busy: boolean;
  backoffs: number;
  startedMono: number;
  /** The simulated readiness probe has passed (its initial delay is over). */
  probeReady: boolean;
  /** The container's image changed while it ran: it is being stopped to start again with the new one. */
  restartForChange: boolean;
  timers: (() => void)[];
}

/** The event field path of a container (`spec.containers{app}`). */
export function fieldPathOf(s: Slot): string {
  return s.init ? `spec.initContainers{${s.spec.name}}` : `spec.containers{${s.spec.name}}`;
}

/** A container not started yet: waiting, PodInitializing behind init containers, else ContainerCreating. */
export function newSlot(spec: Container, init: boolean, pod: Pod): Slot {
  const behindInit = init || (pod.spec?.initContainers?.length ?? 0) > 0;
  return {
    spec,
    init,
    sidecar: init && isSidecar(spec),
    status: { name: spec.name, image: spec.image ?? '', imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason: behindInit ? 'PodInitializing' : 'ContainerCreating' } }, lastState: {} },
    workload: undefined,
    run: 0,
    busy: false,
    backoffs: 0,
    startedMono: 0,
    probeReady: false,
    restartForChange: false,
    timers: [],
  };
}
