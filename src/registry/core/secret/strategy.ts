// The Secret strategy (pkg/registry/core/secret/strategy.go): type Opaque, stringData folded into data,
// key names, 1 MiB total, per-type required keys, immutable Secrets.
import type { Secret } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { fieldError, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import { as, coreInfo, entries, fieldImmutable, invalidEach, isConfigMapKey, nameIsDNSSubdomain, semanticEqual, type CoreStrategy } from '../shared/index.js';
import { maxConfigSize } from '../configmap/index.js';

const redacted = '<secret contents redacted>';
const base64Re = /^[A-Za-z0-9+/]*={0,2}$/;

/** SetDefaults_Secret plus the v1 conversion: type Opaque; each stringData entry overwrites data (base64) and goes. */
export function defaultSecret(s: Secret): void {
  const obj = s as { type?: string; data?: Record<string, string>; stringData?: Record<string, string> };
  if (!obj.type) obj.type = 'Opaque';
  const sd = entries(obj.stringData);
  if (sd.length) {
    const data = (obj.data ??= {});
    for (const [k, v] of sd) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  }
  delete obj.stringData;
}

function decoded(v: string | undefined): Buffer {
  return Buffer.from(v ?? '', 'base64');
}

function checkJSON(v: string | undefined, path: string): FieldError[] {
  const text = decoded(v).toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SyntaxError('json: cannot unmarshal into Go value of type map[string]interface {}');
    return [];
  } catch (e) {
    const msg = text.trim() === '' ? 'unexpected end of JSON input' : e instanceof SyntaxError && e.message.startsWith('json:') ? e.message : `invalid character '${text.trim()[0] ?? ''}' looking for beginning of value`;
    return [fieldError.invalid(path, redacted, msg)];
  }
}

/** ValidateSecret (without ObjectMeta). */
export function validateSecret(obj: KubeObject): FieldError[] {
  const s = as<Secret>(obj);
  const data = s.data ?? {};
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of entries(data)) {
    errs.push(...invalidEach(`data[${k}]`, k, isConfigMapKey(k)));
    if (!base64Re.test(String(v))) errs.push(fieldError.invalid(`data[${k}]`, redacted, 'illegal base64 data'));
    size += decoded(v).length;
  }
  if (size > maxConfigSize) errs.push(fieldError.tooLong('data', maxConfigSize));
  const has = (k: string) => k in data;
  switch (s.type) {
    case 'kubernetes.io/service-account-token':
      if (!obj.metadata?.annotations?.['kubernetes.io/service-account.name']) errs.push(fieldError.required('metadata.annotations[kubernetes.io/service-account.name]'));
      break;
    case 'kubernetes.io/dockercfg':
      if (!has('.dockercfg')) errs.push(fieldError.required('data[.dockercfg]'));
      else errs.push(...checkJSON(data['.dockercfg'], 'data[.dockercfg]'));
      break;
    case 'kubernetes.io/dockerconfigjson':
      if (!has('.dockerconfigjson')) errs.push(fieldError.required('data[.dockerconfigjson]'));
      else errs.push(...checkJSON(data['.dockerconfigjson'], 'data[.dockerconfigjson]'));
      break;
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) errs.push(fieldError.required('data[username]'), fieldError.required('data[password]'));
      break;
    case 'kubernetes.io/ssh-auth':
      if (decoded(data['ssh-privatekey']).length === 0) errs.push(fieldError.required('data[ssh-privatekey]'));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errs.push(fieldError.required('data[tls.crt]'));
      if (!has('tls.key')) errs.push(fieldError.required('data[tls.key]'));
      break;
  }
  return errs;
}

function validateSecretUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const s = as<Secret>(obj);
  const prev = as<Secret>(old);
  const errs: FieldError[] = [];
  if ((s.type ?? '') !== (prev.type ?? '')) errs.push(fieldError.invalid('type', s.type ?? '', fieldImmutable));
  if (prev.immutable === true) {
    const why = 'field is immutable when `immutable` is set';
    if (s.immutable !== true) errs.push(fieldError.forbidden('immutable', why));
    if (!semanticEqual(s.data, prev.data)) errs.push(fieldError.forbidden('data', why));
  }
  return errs;
}

/** The Secret strategy. */
export const secretStrategy: CoreStrategy = {
  info: coreInfo('Secret'),
  schemaName: 'io.k8s.api.core.v1.Secret',
  nameValidation: nameIsDNSSubdomain,
  generation: 'none',
  defaults: (obj) => defaultSecret(as<Secret>(obj)),
  validate: validateSecret,
  validateUpdate: validateSecretUpdate,
  printer: {
    columns: [
      nameColumn,
      column('Type', { description: 'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types' }),
      column('Data', { description: "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4" }),
      ageColumn,
    ],
    row(obj, ctx) {
      const s = as<Secret>(obj);
      return [obj.metadata?.name ?? '', s.type ?? '', entries(s.data).length, age(obj.metadata?.creationTimestamp, ctx.now)];
    },
  },
  selectableFields: (obj) => ({ type: as<Secret>(obj).type ?? '' }),
};
