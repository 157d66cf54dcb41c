// Container validation (validateContainerCommon and its parts): ports, env, mounts, resources, probes, security.
import type { Container, EnvFromSource, EnvVar, LifecycleHandler, Probe, ResourceRequirements, SecurityContext, Volume, VolumeMount } from 'kubernetes-types/core/v1.js';
import { child, fieldError, index, type FieldError } from '../../../machinery/index.js';
import {
  entries, formatQuantity, invalidEach, isConfigMapKey, isDNS1123Subdomain, isHTTPHeaderName, isHugePageResourceName, isObject,
  isOvercommitAllowed, isRelaxedEnvVarName, isValidID, isValidPortName, isValidPortNum, list, parseQuantity, validateContainerResourceName,
  validateDNS1123Label, validateNonnegative, validateResourceQuantityValue,
} from '../shared/index.js';
import { validateLocalDescendingPath, validateQualifiedName } from './validate-volumes.js';

/** What container validation needs to know about the pod around it. */
export interface ContainerContext {
  volumes: Map<string, Volume>;
  gracePeriod: number | undefined;
  restartPolicy: string | undefined;
  hostUsers: boolean;
  podClaimNames: Set<string>;
}

const protocols = ['SCTP', 'TCP', 'UDP'];
const envFieldPaths = ['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs'];
const convertibleFieldPaths = new Set([...envFieldPaths, 'metadata.annotations', 'metadata.labels', 'spec.restartPolicy', 'spec.schedulerName', 'status.phase']);
const resourceFieldPaths = ['limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory'];

/** A port given as a number or an IANA name (ValidatePortNumOrName). */
export function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return invalidEach(path, port, isValidPortNum(port));
  if (typeof port === 'string') return invalidEach(path, port, isValidPortName(port));
  return [fieldError.invalid(path, port ?? 0, 'must be between 1 and 65535, inclusive')];
}

function validateContainerPorts(ports: Container['ports'], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  list(ports).forEach((p, i) => {
    const ip = index(path, i);
    if (p.name) {
      const msgs = isValidPortName(p.name);
      if (msgs.length) errs.push(...invalidEach(child(ip, 'name'), p.name, msgs));
      else if (names.has(p.name)) errs.push(fieldError.duplicate(child(ip, 'name'), p.name));
      else names.add(p.name);
    }
    if (!p.containerPort) errs.push(fieldError.required(child(ip, 'containerPort')));
    else errs.push(...invalidEach(child(ip, 'containerPort'), p.containerPort, isValidPortNum(p.containerPort)));
    if (p.hostPort) errs.push(...invalidEach(child(ip, 'hostPort'), p.hostPort, isValidPortNum(p.hostPort)));
    if (!p.protocol) errs.push(fieldError.required(child(ip, 'protocol')));
    else if (!protocols.includes(p.protocol)) errs.push(fieldError.notSupported(child(ip, 'protocol'), p.protocol, protocols));
  });
  return errs;
}

function validateFieldRef(ref: Record<string, unknown>, path: string): FieldError[] {
  const apiVersion = ref['apiVersion'];
  const fieldPath = typeof ref['fieldPath'] === 'string' ? ref['fieldPath'] : '';
  if (!apiVersion) return [fieldError.required(child(path, 'apiVersion'))];
  if (!fieldPath) return [fieldError.required(child(path, 'fieldPath'))];
  const sub = /^(metadata\.(?:labels|annotations))\['(.*)'\]$/.exec(fieldPath);
  if (sub) return sub[1] === 'metadata.annotations' ? validateQualifiedName((sub[2] ?? '').toLowerCase(), path) : validateQualifiedName(sub[2] ?? '', path);
  if (apiVersion !== 'v1' || !convertibleFieldPaths.has(fieldPath)) {
    const why = apiVersion !== 'v1' ? `unsupported pod version: ${String(apiVersion)}` : `field label not supported: ${fieldPath}`;
    return [fieldError.invalid(child(path, 'fieldPath'), fieldPath, `error converting fieldPath: ${why}`)];
  }
  return envFieldPaths.includes(fieldPath) ? [] : [fieldError.notSupported(child(path, 'fieldPath'), fieldPath, envFieldPaths)];
}

function validateKeySelector(ref: Record<string, unknown>, path: string): FieldError[] {
  const name = typeof ref['name'] === 'string' ? ref['name'] : '';
  const key = typeof ref['key'] === 'string' ? ref['key'] : '';
  const errs = invalidEach(child(path, 'name'), name, isDNS1123Subdomain(name));
  if (!key) errs.push(fieldError.required(child(path, 'key')));
  else errs.push(...invalidEach(child(path, 'key'), key, isConfigMapKey(key)));
  return errs;
}

function validateEnv(env: readonly EnvVar[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  env.forEach((e, i) => {
    const ip = index(path, i);
    if (!e.name) errs.push(fieldError.required(child(ip, 'name')));
    else errs.push(...invalidEach(child(ip, 'name'), e.name, isRelaxedEnvVarName(e.name)));
    const vf = e.valueFrom;
    if (!vf) return;
    const vp = child(ip, 'valueFrom');
    let n = 0;
    if (isObject(vf.fieldRef)) {
      n++;
      errs.push(...validateFieldRef(vf.fieldRef as unknown as Record<string, unknown>, child(vp, 'fieldRef')));
    }
    if (isObject(vf.resourceFieldRef)) {
      n++;
      const res = vf.resourceFieldRef.resource;
      const rp = child(vp, 'resourceFieldRef');
      if (!res) errs.push(fieldError.required(child(rp, 'resource')));
      else if (!resourceFieldPaths.includes(res) && !res.startsWith('requests.hugepages-') && !res.startsWith('limits.hugepages-')) errs.push(fieldError.notSupported(child(rp, 'resource'), res, resourceFieldPaths));
    }
    if (isObject(vf.configMapKeyRef)) {
      n++;
      errs.push(...validateKeySelector(vf.configMapKeyRef as unknown as Record<string, unknown>, child(vp, 'configMapKeyRef')));
    }
    if (isObject(vf.secretKeyRef)) {
      n++;
      errs.push(...validateKeySelector(vf.secretKeyRef as unknown as Record<string, unknown>, child(vp, 'secretKeyRef')));
    }
    if (n === 0) errs.push(fieldError.invalid(vp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (e.value) errs.push(fieldError.invalid(vp, '', 'may not be specified when `value` is not empty'));
    else if (n > 1) errs.push(fieldError.invalid(vp, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateEnvFrom(envFrom: readonly EnvFromSource[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  envFrom.forEach((e, i) => {
    const ip = index(path, i);
    if (e.prefix) errs.push(...invalidEach(child(ip, 'prefix'), e.prefix, isRelaxedEnvVarName(e.prefix)));
    let n = 0;
    for (const kind of ['configMapRef', 'secretRef'] as const) {
      const ref = e[kind];
      if (!isObject(ref)) continue;
      n++;
      const name: string = typeof ref.name === 'string' ? ref.name : '';
      // Names here are checked as generateName prefixes upstream (a trailing dash is accepted).
      if (!name) errs.push(fieldError.required(child(child(ip, kind), 'name')));
      else errs.push(...invalidEach(child(child(ip, kind), 'name'), name, isDNS1123Subdomain(name.length > 1 && name.endsWith('-') ? name.slice(0, -1) + 'a' : name)));
    }
    if (n === 0) errs.push(fieldError.invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1) errs.push(fieldError.invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

function validateVolumeMounts(c: Container, ctx: ContainerContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  const devices = new Map(list(c.volumeDevices).map((d) => [d.name, d.devicePath]));
  const privileged = c.securityContext?.privileged === true;
  list(c.volumeMounts).forEach((m: VolumeMount, i) => {
    const ip = index(path, i);
    if (!m.name) errs.push(fieldError.required(child(ip, 'name')));
    if (!ctx.volumes.has(m.name)) errs.push(fieldError.notFound(child(ip, 'name'), m.name ?? ''));
    if (!m.mountPath) errs.push(fieldError.required(child(ip, 'mountPath')));
    if (mountPoints.has(m.mountPath)) errs.push(fieldError.invalid(child(ip, 'mountPath'), m.mountPath, 'must be unique'));
    mountPoints.add(m.mountPath);
    if (devices.has(m.name)) errs.push(fieldError.invalid(child(ip, 'name'), m.name, 'must not already exist in volumeDevices'));
    if ([...devices.values()].includes(m.mountPath)) errs.push(fieldError.invalid(child(ip, 'mountPath'), m.mountPath, 'must not already exist as a path in volumeDevices'));
    if (m.subPath) errs.push(...validateLocalDescendingPath(m.subPath, child(path, 'subPath')));
    if (m.subPathExpr) {
      if (m.subPath) errs.push(fieldError.invalid(child(ip, 'subPathExpr'), m.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...validateLocalDescendingPath(m.subPathExpr, child(path, 'subPathExpr')));
    }
    if (m.mountPropagation !== undefined) {
      const supported = ['Bidirectional', 'HostToContainer', 'None'];
      if (!supported.includes(m.mountPropagation)) errs.push(fieldError.notSupported(child(path, 'mountPropagation'), m.mountPropagation, supported));
      if (m.mountPropagation === 'Bidirectional' && !privileged) errs.push(fieldError.forbidden(child(path, 'mountPropagation'), 'Bidirectional mount propagation is available only to privileged containers'));
    }
    const rro = (m as { recursiveReadOnly?: string }).recursiveReadOnly;
    if (rro !== undefined && rro !== 'Disabled') {
      const rp = child(path, 'recursiveReadOnly');
      if (rro === 'Enabled' || rro === 'IfPossible') {
        if (!m.readOnly) errs.push(fieldError.forbidden(rp, 'may only be specified when readOnly is true'));
        if (m.mountPropagation && m.mountPropagation !== 'None') errs.push(fieldError.forbidden(rp, 'may only be specified when mountPropagation is None or not specified'));
      } else errs.push(fieldError.notSupported(rp, rro, ['Disabled', 'Enabled', 'IfPossible']));
    }
  });
  return errs;
}

/** Container (or pod-level) resource requirements: names, quantities, requests ≤ limits. */
export function validateResourceRequirements(r: ResourceRequirements | undefined, path: string, podClaimNames: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const limPath = child(path, 'limits');
  const reqPath = child(path, 'requests');
  let cpuOrMemory = false;
  let hugePages = false;
  for (const [name, q] of entries(r?.limits)) {
    const p = index(limPath, name);
    errs.push(...validateContainerResourceName(name, p), ...validateResourceQuantityValue(name, q, p));
    if (isHugePageResourceName(name)) hugePages = true;
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  for (const [name, q] of entries(r?.requests)) {
    const p = index(reqPath, name);
    errs.push(...validateContainerResourceName(name, p), ...validateResourceQuantityValue(name, q, p));
    const req = parseQuantity(q);
    const limit = r?.limits?.[name];
    const lim = limit === undefined ? undefined : parseQuantity(limit);
    if (req && lim) {
      if (req.nanos !== lim.nanos && !isOvercommitAllowed(name)) errs.push(fieldError.invalid(reqPath, formatQuantity(req), `must be equal to ${name} limit of ${formatQuantity(lim)}`));
      else if (req.nanos > lim.nanos) errs.push(fieldError.invalid(reqPath, formatQuantity(req), `must be less than or equal to ${name} limit of ${formatQuantity(lim)}`));
    } else if (limit === undefined && !isOvercommitAllowed(name)) {
      errs.push(fieldError.required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePageResourceName(name)) hugePages = true;
    if (name === 'cpu' || name === 'memory') cpuOrMemory = true;
  }
  if (hugePages && !cpuOrMemory) errs.push(fieldError.forbidden(path, 'HugePages require cpu or memory'));
  const seen = new Set<string>();
  list(r?.claims).forEach((claim, i) => {
    const p = index(child(path, 'claims'), i);
    if (!claim.name) return errs.push(fieldError.required(p));
    if (seen.has(claim.name)) errs.push(fieldError.duplicate(p, claim.name));
    seen.add(claim.name);
    if (!podClaimNames.has(claim.name)) {
      const detail = 'must be one of the names in pod.spec.resourceClaims' + (podClaimNames.size ? ': ' + [...podClaimNames].sort().join(', ') : ' which is empty');
      errs.push({ ...fieldError.notFound(p, claim.name), detail });
    }
    return undefined;
  });
  return errs;
}

function validateHandler(h: LifecycleHandler | Probe, ctx: ContainerContext, path: string, kinds: readonly string[]): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  const src = h as unknown as Record<string, unknown>;
  for (const kind of kinds) {
    const a = src[kind];
    if (!isObject(a)) continue;
    const p = child(path, kind);
    if (n > 0) {
      errs.push(fieldError.forbidden(p, 'may not specify more than 1 handler type'));
      continue;
    }
    n++;
    if (kind === 'exec' && !list(a['command'] as string[] | undefined).length) errs.push(fieldError.required(child(p, 'command')));
    if (kind === 'httpGet') {
      if (!a['path']) errs.push(fieldError.required(child(p, 'path')));
      errs.push(...validatePortNumOrName(a['port'], child(p, 'port')));
      if (a['scheme'] !== 'HTTP' && a['scheme'] !== 'HTTPS') errs.push(fieldError.notSupported(child(p, 'scheme'), a['scheme'] ?? '', ['HTTP', 'HTTPS']));
      for (const hd of list(a['httpHeaders'] as { name: string }[] | undefined)) errs.push(...invalidEach(child(p, 'httpHeaders'), hd.name, isHTTPHeaderName(hd.name ?? '')));
    }
    if (kind === 'tcpSocket') errs.push(...validatePortNumOrName(a['port'], child(p, 'port')));
    if (kind === 'grpc') errs.push(...validatePortNumOrName(Number(a['port'] ?? 0), child(p, 'port')));
    if (kind === 'sleep' && ctx.gracePeriod !== undefined) {
      const s = Number(a['seconds'] ?? 0);
      // Zero-second sleeps need a gate that is off in Kubernetes 1.32.
      if (s <= 0 || s > ctx.gracePeriod) errs.push(fieldError.invalid(p, s, `must be greater than 0 and less than terminationGracePeriodSeconds (${ctx.gracePeriod}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`));
    }
  }
  if (n === 0) errs.push(fieldError.required(path, 'must specify a handler type'));
  return errs;
}

/** A liveness, readiness or startup probe. */
export function validateProbe(p: Probe | undefined, kind: 'livenessProbe' | 'readinessProbe' | 'startupProbe', ctx: ContainerContext, path: string): FieldError[] {
  if (!p) return [];
  const errs = validateHandler(p, ctx, path, ['exec', 'httpGet', 'tcpSocket', 'grpc']);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) errs.push(...validateNonnegative(p[f], child(path, f)));
  if (p.terminationGracePeriodSeconds !== undefined && p.terminationGracePeriodSeconds <= 0) errs.push(fieldError.invalid(child(path, 'terminationGracePeriodSeconds'), p.terminationGracePeriodSeconds, 'must be greater than 0'));
  if (kind !== 'readinessProbe' && p.successThreshold !== 1) errs.push(fieldError.invalid(child(path, 'successThreshold'), p.successThreshold ?? 0, 'must be 1'));
  if (kind === 'readinessProbe' && p.terminationGracePeriodSeconds !== undefined) errs.push(fieldError.invalid(child(path, 'terminationGracePeriodSeconds'), p.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
  return errs;
}

/** Lifecycle hooks (postStart, preStop). */
export function validateLifecycle(c: Container, ctx: ContainerContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const hook of ['postStart', 'preStop'] as const) {
    const h = c.lifecycle?.[hook];
    if (h) errs.push(...validateHandler(h, ctx, child(path, hook), ['exec', 'httpGet', 'tcpSocket', 'sleep']));
  }
  return errs;
}

/** Seccomp profile fields (pod or container). */
export function validateSeccompProfile(sp: { type?: string; localhostProfile?: string } | undefined, path: string): FieldError[] {
  if (!sp) return [];
  const errs: FieldError[] = [];
  const types = ['Localhost', 'RuntimeDefault', 'Unconfined'];
  if (!sp.type) errs.push(fieldError.required(child(path, 'type'), 'type is required when seccompProfile is set'));
  else if (!types.includes(sp.type)) errs.push(fieldError.notSupported(child(path, 'type'), sp.type, types));
  if (sp.type === 'Localhost') {
    if (sp.localhostProfile === undefined) errs.push(fieldError.required(child(path, 'localhostProfile'), 'must be set when seccomp type is Localhost'));
    else errs.push(...validateLocalDescendingPath(sp.localhostProfile, child(path, 'localhostProfile')));
  } else if (sp.localhostProfile !== undefined) errs.push(fieldError.invalid(child(path, 'localhostProfile'), sp, 'can only be set when seccomp type is Localhost'));
  return errs;
}

function validateSecurityContext(sc: SecurityContext | undefined, hostUsers: boolean, path: string): FieldError[] {
  if (!sc) return [];
  const errs: FieldError[] = [];
  if (sc.runAsUser !== undefined) errs.push(...invalidEach(child(path, 'runAsUser'), sc.runAsUser, isValidID(sc.runAsUser)));
  if (sc.runAsGroup !== undefined) errs.push(...invalidEach(child(path, 'runAsGroup'), sc.runAsGroup, isValidID(sc.runAsGroup)));
  if (sc.procMount !== undefined) {
    if (sc.procMount !== 'Default' && sc.procMount !== 'Unmasked') errs.push(fieldError.notSupported(child(path, 'procMount'), sc.procMount, ['Default', 'Unmasked']));
    if (hostUsers && sc.procMount === 'Unmasked') errs.push(fieldError.invalid(child(path, 'procMount'), sc.procMount, '`hostUsers` must be false to use `Unmasked`'));
  }
  errs.push(...validateSeccompProfile(sc.seccompProfile, child(path, 'seccompProfile')));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true) errs.push(fieldError.invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    if (list(sc.capabilities?.add).includes('CAP_SYS_ADMIN')) errs.push(fieldError.invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
  }
  return errs;
}

/** validateContainerCommon: the checks every container kind (regular, init, ephemeral) goes through. */
export function validateContainerCommon(c: Container, ctx: ContainerContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const namePath = child(path, 'name');
  if (!c.name) errs.push(fieldError.required(namePath));
  else errs.push(...validateDNS1123Label(c.name, namePath));
  if (!c.image) errs.push(fieldError.required(child(path, 'image')));
  const tmp = c.terminationMessagePolicy;
  if (!tmp) errs.push(fieldError.required(child(path, 'terminationMessagePolicy')));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') errs.push(fieldError.notSupported(child(path, 'terminationMessagePolicy'), tmp, ['File', 'FallbackToLogsOnError']));
  errs.push(...validateContainerPorts(c.ports, child(path, 'ports')));
  errs.push(...validateEnv(list(c.env), child(path, 'env')));
  errs.push(...validateEnvFrom(list(c.envFrom), child(path, 'envFrom')));
  errs.push(...validateVolumeMounts(c, ctx, child(path, 'volumeMounts')));
  const ipp = c.imagePullPolicy;
  if (!ipp) errs.push(fieldError.required(child(path, 'imagePullPolicy')));
  else if (!['Always', 'IfNotPresent', 'Never'].includes(ipp)) errs.push(fieldError.notSupported(child(path, 'imagePullPolicy'), ipp, ['Always', 'IfNotPresent', 'Never']));
  errs.push(...validateResourceRequirements(c.resources, child(path, 'resources'), ctx.podClaimNames));
  list(c.resizePolicy).forEach((rp, i) => {
    const p = child(path, 'resizePolicy');
    if (!['cpu', 'memory'].includes(rp.resourceName)) errs.push(rp.resourceName ? fieldError.notSupported(p, rp.resourceName, ['cpu', 'memory']) : fieldError.required(p));
    if (!['NotRequired', 'RestartContainer'].includes(rp.restartPolicy)) errs.push(rp.restartPolicy ? fieldError.notSupported(p, rp.restartPolicy, ['NotRequired', 'RestartContainer']) : fieldError.required(p));
    if (ctx.restartPolicy === 'Never' && rp.restartPolicy !== 'NotRequired') errs.push(fieldError.invalid(p, rp.restartPolicy, "must be 'NotRequired' when `restartPolicy` is 'Never'"));
    void i;
  });
  errs.push(...validateSecurityContext(c.securityContext, ctx.hostUsers, child(path, 'securityContext')));
  return errs;
}

/** Host ports must be unique per protocol and host IP across the given containers. */
export function checkHostPortConflicts(cs: readonly Container[], path: string, seen = new Set<string>()): FieldError[] {
  const errs: FieldError[] = [];
  cs.forEach((c, ci) => {
    list(c.ports).forEach((p, pi) => {
      if (!p.hostPort) return;
      const key = `${p.protocol ?? ''}/${p.hostIP ?? ''}/${p.hostPort}`;
      if (seen.has(key)) errs.push(fieldError.duplicate(child(index(child(index(path, ci), 'ports'), pi), 'hostPort'), key));
      else seen.add(key);
    });
  });
  return errs;
}
