// Pod defaulting as Kubernetes applies it (SetDefaults_Pod, SetDefaults_PodSpec, containers, volumes, probes),
// plus the v1 conversion rules that show up on read-back (serviceAccount mirror, podIP/podIPs, hostIP/hostIPs).
import type { Container, EphemeralContainer, LifecycleHandler, Pod, PodSpec, PodTemplateSpec, Probe, Volume } from 'kubernetes-types/core/v1.js';
import { canonicalizeResourceList, isObject, list } from '../shared/index.js';

const volumeSourceKeys = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos',
  'csi', 'ephemeral', 'image',
] as const;

/** The volume source fields of a Volume, in Kubernetes' declaration order. */
export const volumeSources: readonly string[] = volumeSourceKeys;

/** The tag Kubernetes reads from an image reference: `latest` when none and no digest, '' when it does not parse. */
export function imageTag(image: string | undefined): string {
  if (!image || /\s/.test(image)) return '';
  const at = image.indexOf('@');
  const named = at >= 0 ? image.slice(0, at) : image;
  const slash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  const repo = colon > slash ? named.slice(0, colon) : named;
  // Repository paths must be lower case (the domain part may not be, but kin keeps the check simple).
  const path = repo.includes('/') && /[.:]|^localhost$/.test(repo.slice(0, repo.indexOf('/'))) ? repo.slice(repo.indexOf('/') + 1) : repo;
  if (path === '' || path !== path.toLowerCase()) return '';
  const tag = colon > slash ? named.slice(colon + 1) : '';
  if (tag === '' && at < 0) return 'latest';
  return tag;
}

/** Always for `:latest` or an untagged image, IfNotPresent otherwise. */
export function defaultPullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  return imageTag(image) === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHandler(h: LifecycleHandler | Probe | undefined): void {
  const get = h?.httpGet;
  if (!get) return;
  if (!get.path) get.path = '/';
  if (!get.scheme) get.scheme = 'HTTP';
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  if (!p.timeoutSeconds) p.timeoutSeconds = 1;
  if (!p.periodSeconds) p.periodSeconds = 10;
  if (!p.successThreshold) p.successThreshold = 1;
  if (!p.failureThreshold) p.failureThreshold = 3;
  defaultHandler(p);
}

/** SetDefaults_Container and the generated defaults of its nested fields. */
export function defaultContainer(c: Container | EphemeralContainer): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = defaultPullPolicy(c.image);
  if (!c.terminationMessagePath) c.terminationMessagePath = '/dev/termination-log';
  if (!c.terminationMessagePolicy) c.terminationMessagePolicy = 'File';
  for (const p of list(c.ports)) if (!p.protocol) p.protocol = 'TCP';
  for (const e of list(c.env)) if (e.valueFrom?.fieldRef && !e.valueFrom.fieldRef.apiVersion) e.valueFrom.fieldRef.apiVersion = 'v1';
  // ResourceRequirements is a struct in Go, so it always serializes, as `resources: {}` when empty.
  if (!c.resources || typeof c.resources !== 'object') c.resources = {};
  canonicalizeResourceList(c.resources.limits);
  canonicalizeResourceList(c.resources.requests);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultHandler(c.lifecycle?.postStart);
  defaultHandler(c.lifecycle?.preStop);
}

/** SetDefaults_Volume and the defaults of each volume source. */
export function defaultVolume(v: Volume): void {
  const src = v as unknown as Record<string, unknown>;
  if (volumeSourceKeys.every((k) => src[k] === undefined || src[k] === null)) v.emptyDir = {};
  const image = src['image'];
  if (isObject(image) && !image['pullPolicy']) image['pullPolicy'] = defaultPullPolicy(image['reference'] as string | undefined);
  if (v.hostPath && v.hostPath.type === undefined) v.hostPath.type = '';
  if (v.secret && v.secret.defaultMode === undefined) v.secret.defaultMode = 0o644;
  if (v.configMap && v.configMap.defaultMode === undefined) v.configMap.defaultMode = 0o644;
  if (v.downwardAPI) {
    if (v.downwardAPI.defaultMode === undefined) v.downwardAPI.defaultMode = 0o644;
    for (const it of list(v.downwardAPI.items)) if (it.fieldRef && !it.fieldRef.apiVersion) it.fieldRef.apiVersion = 'v1';
  }
  if (v.projected) {
    if (v.projected.defaultMode === undefined) v.projected.defaultMode = 0o644;
    for (const s of list(v.projected.sources)) {
      for (const it of list(s.downwardAPI?.items)) if (it.fieldRef && !it.fieldRef.apiVersion) it.fieldRef.apiVersion = 'v1';
      if (s.serviceAccountToken && s.serviceAccountToken.expirationSeconds === undefined) s.serviceAccountToken.expirationSeconds = 3600;
    }
  }
  if (v.iscsi && !v.iscsi.iscsiInterface) v.iscsi.iscsiInterface = 'default';
  if (v.rbd) {
    if (!v.rbd.pool) v.rbd.pool = 'rbd';
    if (!v.rbd.user) v.rbd.user = 'admin';
    if (!v.rbd.keyring) v.rbd.keyring = '/etc/ceph/keyring';
  }
  if (v.azureDisk) {
    if (v.azureDisk.cachingMode === undefined) v.azureDisk.cachingMode = 'ReadWrite';
    if (v.azureDisk.kind === undefined) v.azureDisk.kind = 'Shared';
    if (v.azureDisk.fsType === undefined) v.azureDisk.fsType = 'ext4';
    if (v.azureDisk.readOnly === undefined) v.azureDisk.readOnly = false;
  }
  if (v.scaleIO) {
    if (!v.scaleIO.storageMode) v.scaleIO.storageMode = 'ThinProvisioned';
    if (!v.scaleIO.fsType) v.scaleIO.fsType = 'xfs';
  }
  const claim = v.ephemeral?.volumeClaimTemplate?.spec;
  if (claim) {
    if (claim.volumeMode === undefined) claim.volumeMode = 'Filesystem';
    canonicalizeResourceList(claim.resources?.limits);
    canonicalizeResourceList(claim.resources?.requests);
  }
}

/** The serviceAccount / serviceAccountName pair as v1 conversion leaves it (the deprecated field mirrors the new one). */
export function mirrorServiceAccount(spec: PodSpec): void {
  if (!spec.serviceAccountName && spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  else delete spec.serviceAccount;
}

/** SetDefaults_PodSpec with every nested default; shared by Pods and every pod template (Deployments, Jobs, ...). */
export function defaultPodSpec(spec: PodSpec): void {
  if (!spec.dnsPolicy) spec.dnsPolicy = 'ClusterFirst';
  if (!spec.restartPolicy) spec.restartPolicy = 'Always';
  if (!spec.securityContext || typeof spec.securityContext !== 'object') spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined || spec.terminationGracePeriodSeconds === null) spec.terminationGracePeriodSeconds = 30;
  if (!spec.schedulerName) spec.schedulerName = 'default-scheduler';
  for (const v of list(spec.volumes)) defaultVolume(v);
  for (const c of list(spec.initContainers)) defaultContainer(c);
  for (const c of list(spec.containers)) defaultContainer(c);
  for (const c of list(spec.ephemeralContainers)) defaultContainer(c);
  canonicalizeResourceList(spec.overhead);
  mirrorServiceAccount(spec);
}

/** Defaults of a pod template (the spec is created when absent, as Go's struct value would be). */
export function defaultPodTemplateSpec(t: PodTemplateSpec): void {
  if (!isObject(t.spec)) t.spec = { containers: [] };
  defaultPodSpec(t.spec);
}

function copyLimitsToRequests(c: Container): void {
  const limits = c.resources?.limits;
  if (!limits || !c.resources) return;
  const requests = (c.resources.requests = c.resources.requests ?? {});
  for (const [k, v] of Object.entries(limits)) if (!(k in requests)) requests[k] = v;
}

function defaultHostNetworkPorts(cs: readonly Container[]): void {
  for (const c of cs) for (const p of list(c.ports)) if (!p.hostPort) p.hostPort = p.containerPort;
}

/** The IP lists of a pod status as v1 conversion leaves them: podIP is podIPs[0] (podIP wins on conflict). */
export function normalizePodStatusIPs(pod: Pod): void {
  const st = pod.status;
  if (!st) return;
  if (st.podIP && (!st.podIPs?.length || st.podIPs[0]?.ip !== st.podIP)) st.podIPs = [{ ip: st.podIP }];
  if (st.podIPs?.length && st.podIPs[0]?.ip) st.podIP = st.podIPs[0].ip;
  if (st.hostIP && (!st.hostIPs?.length || st.hostIPs[0]?.ip !== st.hostIP)) st.hostIPs = [{ ip: st.hostIP }];
  if (st.hostIPs?.length && st.hostIPs[0]?.ip) st.hostIP = st.hostIPs[0].ip;
}

/** SetDefaults_Pod then the pod spec defaults: what a Pod read back from a real cluster carries. */
export function defaultPod(pod: Pod): void {
  if (!isObject(pod.spec)) pod.spec = { containers: [] };
  const spec = pod.spec;
  // Requests default to limits only on Pods, not on pod templates.
  for (const c of list(spec.containers)) copyLimitsToRequests(c);
  for (const c of list(spec.initContainers)) copyLimitsToRequests(c);
  if (spec.enableServiceLinks === undefined || spec.enableServiceLinks === null) spec.enableServiceLinks = true;
  if (spec.hostNetwork) {
    defaultHostNetworkPorts(list(spec.containers));
    defaultHostNetworkPorts(list(spec.initContainers));
  }
  defaultPodSpec(spec);
  normalizePodStatusIPs(pod);
}
