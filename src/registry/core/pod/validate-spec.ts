// PodSpec and pod template validation (ValidatePodSpec, ValidatePodTemplateSpec) with Kubernetes' messages.
import type { Container, PodSpec, PodTemplateSpec, Toleration } from 'kubernetes-types/core/v1.js';
import { child, fieldError, index, validateAnnotations, type FieldError } from '../../../machinery/index.js';
import {
  entries, inclusiveRangeError, invalidEach, isDNS1123Label, isDNS1123Subdomain, isObject, isQualifiedName, isValidID, isValidIP,
  isValidLabelValue, list, validateDNS1123Label, validateDNS1123Subdomain, validateLabelName, validateLabels,
} from '../shared/index.js';
import { checkHostPortConflicts, validateContainerCommon, validateLifecycle, validateProbe, validateResourceRequirements, validateSeccompProfile, type ContainerContext } from './validate-containers.js';
import { validateQualifiedName, validateVolumes } from './validate-volumes.js';
import { validateAffinity, validateTopologySpread } from './validate-scheduling.js';

/** How a pod spec is being validated: inside a Pod (stricter) or inside a template, and where. */
export interface PodSpecValidation {
  /** Field path of the spec, e.g. `spec` or `spec.template.spec`. */
  path: string;
  /** True when the spec belongs to a Pod object rather than a template. */
  isPod: boolean;
  /** The pod's name, to check names of PVCs created for ephemeral volumes. */
  podName?: string;
}

const maxInt32 = 2147483647;

function isRestartable(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

function validateContainers(spec: PodSpec, ctx: ContainerContext, path: string): FieldError[] {
  const containers = list(spec.containers);
  if (containers.length === 0) return [fieldError.required(path)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(c, ctx, p));
    if (names.has(c.name)) errs.push(fieldError.duplicate(child(p, 'name'), c.name));
    else names.add(c.name);
    if (c.lifecycle) errs.push(...validateLifecycle(c, ctx, child(p, 'lifecycle')));
    errs.push(...validateProbe(c.livenessProbe, 'livenessProbe', ctx, child(p, 'livenessProbe')));
    errs.push(...validateProbe(c.readinessProbe, 'readinessProbe', ctx, child(p, 'readinessProbe')));
    errs.push(...validateProbe(c.startupProbe, 'startupProbe', ctx, child(p, 'startupProbe')));
    if (c.restartPolicy !== undefined) errs.push(fieldError.forbidden(child(p, 'restartPolicy'), 'may not be set for non-init containers'));
  });
  return errs.concat(checkHostPortConflicts(containers, path));
}

function validateInitContainers(spec: PodSpec, ctx: ContainerContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set(list(spec.containers).map((c) => c.name));
  list(spec.initContainers).forEach((c, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(c, ctx, p));
    if (c.restartPolicy !== undefined && c.restartPolicy !== 'Always') errs.push(fieldError.notSupported(child(p, 'restartPolicy'), c.restartPolicy, ['Always']));
    if (names.has(c.name)) errs.push(fieldError.duplicate(child(p, 'name'), c.name));
    else if (c.name) names.add(c.name);
    // Init containers run one by one, so host ports are only checked within each (paths say index 0 upstream).
    errs.push(...checkHostPortConflicts([c], path));
    if (isRestartable(c)) {
      if (c.lifecycle) errs.push(...validateLifecycle(c, ctx, child(p, 'lifecycle')));
      errs.push(...validateProbe(c.livenessProbe, 'livenessProbe', ctx, child(p, 'livenessProbe')));
      errs.push(...validateProbe(c.readinessProbe, 'readinessProbe', ctx, child(p, 'readinessProbe')));
      errs.push(...validateProbe(c.startupProbe, 'startupProbe', ctx, child(p, 'startupProbe')));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
        if (c[f]) errs.push(fieldError.forbidden(child(p, f), 'may not be set for init containers without restartPolicy=Always'));
      }
    }
    // Resizing sidecars came after Kubernetes 1.32: no init container may carry a resize policy.
    if (list(c.resizePolicy).length) errs.push(fieldError.invalid(child(p, 'resizePolicy'), c.resizePolicy, 'must not be set for init containers'));
  });
  return errs;
}

function validateEphemeralContainers(spec: PodSpec, ctx: ContainerContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const others = new Set([...list(spec.containers), ...list(spec.initContainers)].map((c) => c.name));
  const all = new Set(others);
  list(spec.ephemeralContainers).forEach((ec, i) => {
    const p = index(path, i);
    errs.push(...validateContainerCommon(ec as Container, ctx, p));
    if (all.has(ec.name)) errs.push(fieldError.duplicate(child(p, 'name'), ec.name));
    else all.add(ec.name);
    if (ec.targetContainerName && !others.has(ec.targetContainerName)) errs.push(fieldError.notFound(child(p, 'targetContainerName'), ec.targetContainerName));
    for (const f of ['ports', 'resources', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle'] as const) {
      const v = (ec as Container)[f];
      const set = Array.isArray(v) ? v.length > 0 : isObject(v) ? Object.keys(v).length > 0 : v !== undefined;
      if (set) errs.push(fieldError.forbidden(child(p, f), 'cannot be set for an Ephemeral Container'));
    }
  });
  return errs;
}

/** Tolerations (ValidateTolerations). */
export function validateTolerations(tolerations: readonly Toleration[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  tolerations.forEach((t, i) => {
    const p = index(path, i);
    if (t.key) errs.push(...validateLabelName(t.key, child(p, 'key')));
    if (!t.key && t.operator !== 'Exists') errs.push(fieldError.invalid(child(p, 'operator'), t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') errs.push(fieldError.invalid(child(p, 'effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    switch (t.operator ?? '') {
      case 'Equal':
      case '': {
        const msgs = isValidLabelValue(t.value ?? '');
        if (msgs.length) errs.push(fieldError.invalid(child(p, 'operator'), t.value ?? '', msgs.join(';')));
        break;
      }
      case 'Exists':
        if (t.value) errs.push(fieldError.invalid(child(p, 'operator'), t.value, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(fieldError.notSupported(child(p, 'operator'), t.operator, ['Equal', 'Exists']));
    }
    if (t.effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) errs.push(fieldError.notSupported(child(p, 'effect'), t.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
  });
  return errs;
}

function validatePodSecurityContext(spec: PodSpec, path: string): FieldError[] {
  const sc = spec.securityContext;
  if (!sc) return [];
  const errs: FieldError[] = [];
  for (const f of ['fsGroup', 'runAsUser', 'runAsGroup'] as const) {
    const v = sc[f];
    if (v !== undefined && v !== null) errs.push(...invalidEach(child(path, f), v, isValidID(v)));
  }
  list(sc.supplementalGroups).forEach((g, i) => errs.push(...invalidEach(index(child(path, 'supplementalGroups'), i), g, isValidID(g))));
  if (sc.fsGroupChangePolicy !== undefined && !['Always', 'OnRootMismatch'].includes(sc.fsGroupChangePolicy)) errs.push(fieldError.notSupported(child(path, 'fsGroupChangePolicy'), sc.fsGroupChangePolicy, ['Always', 'OnRootMismatch']));
  if (spec.shareProcessNamespace && spec.hostPID) errs.push(fieldError.invalid(child(path, 'shareProcessNamespace'), true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  errs.push(...validateSeccompProfile(sc.seccompProfile, child(path, 'seccompProfile')));
  const sgp = (sc as { supplementalGroupsPolicy?: string }).supplementalGroupsPolicy;
  if (sgp !== undefined && !['Merge', 'Strict'].includes(sgp)) errs.push(fieldError.notSupported(child(path, 'supplementalGroupsPolicy'), sgp, ['Merge', 'Strict']));
  list(sc.sysctls).forEach((s, i) => {
    if (!s.name) errs.push(fieldError.required(child(index(child(path, 'sysctls'), i), 'name')));
  });
  return errs;
}

function validateDNSConfig(spec: PodSpec, path: string): FieldError[] {
  const cfg = spec.dnsConfig;
  if (spec.dnsPolicy === 'None') {
    if (!cfg) return [fieldError.required(path, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (!list(cfg.nameservers).length) return [fieldError.required(child(path, 'nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!cfg) return [];
  const errs: FieldError[] = [];
  const ns = list(cfg.nameservers);
  if (ns.length > 3) errs.push(fieldError.invalid(child(path, 'nameservers'), ns, 'must not have more than 3 nameservers'));
  ns.forEach((n, i) => errs.push(...invalidEach(index(child(path, 'nameservers'), i), n, isValidIP(n))));
  const searches = list(cfg.searches);
  if (searches.length > 32) errs.push(fieldError.invalid(child(path, 'searches'), searches, 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) errs.push(fieldError.invalid(child(path, 'searches'), searches, 'must not have more than 2048 characters (including spaces) in the search list'));
  // A trailing dot is fine; the relaxed rules (underscores, a lone '.') are off in Kubernetes 1.32.
  searches.forEach((s, i) => {
    const v = s.endsWith('.') ? s.slice(0, -1) : s;
    errs.push(...invalidEach(index(child(path, 'searches'), i), v, isDNS1123Subdomain(v)));
  });
  list(cfg.options).forEach((o, i) => {
    if (!o.name) errs.push(fieldError.required(index(child(path, 'options'), i), 'must not be empty'));
  });
  return errs;
}

/** ValidatePodSpec with the options that distinguish Pods from templates. */
export function validatePodSpecWith(spec: PodSpec | undefined, opts: PodSpecValidation): FieldError[] {
  const path = opts.path;
  if (!spec || typeof spec !== 'object') return [fieldError.required(child(path, 'containers'))];
  const errs: FieldError[] = [];
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) errs.push(fieldError.required(child(path, 'terminationGracePeriodSeconds')));
  const hostUsers = spec.hostUsers !== false;
  const { byName, errs: volErrs } = validateVolumes(spec.volumes, child(path, 'volumes'), opts.podName);
  errs.push(...volErrs);
  const claimNames = new Set<string>();
  list(spec.resourceClaims).forEach((c, i) => {
    const p = child(index(child(path, 'resourceClaims'), i), 'name');
    if (!c.name) errs.push(fieldError.required(p));
    else if (claimNames.has(c.name)) errs.push(fieldError.duplicate(p, c.name));
    else {
      errs.push(...validateDNS1123Label(c.name, p));
      claimNames.add(c.name);
    }
  });
  const ctx: ContainerContext = { volumes: byName, gracePeriod: spec.terminationGracePeriodSeconds ?? undefined, restartPolicy: spec.restartPolicy, hostUsers, podClaimNames: claimNames };
  errs.push(...validateContainers(spec, ctx, child(path, 'containers')));
  errs.push(...validateInitContainers(spec, ctx, child(path, 'initContainers')));
  errs.push(...validateEphemeralContainers(spec, ctx, child(path, 'ephemeralContainers')));
  const podResources = (spec as { resources?: PodSpec['containers'][number]['resources'] }).resources;
  if (podResources) errs.push(...validateResourceRequirements(podResources, child(path, 'resources'), claimNames));
  if (spec.hostNetwork) {
    list(spec.containers).forEach((c, i) => list(c.ports).forEach((p, j) => {
      const hp = p.hostPort ?? 0;
      if ((opts.isPod || hp !== 0) && hp !== p.containerPort) errs.push(fieldError.invalid(child(index(child(index(child(path, 'containers'), i), 'ports'), j), 'hostPort'), hp, 'must match `containerPort` when `hostNetwork` is true'));
    }));
  }
  const rp = spec.restartPolicy;
  if (!rp) errs.push(fieldError.required(child(path, 'restartPolicy')));
  else if (!['Always', 'OnFailure', 'Never'].includes(rp)) errs.push(fieldError.notSupported(child(path, 'restartPolicy'), rp, ['Always', 'OnFailure', 'Never']));
  const dp = spec.dnsPolicy;
  const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
  if (!dp) errs.push(fieldError.required(child(path, 'dnsPolicy')));
  else if (!dnsPolicies.includes(dp)) errs.push(fieldError.notSupported(child(path, 'dnsPolicy'), dp, dnsPolicies));
  errs.push(...validateLabels(spec.nodeSelector, child(path, 'nodeSelector')));
  errs.push(...validatePodSecurityContext(spec, child(path, 'securityContext')));
  list(spec.imagePullSecrets).forEach((s, i) => {
    if (Object.keys(s).some((k) => k !== 'name')) errs.push(fieldError.invalid(index(child(path, 'imagePullSecrets'), i), s, 'only name may be set'));
  });
  errs.push(...validateAffinity(spec.affinity, child(path, 'affinity')));
  errs.push(...validateDNSConfig(spec, child(path, 'dnsConfig')));
  list(spec.readinessGates).forEach((g, i) => errs.push(...validateQualifiedName(g.conditionType ?? '', child(index(child(path, 'readinessGates'), i), 'conditionType'))));
  const gates = new Set<string>();
  list(spec.schedulingGates).forEach((g, i) => {
    const p = index(child(path, 'schedulingGates'), i);
    errs.push(...validateQualifiedName(g.name ?? '', p));
    if (gates.has(g.name)) errs.push(fieldError.duplicate(p, g.name));
    gates.add(g.name);
  });
  errs.push(...validateTopologySpread(list(spec.topologySpreadConstraints), child(path, 'topologySpreadConstraints')));
  if (!hostUsers) {
    if (spec.hostNetwork) errs.push(fieldError.forbidden(child(path, 'hostNetwork'), 'when `pod.Spec.HostUsers` is false'));
    if (spec.hostPID) errs.push(fieldError.forbidden(child(path, 'HostPID'), 'when `pod.Spec.HostUsers` is false'));
    if (spec.hostIPC) errs.push(fieldError.forbidden(child(path, 'HostIPC'), 'when `pod.Spec.HostUsers` is false'));
  }
  if (spec.serviceAccountName) errs.push(...invalidEach(child(path, 'serviceAccountName'), spec.serviceAccountName, isDNS1123Subdomain(spec.serviceAccountName)));
  if (spec.nodeName) errs.push(...invalidEach(child(path, 'nodeName'), spec.nodeName, isDNS1123Subdomain(spec.nodeName)));
  const ads = spec.activeDeadlineSeconds;
  if (ads !== undefined && ads !== null && (ads < 1 || ads > maxInt32)) errs.push(fieldError.invalid(child(path, 'activeDeadlineSeconds'), ads, inclusiveRangeError(1, maxInt32)));
  if (spec.hostname) errs.push(...invalidEach(child(path, 'hostname'), spec.hostname, isDNS1123Label(spec.hostname)));
  if (spec.subdomain) errs.push(...invalidEach(child(path, 'subdomain'), spec.subdomain, isDNS1123Label(spec.subdomain)));
  if (list(spec.tolerations).length) errs.push(...validateTolerations(list(spec.tolerations), child(path, 'tolerations')));
  list(spec.hostAliases).forEach((a, i) => {
    const p = index(child(path, 'hostAliases'), i);
    errs.push(...invalidEach(child(p, 'ip'), a.ip ?? '', isValidIP(a.ip ?? '')));
    list(a.hostnames).forEach((h, j) => errs.push(...validateDNS1123Subdomain(h, index(child(p, 'hostnames'), j))));
  });
  if (spec.priorityClassName) errs.push(...validateDNS1123Subdomain(spec.priorityClassName, child(path, 'priorityClassName')));
  if (spec.runtimeClassName !== undefined && spec.runtimeClassName !== null) errs.push(...validateDNS1123Subdomain(spec.runtimeClassName, child(path, 'runtimeClassName')));
  const pp = spec.preemptionPolicy;
  if (pp !== undefined && pp !== null) {
    if (!pp) errs.push(fieldError.required(child(path, 'preemptionPolicy')));
    else if (pp !== 'PreemptLowerPriority' && pp !== 'Never') errs.push(fieldError.notSupported(child(path, 'preemptionPolicy'), pp, ['PreemptLowerPriority', 'Never']));
  }
  if (spec.overhead) errs.push(...validateResourceRequirements({ limits: spec.overhead }, child(path, 'overhead'), claimNames));
  if (spec.os) {
    if (!spec.os.name) errs.push(fieldError.required(child(child(path, 'os'), 'name'), 'cannot be empty'));
    else if (spec.os.name !== 'linux' && spec.os.name !== 'windows') errs.push(fieldError.notSupported(child(path, 'os'), spec.os.name, ['linux', 'windows']));
  }
  return errs;
}

/** Validates a PodSpec embedded in a template (Deployments, Jobs, ...) at `path` (e.g. `spec.template.spec`). */
export function validatePodSpec(spec: PodSpec | undefined, path: string): FieldError[] {
  return validatePodSpecWith(spec, { path, isPod: false });
}

/** Annotation keys and total size (ValidateAnnotations), from machinery. */
export { validateAnnotations };

/** Annotations with a meaning for pods (ValidatePodSpecificAnnotations). */
export function validatePodSpecificAnnotations(annotations: Record<string, string> | undefined, spec: PodSpec | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mirror = annotations?.['kubernetes.io/config.mirror'];
  if (mirror !== undefined && !spec?.nodeName) errs.push(fieldError.invalid(index(path, 'kubernetes.io/config.mirror'), mirror, 'must set spec.nodeName if mirror pod annotation is set'));
  const cost = annotations?.['controller.kubernetes.io/pod-deletion-cost'];
  if (cost !== undefined && !(/^[+-]?\d+$/.test(cost) && Number(cost) >= -maxInt32 - 1 && Number(cost) <= maxInt32)) {
    errs.push(fieldError.invalid(index(path, 'controller.kubernetes.io/pod-deletion-cost'), cost, 'must be a 32bit integer'));
  }
  return errs;
}

/** Validates a pod template (labels, annotations, spec) at `path` (e.g. `spec.template`). */
export function validatePodTemplateSpec(t: PodTemplateSpec | undefined, path: string): FieldError[] {
  if (!t || typeof t !== 'object') return [fieldError.required(path)];
  const errs: FieldError[] = [];
  // ObjectMeta is inlined in Go field paths: `spec.template.labels`, not `spec.template.metadata.labels`.
  errs.push(...validateLabels(t.metadata?.labels, child(path, 'labels')));
  errs.push(...validateAnnotations(t.metadata?.annotations, child(path, 'annotations')));
  errs.push(...validatePodSpecificAnnotations(t.metadata?.annotations, t.spec, child(path, 'annotations')));
  errs.push(...validatePodSpec(t.spec, child(path, 'spec')));
  if (list(t.spec?.ephemeralContainers).length) errs.push(fieldError.forbidden(child(child(path, 'spec'), 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  return errs;
}
