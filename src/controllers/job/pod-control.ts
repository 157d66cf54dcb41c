// The Job controller's writes to pods: create from the template (with the tracking finalizer, controller reference,
// and for Indexed Jobs the index annotation, label, hostname and env var), delete, adopt and drop the finalizer;
// each create and delete is told as an Event on the Job.
import type { EnvVar } from 'kubernetes-types/core/v1.js';
import { isNotFound, type ApiClient, type ResourceClient } from '../../client/index.js';
import type { EventRecorder } from '../runtime/index.js';
import {
  jobCompletionIndexAnnotation,
  jobCompletionIndexEnvName,
  jobIndexFailureCountAnnotation,
  jobIndexIgnoredFailureCountAnnotation,
  jobTrackingFinalizer,
  resources,
  type Job,
  type Pod,
} from './types.js';

/** Names made from generateName get 5 random characters; the prefix may be at most this long. */
const maxGeneratedNameLength = 58;

/** The generateName of a Job's pods: `<job>-`, or `<job>-<index>-` for an Indexed Job (the Job name cut to fit). */
export function podGenerateName(jobName: string, index?: number): string {
  if (index === undefined) {
    const prefix = `${jobName}-`;
    return prefix.length > maxGeneratedNameLength ? prefix.slice(0, maxGeneratedNameLength) : prefix;
  }
  const appendix = `-${index}-`;
  const prefix = jobName + appendix;
  return prefix.length > maxGeneratedNameLength ? jobName.slice(0, maxGeneratedNameLength - appendix.length) + appendix : prefix;
}

/** The ownerReference a Job puts on its pods. */
export function jobControllerRef(job: Job) {
  return { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata?.name ?? '', uid: job.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

/** What a new pod is made for: an index of an Indexed Job and the failure counts it inherits. */
export interface PodSlot {
  index?: number;
  failureCount?: number;
  ignoredFailureCount?: number;
}

/** Builds a pod of a Job from its template. */
export function podFromTemplate(job: Job, slot: PodSlot = {}): Pod {
  const tmpl = structuredClone(job.spec?.template ?? {});
  const meta = tmpl.metadata ?? {};
  const labels: Record<string, string> = { ...(meta.labels ?? {}) };
  const annotations: Record<string, string> = { ...(meta.annotations ?? {}) };
  const finalizers = [...(meta.finalizers ?? [])];
  if (!finalizers.includes(jobTrackingFinalizer)) finalizers.push(jobTrackingFinalizer);
  const spec = tmpl.spec ?? { containers: [] };
  if (slot.index !== undefined) {
    annotations[jobCompletionIndexAnnotation] = String(slot.index);
    labels[jobCompletionIndexAnnotation] = String(slot.index);
    spec.hostname = `${job.metadata?.name ?? ''}-${slot.index}`;
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) addIndexEnv((c.env ??= []));
    if (slot.failureCount !== undefined) {
      annotations[jobIndexFailureCountAnnotation] = String(slot.failureCount);
      if ((slot.ignoredFailureCount ?? 0) > 0) annotations[jobIndexIgnoredFailureCountAnnotation] = String(slot.ignoredFailureCount);
    }
  }
  const metadata: NonNullable<Pod['metadata']> = {
    generateName: podGenerateName(job.metadata?.name ?? '', slot.index),
    namespace: job.metadata?.namespace ?? '',
    finalizers,
    ownerReferences: [jobControllerRef(job)],
  };
  if (Object.keys(labels).length) metadata.labels = labels;
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

function addIndexEnv(env: EnvVar[]): void {
  if (env.some((e) => e.name === jobCompletionIndexEnvName)) return;
  env.push({ name: jobCompletionIndexEnvName, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${jobCompletionIndexAnnotation}']` } } });
}

/** Pod writes on behalf of Jobs, recording SuccessfulCreate/FailedCreate and SuccessfulDelete/FailedDelete. */
export class PodControl {
  readonly pods: ResourceClient<Pod>;

  constructor(
    client: ApiClient,
    private readonly recorder: EventRecorder,
  ) {
    this.pods = client.resource<Pod>(resources.pods);
  }

  /** Creates a pod; records the event either way and rethrows a failure. */
  async create(job: Job, pod: Pod, signal: AbortSignal): Promise<Pod> {
    try {
      const created = await this.pods.create(pod, { namespace: job.metadata?.namespace ?? '', signal });
      this.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name ?? ''}`);
      return created;
    } catch (e) {
      this.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
  }

  /** Deletes a pod (a pod already gone counts as deleted). */
  async delete(job: Job, pod: Pod, signal: AbortSignal): Promise<void> {
    const name = pod.metadata?.name ?? '';
    try {
      await this.pods.delete(name, { namespace: pod.metadata?.namespace ?? '', signal });
    } catch (e) {
      if (isNotFound(e)) return;
      this.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${e instanceof Error ? e.message : String(e)}`);
      throw e;
    }
    this.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
  }

  /** Removes the tracking finalizer; true when it is gone (a pod already gone counts). */
  async removeFinalizer(pod: Pod, signal: AbortSignal): Promise<boolean> {
    if (!(pod.metadata?.finalizers ?? []).includes(jobTrackingFinalizer)) return true;
    try {
      const patch = { metadata: { '$deleteFromPrimitiveList/finalizers': [jobTrackingFinalizer] } };
      await this.pods.patch(pod.metadata?.name ?? '', 'strategic', patch, { namespace: pod.metadata?.namespace ?? '', signal });
      return true;
    } catch (e) {
      if (isNotFound(e)) return true;
      throw e;
    }
  }

  /** Makes an orphan pod the Job's: its controller reference and the tracking finalizer, the pod's uid as precondition. */
  async adopt(job: Job, pod: Pod, signal: AbortSignal): Promise<Pod> {
    const patch = { metadata: { ownerReferences: [jobControllerRef(job)], uid: pod.metadata?.uid, finalizers: [jobTrackingFinalizer] } };
    return this.pods.patch(pod.metadata?.name ?? '', 'strategic', patch, { namespace: pod.metadata?.namespace ?? '', signal });
  }
}
