// The ConfigMap strategy (pkg/registry/core/configmap/strategy.go): key names, 1 MiB total, immutable ConfigMaps.
import type { ConfigMap } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { fieldError, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import { as, coreInfo, entries, invalidEach, isConfigMapKey, nameIsDNSSubdomain, semanticEqual, type CoreStrategy } from '../shared/index.js';

/** The most a ConfigMap or Secret may hold: 1 MiB. */
export const maxConfigSize = 1024 * 1024;

/** Bytes of a base64 value once decoded. */
export function decodedLength(b64: string): number {
  return Buffer.from(b64, 'base64').length;
}

function validateConfigMap(obj: KubeObject): FieldError[] {
  const cm = as<ConfigMap>(obj);
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of entries(cm.data)) {
    errs.push(...invalidEach(`data[${k}]`, k, isConfigMapKey(k)));
    if (cm.binaryData && k in cm.binaryData) errs.push(fieldError.invalid(`data[${k}]`, k, 'duplicate of key present in binaryData'));
    size += Buffer.byteLength(String(v));
  }
  for (const [k, v] of entries(cm.binaryData)) {
    errs.push(...invalidEach(`binaryData[${k}]`, k, isConfigMapKey(k)));
    size += decodedLength(String(v));
  }
  // The error names no field: it is about the whole object.
  if (size > maxConfigSize) errs.push(fieldError.tooLong('', maxConfigSize));
  return errs;
}

function validateConfigMapUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const cm = as<ConfigMap>(obj);
  const prev = as<ConfigMap>(old);
  if (prev.immutable !== true) return [];
  const errs: FieldError[] = [];
  const why = 'field is immutable when `immutable` is set';
  if (cm.immutable !== true) errs.push(fieldError.forbidden('immutable', why));
  if (!semanticEqual(cm.data, prev.data)) errs.push(fieldError.forbidden('data', why));
  if (!semanticEqual(cm.binaryData, prev.binaryData)) errs.push(fieldError.forbidden('binaryData', why));
  return errs;
}

/** The ConfigMap strategy. */
export const configMapStrategy: CoreStrategy = {
  info: coreInfo('ConfigMap'),
  schemaName: 'io.k8s.api.core.v1.ConfigMap',
  nameValidation: nameIsDNSSubdomain,
  generation: 'none',
  validate: validateConfigMap,
  validateUpdate: validateConfigMapUpdate,
  printer: {
    columns: [nameColumn, column('Data', { description: 'Data contains the configuration data. Each key must consist of alphanumeric characters, \'-\', \'_\' or \'.\'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.' }), ageColumn],
    row(obj, ctx) {
      const cm = as<ConfigMap>(obj);
      return [obj.metadata?.name ?? '', entries(cm.data).length + entries(cm.binaryData).length, age(obj.metadata?.creationTimestamp, ctx.now)];
    },
  },
};
