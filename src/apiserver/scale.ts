// The scale subresource: an autoscaling/v1 Scale view of a resource's replica count, read and written through
// the resource's own store (a write to /scale changes only the replica count of the parent object).
import type { KubeObject } from '../api/index.js';
import type { Clock } from '../util/index.js';
import { badRequest, conflict, formatLabelSelector, methodNotAllowed, unsupportedMediaType } from '../machinery/index.js';
import type { GenericStore, ObjectRef } from '../registry/generic-store.js';
import { cloneObject } from '../registry/codec.js';
import { age, ageColumn, column } from '../registry/printing.js';
import type { Printer } from '../registry/strategy.js';
import type { ApiRequest, ApiResponse } from './http.js';
import type { Patcher } from './context.js';
import { checkTypeMeta, decodeObjectBody, parseJsonBody } from './body.js';
import { contentTypeOf, negotiateResource } from './media.js';
import { jsonResponse } from './respond.js';
import { dryRunParam, managerFromUserAgent } from './resources.js';
import { includeObjectParam, partialObjectMetadata, renderTable } from './table.js';

/** Where a resource keeps what the Scale object shows (JSON paths such as `.spec.replicas`). */
export interface ScalePaths {
  specReplicasPath: string;
  statusReplicasPath: string;
  /** A path to a string selector (custom resources), or `spec.selector` as a LabelSelector object (built-ins). */
  labelSelectorPath?: string;
}

/** The scale paths of the built-in kinds that have a scale subresource. */
export const builtinScale: Record<string, ScalePaths> = {
  'apps/deployments': { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
  'apps/replicasets': { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
  'apps/statefulsets': { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
  '/replicationcontrollers': { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' },
};

function path(p: string): string[] {
  return p.replace(/^\./, '').split('.').filter((x) => x !== '');
}

function read(obj: unknown, p: string): unknown {
  let cur: unknown = obj;
  for (const k of path(p)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

function write(obj: Record<string, unknown>, p: string, value: unknown): void {
  const parts = path(p);
  let cur = obj;
  for (const k of parts.slice(0, -1)) {
    const next = cur[k];
    if (next === null || typeof next !== 'object') cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}

function selectorOf(obj: KubeObject, paths: ScalePaths): string | undefined {
  if (paths.labelSelectorPath) {
    const s = read(obj, paths.labelSelectorPath);
    return typeof s === 'string' ? s : undefined;
  }
  const sel = (obj['spec'] as { selector?: unknown } | undefined)?.selector;
  if (!sel || typeof sel !== 'object') return undefined;
  // ReplicationControllers select with a plain map; the others with a LabelSelector.
  const asSelector = 'matchLabels' in sel || 'matchExpressions' in sel ? sel : { matchLabels: sel };
  return formatLabelSelector(asSelector as Parameters<typeof formatLabelSelector>[0]);
}

/** The Scale object of a stored object. */
export function scaleOf(obj: KubeObject, paths: ScalePaths): KubeObject {
  const m = obj.metadata ?? {};
  const meta: Record<string, unknown> = { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp };
  if (!meta['namespace']) delete meta['namespace'];
  const status: Record<string, unknown> = { replicas: Number(read(obj, paths.statusReplicasPath) ?? 0) };
  const selector = selectorOf(obj, paths);
  if (selector) status['selector'] = selector;
  const specReplicas = read(obj, paths.specReplicasPath);
  return { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: meta, spec: specReplicas === undefined ? {} : { replicas: specReplicas }, status };
}

/** Kubernetes' columns for a Scale (`kubectl get deploy x --subresource=scale`); the name column has no `name` format. */
export const scalePrinter: Printer = {
  columns: [
    column('Name', { description: 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names' }),
    column('Desired', { type: 'integer', description: 'desired number of instances for the scaled object.' }),
    column('Available', { type: 'integer', description: 'actual number of observed instances of the scaled object.' }),
    ageColumn,
  ],
  row(scale, ctx) {
    const spec = scale['spec'] as { replicas?: number } | undefined;
    const status = scale['status'] as { replicas?: number } | undefined;
    return [scale.metadata?.name ?? '', spec?.replicas ?? 0, status?.replicas ?? 0, age(scale.metadata?.creationTimestamp, ctx.now)];
  },
};

/** Renders a Scale as the client asked: the object, its metadata, or a Table with the Scale columns. */
export function renderScale(req: ApiRequest, scale: KubeObject, now: number): ApiResponse {
  const rep = negotiateResource(req.headers['accept']);
  if (rep.kind === 'table') {
    const json = JSON.stringify(scale);
    const body = renderTable([{ obj: scale, json: () => json }], {
      printer: scalePrinter,
      now,
      include: includeObjectParam(req.query.get('includeObject')),
      version: rep.version,
      ...(scale.metadata?.resourceVersion !== undefined ? { resourceVersion: scale.metadata.resourceVersion } : {}),
    });
    return jsonResponse(200, body, `application/json;as=Table;v=${rep.version};g=meta.k8s.io`);
  }
  if (rep.kind === 'metadata') return jsonResponse(200, JSON.stringify(partialObjectMetadata(scale, rep.version)));
  return jsonResponse(200, JSON.stringify(scale));
}

/** What the scale handler works with besides the request. */
export interface ScaleTarget {
  store: GenericStore;
  namespace: string | undefined;
  name: string;
  paths: ScalePaths;
  patcher: Patcher;
  clock: Clock;
}

/** Serves GET, PUT and PATCH on `<resource>/<name>/scale`. */
export async function handleScale(req: ApiRequest, st: ScaleTarget): Promise<ApiResponse> {
  const { store, paths, patcher } = st;
  const target = { namespace: st.namespace, name: st.name };
  const render = (ref: ObjectRef) => renderScale(req, scaleOf(store.object(ref), paths), st.clock.now());
  if (req.method === 'GET') return render(await store.get(target.namespace, target.name));
  if (req.method !== 'PUT' && req.method !== 'PATCH') throw methodNotAllowed();
  const dryRun = dryRunParam(req.query.getAll('dryRun'));
  const info = store.strategy.info;
  const t = { group: info.group, resource: `${info.plural}/scale`, name: target.name };
  let putScale: KubeObject | undefined;
  if (req.method === 'PUT') {
    putScale = decodeObjectBody(req.headers['content-type'], req.body);
    checkTypeMeta(putScale, { apiVersion: 'autoscaling/v1', kind: 'Scale' });
  }
  const ct = contentTypeOf(req.headers['content-type']);
  let patchDoc: unknown;
  if (req.method === 'PATCH') {
    if (ct !== 'application/merge-patch+json' && ct !== 'application/json-patch+json' && ct !== 'application/strategic-merge-patch+json') {
      throw unsupportedMediaType(req.headers['content-type'] ?? '', ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']);
    }
    patchDoc = parseJsonBody(new TextDecoder().decode(req.body));
  }
  const { ref } = await store.update(
    target.namespace,
    target.name,
    (current) => {
      const cur = current!;
      const scale = scaleOf(cur, paths);
      let next: KubeObject;
      if (putScale) next = putScale;
      else if (ct === 'application/json-patch+json') next = patcher.json(scale, patchDoc);
      else next = patcher.merge(scale, patchDoc); // a Scale has no lists: strategic merge is a merge patch
      const rv = next.metadata?.resourceVersion;
      if (rv && rv !== cur.metadata?.resourceVersion) throw conflict(t);
      const replicas = (next['spec'] as { replicas?: unknown } | undefined)?.replicas;
      if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas))) {
        throw badRequest(`Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal ${typeof replicas} into Go struct field ScaleSpec.spec.replicas of type int32`);
      }
      const obj = cloneObject(cur);
      write(obj, paths.specReplicasPath, replicas ?? 0);
      delete obj.metadata!.resourceVersion;
      return obj;
    },
    { dryRun, fieldManager: req.query.get('fieldManager') || managerFromUserAgent(req), recordAsSubresource: 'scale' },
  );
  return render(ref);
}
