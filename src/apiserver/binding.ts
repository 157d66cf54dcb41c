// The pods/binding subresource and the namespaced `bindings` collection: how a scheduler assigns a pod to a node.
// A binding writes spec.nodeName and the PodScheduled=True condition straight to storage (as kube-apiserver's
// BindingREST does), so the pod strategy's rule that spec.nodeName may not change on update does not apply.
import type { KubeObject, ResourceInfo } from '../api/index.js';
import { badRequest, conflict, fieldError, invalid, methodNotAllowed, notFound, StatusError, type FieldError } from '../machinery/index.js';
import { cloneObject, decodeObject, encodeObject } from '../registry/codec.js';
import type { GenericStore } from '../registry/generic-store.js';
import { StorageError, type Backend } from '../storage/backend.js';
import { rfc3339, type Clock } from '../util/index.js';
import { checkTypeMeta, decodeObjectBody, UnreadableBodyError, unrecognizedObject, type ProtobufDecoder } from './body.js';
import type { ApiRequest, ApiResponse } from './http.js';
import { jsonResponse } from './respond.js';
import type { VirtualResource } from './server.js';

/** What a binding needs: the pods store (for keys and errors), the backend it writes to, the clock. */
export interface BindingOptions {
  pods: () => GenericStore;
  backend: Backend;
  clock: Clock;
  protobuf?: ProtobufDecoder | undefined;
}

interface Binding extends KubeObject {
  target?: { kind?: string; name?: string; apiVersion?: string };
}

interface PodCondition {
  type: string;
  status: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string | null;
  reason?: string;
  message?: string;
}

const podsTarget = { group: '', resource: 'pods' };
const bindingTarget = { group: '', resource: 'pods/binding' };

function decodeBinding(req: ApiRequest, protobuf: ProtobufDecoder | undefined): Binding {
  let obj: Binding;
  try {
    obj = decodeObjectBody(req.headers['content-type'], req.body, protobuf) as Binding;
  } catch (e) {
    throw e instanceof UnreadableBodyError ? unrecognizedObject('Binding', e, req.body) : e;
  }
  checkTypeMeta(obj, { apiVersion: 'v1', kind: 'Binding' });
  return obj;
}

/** ValidatePodBinding: the target must name a Node. */
function validateBinding(b: Binding): FieldError[] {
  const errs: FieldError[] = [];
  const kind = b.target?.kind ?? '';
  if (kind !== '' && kind !== 'Node') errs.push(fieldError.notSupported('target.kind', kind, ['Node', '<empty>']));
  if (!b.target?.name) errs.push(fieldError.required('target.name', ''));
  return errs;
}

/** Sets the node and the PodScheduled condition of a stored pod; retried on concurrent writes. */
async function assignPod(o: BindingOptions, namespace: string, name: string, b: Binding, dryRun: boolean): Promise<void> {
  const store = o.pods();
  const key = store.key(namespace, name);
  const node = b.target!.name!;
  for (let attempt = 0; attempt < 16; attempt++) {
    const kv = await o.backend.get(key);
    if (!kv) throw notFound({ ...podsTarget, name });
    const pod = cloneObject(decodeObject(kv.value, kv.modRevision)) as KubeObject & { spec?: { nodeName?: string; schedulingGates?: unknown[] }; status?: { conditions?: PodCondition[] } };
    const meta = pod.metadata ?? {};
    const uid = b.metadata?.uid;
    if (uid && uid !== meta.uid) throw conflict({ ...podsTarget, name }, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${meta.uid ?? ''}`);
    if (meta.deletionTimestamp) throw conflict({ ...bindingTarget, name }, `pod ${name} is being deleted, cannot be assigned to a host`);
    if (pod.spec?.nodeName) throw conflict({ ...bindingTarget, name }, `pod ${name} is already assigned to node ${JSON.stringify(pod.spec.nodeName)}`);
    if (pod.spec?.schedulingGates?.length) throw conflict({ ...bindingTarget, name }, `pod ${name} has non-empty .spec.schedulingGates`);
    pod.spec = { ...pod.spec, nodeName: node };
    const annotations = b.metadata?.annotations;
    if (annotations && Object.keys(annotations).length) meta.annotations = { ...meta.annotations, ...annotations };
    const status = (pod.status ??= {});
    const conditions = status.conditions ?? [];
    const now = rfc3339(o.clock.now());
    const i = conditions.findIndex((c) => c.type === 'PodScheduled');
    if (i < 0) conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now });
    else {
      // As UpdatePodCondition: the transition time moves only when the status changes; reason and message are replaced.
      const prev = conditions[i]!;
      conditions[i] = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: prev.status === 'True' ? (prev.lastTransitionTime ?? now) : now };
    }
    status.conditions = conditions;
    delete meta.resourceVersion;
    pod.metadata = meta;
    if (dryRun) return;
    try {
      await o.backend.update(key, encodeObject(pod), kv.modRevision);
      return;
    } catch (e) {
      if (e instanceof StorageError && e.code === 'Conflict') continue;
      if (e instanceof StorageError && e.code === 'NotFound') throw notFound({ ...podsTarget, name });
      throw e;
    }
  }
  throw conflict({ ...bindingTarget, name }, 'too many concurrent updates, please try again');
}

async function bind(o: BindingOptions, req: ApiRequest, namespace: string, urlName: string | undefined): Promise<ApiResponse> {
  if (req.method !== 'POST') throw methodNotAllowed();
  const b = decodeBinding(req, o.protobuf);
  const name = urlName ?? b.metadata?.name ?? '';
  if (urlName !== undefined && b.metadata?.name !== undefined && b.metadata.name !== urlName) throw badRequest('name in URL does not match name in Binding object');
  if (b.metadata?.namespace && b.metadata.namespace !== namespace) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  const errs = validateBinding(b);
  if (!name) errs.unshift(fieldError.required('metadata.name', 'name or generateName is required'));
  if (errs.length) throw invalid({ group: '', kind: 'Binding' }, name, errs);
  const dryRun = req.query.getAll('dryRun').includes('All');
  try {
    await assignPod(o, namespace, name, b, dryRun);
  } catch (e) {
    if (e instanceof StatusError) throw e;
    if (e instanceof StorageError) throw new StatusError({ code: 500, reason: 'InternalError', message: e.message });
    throw e;
  }
  return jsonResponse(201, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }));
}

/** Serves POST on `pods/<name>/binding`. */
export function handlePodBinding(req: ApiRequest, t: { namespace: string | undefined; name: string | undefined }, o: BindingOptions): Promise<ApiResponse> {
  if (t.name === undefined || t.namespace === undefined) throw methodNotAllowed();
  return bind(o, req, t.namespace, t.name);
}

const bindingsInfo: ResourceInfo = {
  group: '',
  version: 'v1',
  kind: 'Binding',
  plural: 'bindings',
  singular: 'binding',
  namespaced: true,
  listKind: 'BindingList',
  shortNames: [],
  categories: [],
  verbs: ['create'],
  subresources: [],
};

/** The `bindings` collection of core/v1 (POST a Binding naming the pod in metadata.name). */
export function bindingsResource(o: BindingOptions): VirtualResource {
  return {
    info: bindingsInfo,
    create(req, _body, namespace) {
      if (namespace === undefined) throw methodNotAllowed();
      return bind(o, req, namespace, undefined);
    },
  };
}
