// Pod-object validation: create, update (the immutable spec rule) and status updates (ValidatePod*).
import type { Container, Pod, PodSpec, Toleration } from 'kubernetes-types/core/v1.js';
import { child, fieldError, index, type FieldError } from '../../../machinery/index.js';
import { deepEqual, entries, fieldImmutable, inclusiveRangeError, invalidEach, isDNS1123Subdomain, isValidIP, ipFamilyOf, list, semanticEqual } from '../shared/index.js';
import { validatePodSpecificAnnotations, validatePodSpecWith, validateTolerations } from './validate-spec.js';
import { validateQualifiedName } from './validate-volumes.js';

const maxInt32 = 2147483647;

/** The fields a pod update may change, as the Forbidden message lists them. */
export const updatablePodSpecFields = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

function validateMetadataAndSpec(pod: Pod): FieldError[] {
  const errs = validatePodSpecificAnnotations(pod.metadata?.annotations, pod.spec, 'metadata.annotations');
  const opts = { path: 'spec', isPod: true, ...(pod.metadata?.name ? { podName: pod.metadata.name } : {}) };
  errs.push(...validatePodSpecWith(pod.spec, opts));
  if (!pod.spec?.serviceAccountName) {
    list(pod.spec?.volumes).forEach((v, vi) => list(v.projected?.sources).forEach((s, si) => {
      if (s.serviceAccountToken) errs.push(fieldError.forbidden(`spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`, 'must not be specified when serviceAccountName is not set'));
    }));
  }
  for (const kind of ['containers', 'initContainers'] as const) {
    list(pod.spec?.[kind]).forEach((c, i) => {
      if (c.image !== undefined && c.image !== c.image.trim()) errs.push(fieldError.invalid(`spec.${kind}[${i}].image`, c.image, 'must not have leading or trailing whitespace'));
    });
  }
  return errs;
}

/**
 * The checks every write of a Pod passes (validatePodMetadataAndSpec); with `creating`, also the create-only ones
 * (ValidatePodCreate). ObjectMeta itself is the store's business.
 */
export function validatePod(pod: Pod, creating: boolean): FieldError[] {
  const errs = validateMetadataAndSpec(pod);
  if (!creating) return errs;
  if (list(pod.spec?.ephemeralContainers).length) errs.push(fieldError.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (pod.spec?.nodeName && list(pod.spec.schedulingGates).length) errs.push(fieldError.forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  return errs;
}

function validateAnnotationUpdates(pod: Pod, old: Pod): FieldError[] {
  const errs: FieldError[] = [];
  const now = pod.metadata?.annotations ?? {};
  const before = old.metadata?.annotations ?? {};
  const mirror = 'kubernetes.io/config.mirror';
  if (mirror in before && now[mirror] !== before[mirror]) errs.push(fieldError.forbidden(`metadata.annotations[${mirror}]`, 'may not remove or update mirror pod annotation'));
  if (mirror in now && !(mirror in before)) errs.push(fieldError.forbidden(`metadata.annotations[${mirror}]`, 'may not add mirror pod annotation'));
  return errs;
}

function containerUpdates(now: readonly Container[], old: readonly Container[], path: string): { errs: FieldError[]; stop: boolean } {
  if (now.length !== old.length) return { errs: [fieldError.forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  now.forEach((c, i) => {
    if (!c.image) errs.push(fieldError.required(`${path}[${i}].image`));
    if (c.image !== undefined && c.image.trim() !== c.image) errs.push(fieldError.invalid(`${path}[${i}].image`, c.image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

function onlyAddedTolerations(now: readonly Toleration[], old: readonly Toleration[], path: string): FieldError[] {
  for (const o of old) {
    const found = now.some((n) => deepEqual({ ...o, tolerationSeconds: n.tolerationSeconds }, n));
    if (!found) return [fieldError.forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(now, path);
}

const goNames: Record<string, string> = { dnsPolicy: 'DNSPolicy', dnsConfig: 'DNSConfig', os: 'OS', hostIPC: 'HostIPC', hostPID: 'HostPID' };

/** A short, Go-like listing of the top-level spec fields that differ (Kubernetes prints a cmp.Diff there). */
function specDiff(old: PodSpec, now: PodSpec): string {
  const keys = [...new Set([...Object.keys(old), ...Object.keys(now)])].sort();
  const lines = ['  core.PodSpec{'];
  for (const k of keys) {
    const a = (old as unknown as Record<string, unknown>)[k];
    const b = (now as unknown as Record<string, unknown>)[k];
    if (semanticEqual(a, b)) continue;
    const name = goNames[k] ?? k.charAt(0).toUpperCase() + k.slice(1);
    if (a !== undefined) lines.push(`- \t${name}: ${JSON.stringify(a)},`);
    if (b !== undefined) lines.push(`+ \t${name}: ${JSON.stringify(b)},`);
  }
  lines.push('  }');
  return lines.join('\n');
}

/**
 * The update part of ValidatePodUpdate: only images, activeDeadlineSeconds, added tolerations and a few other
 * fields may change. The store also runs validatePod on the new object.
 */
export function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs = validateAnnotationUpdates(pod, old);
  const spec: PodSpec = pod.spec ?? { containers: [] };
  const oldSpec: PodSpec = old.spec ?? { containers: [] };
  for (const kind of ['containers', 'initContainers'] as const) {
    const r = containerUpdates(list(spec[kind]), list(oldSpec[kind]), `spec.${kind}`);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const ads = spec.activeDeadlineSeconds;
  if (ads !== undefined && ads !== null) {
    if (ads < 0 || ads > maxInt32) return [...errs, fieldError.invalid('spec.activeDeadlineSeconds', ads, inclusiveRangeError(0, maxInt32))];
    const oldAds = oldSpec.activeDeadlineSeconds;
    if (oldAds !== undefined && oldAds !== null && oldAds < ads) return [...errs, fieldError.invalid('spec.activeDeadlineSeconds', ads, 'must be less than or equal to previous value')];
  } else if (oldSpec.activeDeadlineSeconds !== undefined && oldSpec.activeDeadlineSeconds !== null) {
    errs.push(fieldError.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  errs.push(...onlyAddedTolerations(list(spec.tolerations), list(oldSpec.tolerations), 'spec.tolerations'));
  const oldGates = new Set(list(oldSpec.schedulingGates).map((g) => g.name));
  list(spec.schedulingGates).forEach((g, i) => {
    if (!oldGates.has(g.name)) errs.push(fieldError.forbidden(`spec.schedulingGates[${i}].name`, `only deletion is allowed, but found new scheduling gate '${g.name}'`));
  });
  if (semanticEqual(spec, oldSpec)) return errs;
  const munged: PodSpec = structuredClone(spec);
  munged.containers = list(munged.containers).map((c, i) => ({ ...c, image: oldSpec.containers[i]?.image ?? '' }));
  if (munged.initContainers) munged.initContainers = munged.initContainers.map((c, i) => ({ ...c, image: oldSpec.initContainers?.[i]?.image ?? '' }));
  setOrDelete(munged, 'activeDeadlineSeconds', oldSpec.activeDeadlineSeconds);
  setOrDelete(munged, 'schedulingGates', oldSpec.schedulingGates);
  setOrDelete(munged, 'tolerations', oldSpec.tolerations);
  const oldGrace = oldSpec.terminationGracePeriodSeconds;
  if (oldGrace !== undefined && oldGrace !== null && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = oldGrace;
  if (list(oldSpec.schedulingGates).length) {
    // Gated pods may gain node selectors and node affinity terms before they are scheduled.
    const before = oldSpec.nodeSelector ?? {};
    const after = munged.nodeSelector ?? {};
    if (!semanticEqual(before, after)) {
      if (entries(before).some(([k, v]) => after[k] !== v)) errs.push(fieldError.invalid('spec.nodeSelector', after, 'only additions to spec.nodeSelector are allowed (no mutations or deletions)'));
      setOrDelete(munged, 'nodeSelector', oldSpec.nodeSelector);
    }
    if (!semanticEqual(munged.affinity?.nodeAffinity, oldSpec.affinity?.nodeAffinity)) {
      if (oldSpec.affinity?.nodeAffinity === undefined && munged.affinity && !munged.affinity.podAffinity && !munged.affinity.podAntiAffinity) delete munged.affinity;
      else if (munged.affinity) setOrDelete(munged.affinity, 'nodeAffinity', oldSpec.affinity?.nodeAffinity);
    }
  }
  if (!semanticEqual(munged, oldSpec)) {
    errs.push(fieldError.forbidden('spec', `pod updates may not change fields other than ${updatablePodSpecFields.join(',')}\n${specDiff(oldSpec, munged)}`));
  }
  return errs;
}

function setOrDelete<T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined): void {
  if (v === undefined) delete o[k];
  else o[k] = structuredClone(v);
}

function validateIPList(ips: readonly { ip?: string }[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const l = list(ips);
  l.forEach((x, i) => errs.push(...invalidEach(index(path, i), x.ip ?? '', isValidIP(x.ip ?? ''))));
  if (l.length > 1) {
    const fams = l.map((x) => ipFamilyOf(x.ip ?? ''));
    if (l.length > 2 || fams[0] === fams[1]) errs.push(fieldError.invalid(path, ips, 'may specify no more than one IP for each IP family'));
    const seen = new Set<string>();
    l.forEach((x, i) => {
      if (seen.has(x.ip ?? '')) errs.push(fieldError.duplicate(index(path, i), x));
      seen.add(x.ip ?? '');
    });
  }
  return errs;
}

function stateTransitions(now: Pod, old: Pod, kind: 'containerStatuses' | 'initContainerStatuses' | 'ephemeralContainerStatuses', policy: string): FieldError[] {
  if (policy === 'Always') return [];
  const errs: FieldError[] = [];
  const restartable = new Set(list(old.spec?.initContainers).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  list(old.status?.[kind]).forEach((o, i) => {
    const term = o.state?.terminated;
    if (!term) return;
    if ((term.exitCode ?? 0) !== 0 && policy === 'OnFailure') return;
    if (kind === 'initContainerStatuses' && restartable.has(o.name)) return;
    for (const n of list(now.status?.[kind])) {
      if (n.name === o.name && !n.state?.terminated) errs.push(fieldError.forbidden(`status.${kind}[${i}].state`, 'may not be transitioned to non-terminated state'));
    }
  });
  return errs;
}

/** ValidatePodStatusUpdate (without ObjectMeta). */
export function validatePodStatusUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs = validateAnnotationUpdates(pod, old);
  errs.push(...validatePodSpecificAnnotations(pod.metadata?.annotations, pod.spec, 'metadata.annotations'));
  const system = new Set(['PodScheduled', 'Ready', 'Initialized']);
  // Upstream reports custom condition types under metadata.conditions; kin keeps the same path.
  list(pod.status?.conditions).forEach((c, i) => {
    if (!system.has(c.type)) errs.push(...validateQualifiedName(c.type ?? '', `metadata.conditions[${i}].Type`));
  });
  if (pod.spec?.nodeName !== old.spec?.nodeName) errs.push(fieldError.forbidden(child('status', 'nodeName'), 'may not be changed directly'));
  const nnn = pod.status?.nominatedNodeName;
  if (nnn && nnn !== old.status?.nominatedNodeName) errs.push(...invalidEach('status.nominatedNodeName', nnn, isDNS1123Subdomain(nnn)));
  if ((pod.status?.qosClass ?? '') !== (old.status?.qosClass ?? '')) errs.push(fieldError.invalid('status.qosClass', pod.status?.qosClass ?? '', fieldImmutable));
  const policy = old.spec?.restartPolicy ?? '';
  errs.push(...stateTransitions(pod, old, 'containerStatuses', policy));
  errs.push(...stateTransitions(pod, old, 'initContainerStatuses', policy));
  errs.push(...stateTransitions(pod, old, 'ephemeralContainerStatuses', 'Never'));
  errs.push(...validateIPList(pod.status?.podIPs, 'status.podIPs'));
  const hostIPs = list(pod.status?.hostIPs);
  if (hostIPs.length) {
    if (pod.status?.hostIP !== hostIPs[0]?.ip) errs.push(fieldError.invalid('status.hostIPs[0].ip', hostIPs[0]?.ip ?? '', 'must be equal to `hostIP`'));
    errs.push(...validateIPList(hostIPs, 'status.hostIPs'));
  }
  return errs;
}
