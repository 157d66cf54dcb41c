// Resource names (cpu, memory, pods, example.com/gpu, ...) and their quantity rules (pkg/apis/core/helper).
import { fieldError, type FieldError } from '../../../machinery/index.js';
import { isQualifiedName } from './names.js';
import { invalidEach, isNegative } from './checks.js';
import { canonicalQuantity, formatQuantity, isWholeQuantity, parseQuantity, quantityFormatError } from './quantity.js';
import { entries } from './objects.js';

const standardContainerResources = new Set(['cpu', 'memory', 'ephemeral-storage']);
const objectCountQuotaResources = new Set(['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers']);
const standardQuotaResources = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.storage', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', ...objectCountQuotaResources,
]);
const standardResources = new Set([...standardQuotaResources, 'storage']);

/** `hugepages-2Mi` and friends. */
export function isHugePageResourceName(name: string): boolean {
  return name.startsWith('hugepages-');
}

/** Names without a domain, or in the kubernetes.io domain. */
export function isNativeResource(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** Extended resources such as `example.com/gpu`. */
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return isQualifiedName('requests.' + name).length === 0;
}

/** Whether requests may be lower than limits for this resource. */
export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePageResourceName(name);
}

/** Resources counted in whole units (object counts, extended resources). */
export function isIntegerResourceName(name: string): boolean {
  return objectCountQuotaResources.has(name) || isExtendedResourceName(name) || name.startsWith('count/');
}

function isStandardResourceName(name: string): boolean {
  return standardResources.has(name) || isHugePageResourceName(name) || name.startsWith('requests.hugepages-');
}

/** A quota resource name without a domain must be one of the standard ones. */
export function isStandardQuotaResourceName(name: string): boolean {
  return standardQuotaResources.has(name) || isHugePageResourceName(name) || name.startsWith('requests.hugepages-');
}

/** validateResourceName: a qualified name, and a standard one when it has no domain. */
export function validateResourceName(name: string, path: string): FieldError[] {
  const errs = invalidEach(path, name, isQualifiedName(name));
  if (errs.length) return errs;
  if (!name.includes('/') && !isStandardResourceName(name)) return [fieldError.invalid(path, name, 'must be a standard resource type or fully qualified')];
  return [];
}

/** validateContainerResourceName: cpu, memory, ephemeral-storage, hugepages-* or an extended resource. */
export function validateContainerResourceName(name: string, path: string): FieldError[] {
  const errs = validateResourceName(name, path);
  if (!name.includes('/')) {
    if (!standardContainerResources.has(name) && !isHugePageResourceName(name)) return [...errs, fieldError.invalid(path, name, 'must be a standard resource for containers')];
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    return [...errs, fieldError.invalid(path, name, "doesn't follow extended resource name standard")];
  }
  return errs;
}

/** ValidateResourceQuantityValue: parses, is not negative, is whole for integer resources. */
export function validateResourceQuantityValue(name: string, value: unknown, path: string): FieldError[] {
  const q = parseQuantity(value);
  if (!q) return [fieldError.invalid(path, value, quantityFormatError)];
  const errs: FieldError[] = [];
  if (q.nanos < 0n) errs.push(fieldError.invalid(path, formatQuantity(q), isNegative));
  if (isIntegerResourceName(name) && !isWholeQuantity(q)) errs.push(fieldError.invalid(path, formatQuantity(q), 'must be an integer'));
  return errs;
}

/** Rewrites every quantity of a resource list in canonical form, rounded up to milli-units (SetDefaults_ResourceList). */
export function canonicalizeResourceList(rl: Record<string, string> | undefined): void {
  for (const [k, v] of entries(rl)) {
    const c = canonicalQuantity(v);
    if (c !== undefined && rl) rl[k] = c;
  }
}
