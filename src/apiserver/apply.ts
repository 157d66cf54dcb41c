// Server-side apply: PATCH with application/apply-patch+yaml creates or merges the applied configuration and
// records the applier's ownership in managedFields, refusing to change fields other managers own unless forced.
import type { KubeObject } from '../api/index.js';
import { apiVersionOf } from '../api/index.js';
import { badRequest, StatusError } from '../machinery/index.js';
import { apply } from '../machinery/managed-fields/index.js';
import type { ApiRequest, ApiResponse } from './http.js';
import { parseYamlBody, jsonTypeName, type FieldValidation } from './body.js';
import type { ServerContext } from './context.js';
import { jsonResponse } from './respond.js';
import type { ResourceTarget } from './resources.js';
import { writeAdmission } from './admission.js';

/** Reads the `force` parameter of an apply. */
function forceParam(v: string | null): boolean {
  if (v === null || v === '' || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  throw badRequest(`force: Invalid value: ${JSON.stringify(v)}: must be true or false`);
}

/** Serves an apply patch on a resource (or its status subresource). */
export async function serverSideApply(
  ctx: ServerContext,
  req: ApiRequest,
  t: ResourceTarget,
  opts: { dryRun: boolean; fieldManager: string | undefined; mode: FieldValidation; checkFields: (obj: KubeObject) => string[] },
): Promise<ApiResponse> {
  const info = t.store.strategy.info;
  if (!opts.fieldManager) throw badRequest('PATCH, application/apply-patch+yaml requires fieldManager to be set');
  const force = forceParam(req.query.get('force'));
  const applied = parseYamlBody(new TextDecoder().decode(req.body));
  if (applied === null || typeof applied !== 'object' || Array.isArray(applied)) {
    throw badRequest(`error decoding YAML: json: cannot unmarshal ${jsonTypeName(applied)} into Go value of type map[string]interface {}`);
  }
  const obj = applied as KubeObject;
  const apiVersion = apiVersionOf(info.group, info.version);
  const name = t.name!;
  if (obj.metadata?.name !== undefined && obj.metadata.name !== name) {
    throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
  }
  if (info.namespaced && obj.metadata?.namespace && obj.metadata.namespace !== t.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const warnings = opts.checkFields(obj);
  const type = t.store.ssaType();
  if (!type) throw new StatusError({ code: 415, reason: 'UnsupportedMediaType', message: `apply is not supported for ${info.plural}` });
  const subresource = t.subresource === 'status' ? 'status' : undefined;
  if (info.namespaced && t.namespace === undefined) throw badRequest('the namespace of the object is required');
  const admission = writeAdmission(ctx.admission, req, t, opts.dryRun);
  const { ref, created } = await t.store.update(
    t.namespace,
    name,
    async (current) => {
      const r = apply(current, obj, { manager: opts.fieldManager!, force, apiVersion, kind: info.kind, time: ctx.clock.now(), type, resetFields: t.store.resetFieldsFor(subresource), subresource });
      if (r instanceof StatusError) throw r;
      const next = r.object;
      const meta = (next.metadata ??= {});
      meta.name = name;
      if (r.managedFields) meta.managedFields = r.managedFields;
      else delete meta.managedFields;
      // Apply never carries a resourceVersion precondition: it merges into the latest version.
      delete meta.resourceVersion;
      await admission?.mutate(next, current);
      return next;
    },
    { dryRun: opts.dryRun, fieldManager: opts.fieldManager, subresource, allowCreate: !subresource, managedFieldsSet: true, validate: admission?.validate },
  );
  const res = jsonResponse(created ? 201 : 200, t.store.responseJson(ref));
  if (warnings.length) res.headers['warning'] = warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  return res;
}
