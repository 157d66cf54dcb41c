// ServiceAccount: a pod runs as a ServiceAccount (`default` unless it names one), which must exist; unless the
// pod or its account turns automounting off, every container gets the account's API credentials as the projected
// `kube-api-access-<random>` volume (bound token, cluster CA, namespace) at /var/run/secrets/kubernetes.io/serviceaccount.
import type { KubeObject } from '../../api/index.js';
import { admissionForbidden } from '../errors.js';
import type { AdmissionAttributes, AdmissionPlugin, PluginDeps } from '../interfaces.js';

/** The account a pod that names none runs as. */
export const defaultServiceAccountName = 'default';
/** Where the API credentials are mounted in every container. */
export const defaultAPITokenMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The name prefix of the projected credentials volume. */
export const serviceAccountVolumeName = 'kube-api-access';
/** The lifetime asked for the bound token (kube-apiserver's warn-only expiry, 1 h 7 s). */
export const boundTokenExpirationSeconds = 3607;
/** Pods carrying this annotation are the kubelet's mirror pods: not changed, and may reference no account. */
export const mirrorPodAnnotation = 'kubernetes.io/config.mirror';
/** A ServiceAccount annotated `true` here only lets its pods use the secrets it lists. */
export const enforceMountableSecretsAnnotation = 'kubernetes.io/enforce-mountable-secrets';

const nameChars = 'bcdfghjklmnpqrstvwxz2456789';
const serviceAccounts = { group: '', resource: 'serviceaccounts' };

type Json = Record<string, any>;

/** The projected volume source of the API credentials. */
export function tokenVolumeSource(): Json {
  return {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds: boundTokenExpirationSeconds, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  };
}

function shouldAutomount(sa: KubeObject, spec: Json): boolean {
  // The pod's own choice wins, then the account's; the default is to mount.
  if (typeof spec['automountServiceAccountToken'] === 'boolean') return spec['automountServiceAccountToken'];
  if (typeof sa['automountServiceAccountToken'] === 'boolean') return sa['automountServiceAccountToken'] as boolean;
  return true;
}

/** A secret a container uses: through one env var (`env` set) or through envFrom. */
interface ContainerSecret {
  container: string;
  init: boolean;
  env?: string;
  secret: string;
}

function secretNamesOf(spec: Json): { volumes: string[]; containers: ContainerSecret[] } {
  const volumes: string[] = [];
  for (const v of (spec['volumes'] ?? []) as Json[]) {
    if (v['secret']) volumes.push(String(v['secret']['secretName'] ?? ''));
  }
  const containers: ContainerSecret[] = [];
  for (const [list, init] of [[spec['initContainers'], true], [spec['containers'], false]] as const) {
    for (const c of (list ?? []) as Json[]) {
      for (const e of (c['env'] ?? []) as Json[]) {
        const ref = e['valueFrom']?.['secretKeyRef'];
        if (ref) containers.push({ container: String(c['name']), init, env: String(e['name']), secret: String(ref['name'] ?? '') });
      }
      for (const e of (c['envFrom'] ?? []) as Json[]) {
        if (e['secretRef']) containers.push({ container: String(c['name']), init, secret: String(e['secretRef']['name'] ?? '') });
      }
    }
  }
  return { volumes, containers };
}

/** Whether a pod uses any secret at all (volumes, projected sources, env, envFrom, image pull secrets). */
function usesSecrets(spec: Json): boolean {
  const refs = secretNamesOf(spec);
  if (refs.volumes.length || refs.containers.length || (spec['imagePullSecrets'] ?? []).length) return true;
  for (const c of (spec['ephemeralContainers'] ?? []) as Json[]) {
    if (((c['env'] ?? []) as Json[]).some((e) => e['valueFrom']?.['secretKeyRef']) || ((c['envFrom'] ?? []) as Json[]).some((e) => e['secretRef'])) return true;
  }
  return ((spec['volumes'] ?? []) as Json[]).some((v) => ((v['projected']?.['sources'] ?? []) as Json[]).some((s) => s['secret']));
}

/** With the enforce-mountable-secrets annotation: the pod may only use secrets its account lists. */
function limitSecretReferences(sa: KubeObject, spec: Json): string | undefined {
  const saName = sa.metadata?.name ?? '';
  const mountable = new Set(((sa['secrets'] ?? []) as Json[]).map((s) => s['name']));
  const refs = secretNamesOf(spec);
  for (const v of refs.volumes) if (!mountable.has(v)) return `volume with secret.secretName="${v}" is not allowed because service account ${saName} does not reference that secret`;
  for (const e of refs.containers) {
    if (mountable.has(e.secret)) continue;
    const who = `${e.init ? 'init container' : 'container'} ${e.container}`;
    const how = e.env !== undefined ? `with envVar ${e.env} referencing` : 'with envFrom referencing';
    return `${who} ${how} secret.secretName="${e.secret}" is not allowed because service account ${saName} does not reference that secret`;
  }
  const pull = new Set(((sa['imagePullSecrets'] ?? []) as Json[]).map((s) => s['name']));
  const podPull = (spec['imagePullSecrets'] ?? []) as Json[];
  for (let i = 0; i < podPull.length; i++) {
    if (!pull.has(podPull[i]!['name'])) return `imagePullSecrets[${i}].name="${podPull[i]!['name']}" is not allowed because service account ${saName} does not reference that imagePullSecret`;
  }
  return undefined;
}

/** The ServiceAccount plugin. */
export function serviceAccountPlugin(deps: PluginDeps): AdmissionPlugin {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = deps.random ?? Math.random;

  /** The account, retried for a while when it is `default` (the service account controller makes it soon after the namespace). */
  async function getServiceAccount(a: AdmissionAttributes, name: string): Promise<KubeObject> {
    const attempts = name === defaultServiceAccountName ? 10 : 1;
    const interval = 100 + Math.floor(random() * 100);
    for (let i = 0; i < attempts; i++) {
      if (i > 0) await sleep(interval);
      const sa = await deps.lookup.get(serviceAccounts, a.namespace, name);
      if (sa) return sa;
    }
    throw admissionForbidden(a, `error looking up service account ${a.namespace}/${name}: serviceaccount "${name}" not found`);
  }

  function generateVolumeName(): string {
    let s = `${serviceAccountVolumeName}-`;
    for (let i = 0; i < 5; i++) s += nameChars[Math.floor(random() * nameChars.length)];
    return s;
  }

  function mountToken(spec: Json): void {
    const volumes = (spec['volumes'] ?? []) as Json[];
    const existing = volumes.find((v) => typeof v['name'] === 'string' && v['name'].startsWith(`${serviceAccountVolumeName}-`));
    const volumeName: string = existing ? existing['name'] : generateVolumeName();
    let needed = false;
    for (const key of ['initContainers', 'containers']) {
      for (const c of (spec[key] ?? []) as Json[]) {
        const mounts = (c['volumeMounts'] ?? []) as Json[];
        // A container that mounts something at the path already keeps it.
        if (mounts.some((m) => m['mountPath'] === defaultAPITokenMountPath)) continue;
        c['volumeMounts'] = [...mounts, { name: volumeName, readOnly: true, mountPath: defaultAPITokenMountPath }];
        needed = true;
      }
    }
    if (!existing && needed) spec['volumes'] = [...volumes, { name: volumeName, projected: tokenVolumeSource() }];
  }

  async function validate(a: AdmissionAttributes): Promise<void> {
    const pod = a.object;
    if (!pod || a.operation !== 'CREATE') return;
    const spec = (pod['spec'] ?? {}) as Json;
    if (pod.metadata?.annotations?.[mirrorPodAnnotation] !== undefined) {
      if (spec['serviceAccountName']) throw admissionForbidden(a, 'a mirror pod may not reference service accounts');
      const projectedTokens = ((spec['volumes'] ?? []) as Json[]).some((v) => ((v['projected']?.['sources'] ?? []) as Json[]).some((s) => s['serviceAccountToken']));
      if (usesSecrets(spec)) throw admissionForbidden(a, 'a mirror pod may not reference secrets');
      if (projectedTokens) throw admissionForbidden(a, 'a mirror pod may not use ServiceAccountToken volume projections');
      return;
    }
    const saName = spec['serviceAccountName'] as string | undefined;
    if (!saName) throw admissionForbidden(a, `no service account specified for pod ${a.namespace}/${pod.metadata?.name ?? ''}`);
    const sa = await getServiceAccount(a, saName);
    const enforce = sa.metadata?.annotations?.[enforceMountableSecretsAnnotation];
    if (enforce === 'true' || enforce === '1' || enforce === 'True' || enforce === 'TRUE' || enforce === 't' || enforce === 'T') {
      const why = limitSecretReferences(sa, spec);
      if (why) throw admissionForbidden(a, why);
    }
  }

  return {
    name: 'ServiceAccount',
    handles: (op, r) => op === 'CREATE' && r.group === '' && r.resource === 'pods' && r.subresource === '',
    async admit(a) {
      const pod = a.object;
      if (!pod) return;
      if (pod.metadata?.annotations?.[mirrorPodAnnotation] !== undefined) return validate(a);
      const spec = (pod['spec'] ??= {}) as Json;
      if (!spec['serviceAccountName']) spec['serviceAccountName'] = defaultServiceAccountName;
      const sa = await getServiceAccount(a, spec['serviceAccountName']);
      if (shouldAutomount(sa, spec)) mountToken(spec);
      const pull = (sa['imagePullSecrets'] ?? []) as Json[];
      if (!(spec['imagePullSecrets'] ?? []).length && pull.length) spec['imagePullSecrets'] = pull.map((p) => ({ ...p }));
      // The checks follow in the validating phase.
    },
    validate,
  };
}
