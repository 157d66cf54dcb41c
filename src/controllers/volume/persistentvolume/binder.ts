// The PersistentVolume binder: binds pending claims to matching volumes, provisions volumes for claims of a
// kin-provisioned class (hostPath on the simulated node), marks unclaimed volumes Available, and reclaims
// volumes whose claim is gone (Delete → the volume is deleted, Retain → Released).
import type { StorageClass } from 'kubernetes-types/storage/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { isConflict, isNotFound, type ApiClient, type ResourceRef } from '../../../client/index.js';
import type { Clock, Logger } from '../../../util/index.js';
import { Controller, type EventRecorder, type Reconciler, type ReconcileResult, type SharedInformerFactory } from '../../runtime/index.js';
import { claimClass, findVolumeFor, refersTo, type Claim, type Volume } from './matching.js';

/** The provisioner kin itself runs for the default StorageClass. */
export const hostPathProvisioner = 'kin.dev/hostpath';
/** Where provisioned hostPath volumes live on a node. */
export const hostPathVolumeRoot = '/var/lib/kin/volumes';

/** Annotations the binder and the scheduler share (Kubernetes' names). */
export const annBindCompleted = 'pv.kubernetes.io/bind-completed';
export const annBoundByController = 'pv.kubernetes.io/bound-by-controller';
export const annProvisionedBy = 'pv.kubernetes.io/provisioned-by';
export const annSelectedNode = 'volume.kubernetes.io/selected-node';
export const annStorageProvisioner = 'volume.kubernetes.io/storage-provisioner';
export const annBetaStorageProvisioner = 'volume.beta.kubernetes.io/storage-provisioner';

const isDefaultClass = 'storageclass.kubernetes.io/is-default-class';
const pvcs: ResourceRef = { group: '', version: 'v1', plural: 'persistentvolumeclaims', namespaced: true };
const pvs: ResourceRef = { group: '', version: 'v1', plural: 'persistentvolumes', namespaced: false };
const classes: ResourceRef = { group: 'storage.k8s.io', version: 'v1', plural: 'storageclasses', namespaced: false };

/** The work-queue key of a claim. */
export const claimKey = (namespace: string | undefined, name: string | undefined): string => `claim:${namespace ?? ''}/${name ?? ''}`;
/** The work-queue key of a volume. */
export const volumeKey = (name: string | undefined): string => `volume:${name ?? ''}`;

/** Reconciles one claim (`claim:<ns>/<name>`) or one volume (`volume:<name>`). */
export class PersistentVolumeBinder implements Reconciler {
  constructor(private readonly client: ApiClient, private readonly recorder?: EventRecorder) {}

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    try {
      if (key.startsWith('claim:')) {
        const [namespace = '', name = ''] = key.slice('claim:'.length).split('/');
        await this.syncClaim(namespace, name, signal);
      } else if (key.startsWith('volume:')) {
        await this.syncVolume(key.slice('volume:'.length), signal);
      }
    } catch (e) {
      // A write lost a race with another writer: look again at fresh objects.
      if (isConflict(e) || isNotFound(e)) return { requeueAfterMs: 100 };
      throw e;
    }
    return undefined;
  }

  private async get<T extends KubeObject>(ref: ResourceRef, name: string, namespace: string | undefined, signal: AbortSignal): Promise<T | undefined> {
    try {
      return await this.client.resource<T>(ref).get(name, { ...(namespace ? { namespace } : {}), signal });
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  private async syncClaim(namespace: string, name: string, signal: AbortSignal): Promise<void> {
    const claim = await this.get<Claim>(pvcs, name, namespace, signal);
    if (!claim || claim.metadata?.deletionTimestamp) return;
    if (claim.status?.phase === 'Bound' && claim.spec?.volumeName) return;
    if (claim.spec?.storageClassName === undefined && !claim.spec?.volumeName) {
      // A claim that names no class gets the default one once there is one (retroactive default class).
      const list = (await this.client.resource<StorageClass & KubeObject>(classes).list({ signal })).items;
      const def = list.filter((c) => c.metadata?.annotations?.[isDefaultClass] === 'true').sort((a, b) => (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? ''))[0];
      if (def) {
        await this.client.resource<Claim>(pvcs).update({ ...claim, spec: { ...claim.spec, storageClassName: def.metadata?.name ?? '' } }, { signal });
        return; // the update enqueues the claim again
      }
    }
    const volumes = (await this.client.resource<Volume>(pvs).list({ signal })).items;
    const pv = findVolumeFor(claim, volumes);
    if (pv) {
      await this.bind(pv, claim, signal);
      return;
    }
    if (claim.spec?.volumeName) return; // waits for the volume it names
    const className = claimClass(claim);
    if (!className) {
      this.recorder?.event(claim, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set');
      return;
    }
    const sc = await this.get<StorageClass & KubeObject>(classes, className, undefined, signal);
    if (!sc) {
      this.recorder?.event(claim, 'Warning', 'ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`);
      return;
    }
    const selectedNode = claim.metadata?.annotations?.[annSelectedNode];
    if (sc.volumeBindingMode === 'WaitForFirstConsumer' && !selectedNode) {
      this.recorder?.event(claim, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
      return;
    }
    const annotated = await this.annotateProvisioner(claim, sc.provisioner, signal);
    if (sc.provisioner !== hostPathProvisioner) {
      this.recorder?.event(
        annotated,
        'Normal',
        'ExternalProvisioning',
        `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
      );
      return;
    }
    const created = await this.provision(annotated, sc, selectedNode, signal);
    this.recorder?.event(annotated, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${created.metadata?.name ?? ''} using ${hostPathProvisioner}`);
    await this.bind(created, annotated, signal);
  }

  private async annotateProvisioner(claim: Claim, provisioner: string, signal: AbortSignal): Promise<Claim> {
    const ann = claim.metadata?.annotations ?? {};
    if (ann[annStorageProvisioner] === provisioner && ann[annBetaStorageProvisioner] === provisioner) return claim;
    const next = { ...claim, metadata: { ...claim.metadata, annotations: { ...ann, [annStorageProvisioner]: provisioner, [annBetaStorageProvisioner]: provisioner } } };
    return this.client.resource<Claim>(pvcs).update(next, { signal });
  }

  private async provision(claim: Claim, sc: StorageClass, node: string | undefined, signal: AbortSignal): Promise<Volume> {
    const name = `pvc-${claim.metadata?.uid ?? ''}`;
    const existing = await this.get<Volume>(pvs, name, undefined, signal);
    if (existing) return existing;
    const storage = claim.spec?.resources?.requests?.['storage'];
    const pv: Volume = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name, annotations: { [annProvisionedBy]: hostPathProvisioner } },
      spec: {
        ...(storage !== undefined ? { capacity: { storage } } : {}),
        accessModes: claim.spec?.accessModes ?? ['ReadWriteOnce'],
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
        storageClassName: sc.metadata?.name ?? '',
        volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
        hostPath: { path: `${hostPathVolumeRoot}/${name}`, type: 'DirectoryOrCreate' },
        claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: claim.metadata?.namespace ?? '', name: claim.metadata?.name ?? '', uid: claim.metadata?.uid ?? '', resourceVersion: claim.metadata?.resourceVersion ?? '' },
        ...(node
          ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } } }
          : {}),
      },
    };
    return this.client.resource<Volume>(pvs).create(pv, { signal });
  }

  /** Binds both sides: the volume's claimRef and phase, then the claim's volumeName, annotations and status. */
  private async bind(pv: Volume, claim: Claim, signal: AbortSignal): Promise<void> {
    const volumes = this.client.resource<Volume>(pvs);
    const claims = this.client.resource<Claim>(pvcs);
    let volume = pv;
    const m = claim.metadata ?? {};
    if (!refersTo(volume, claim) || !volume.spec?.claimRef?.uid) {
      const byController = volume.spec?.claimRef ? {} : { [annBoundByController]: 'yes' };
      volume = await volumes.update(
        {
          ...volume,
          metadata: { ...volume.metadata, annotations: { ...volume.metadata?.annotations, ...byController } },
          spec: { ...volume.spec, claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: m.namespace ?? '', name: m.name ?? '', uid: m.uid ?? '', resourceVersion: m.resourceVersion ?? '' } },
        },
        { signal },
      );
    }
    if (volume.status?.phase !== 'Bound') volume = await volumes.update({ ...volume, status: { ...volume.status, phase: 'Bound' } }, { signal, subresource: 'status' });
    let c = claim;
    const ann = m.annotations ?? {};
    if (c.spec?.volumeName !== volume.metadata?.name || ann[annBindCompleted] !== 'yes') {
      const byController = c.spec?.volumeName ? {} : { [annBoundByController]: 'yes' };
      c = await claims.update({ ...c, metadata: { ...m, annotations: { ...ann, [annBindCompleted]: 'yes', ...byController } }, spec: { ...c.spec, volumeName: volume.metadata?.name ?? '' } }, { signal });
    }
    const status = { ...c.status, phase: 'Bound', accessModes: volume.spec?.accessModes ?? [], capacity: volume.spec?.capacity ?? {} };
    await claims.update({ ...c, status }, { signal, subresource: 'status' });
  }

  private async syncVolume(name: string, signal: AbortSignal): Promise<void> {
    const volumes = this.client.resource<Volume>(pvs);
    const pv = await this.get<Volume>(pvs, name, undefined, signal);
    if (!pv || pv.metadata?.deletionTimestamp) return;
    const ref = pv.spec?.claimRef;
    if (!ref) {
      if (pv.status?.phase !== 'Available') await volumes.update({ ...pv, status: { ...pv.status, phase: 'Available' } }, { signal, subresource: 'status' });
      return;
    }
    const claim = ref.name ? await this.get<Claim>(pvcs, ref.name, ref.namespace, signal) : undefined;
    const gone = !claim || (ref.uid !== undefined && ref.uid !== '' && claim.metadata?.uid !== ref.uid);
    if (!gone) {
      // Bound, or pre-bound and waiting for its claim: the claim's sync does the binding.
      if (claim.spec?.volumeName === name && pv.status?.phase !== 'Bound') await volumes.update({ ...pv, status: { ...pv.status, phase: 'Bound' } }, { signal, subresource: 'status' });
      return;
    }
    if (!ref.uid) return; // pre-bound by a user to a claim that does not exist yet
    if ((pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain') === 'Delete') {
      try {
        await volumes.delete(name, { signal });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      return;
    }
    if (pv.status?.phase !== 'Released') await volumes.update({ ...pv, status: { ...pv.status, phase: 'Released' } }, { signal, subresource: 'status' });
  }
}

/** Builds the `persistentvolume-binder` controller: claims and volumes enqueue themselves, volumes also their claim. */
export function newPersistentVolumeBinderController(factory: SharedInformerFactory, opts: { client: ApiClient; recorder?: EventRecorder; clock?: Clock; logger?: Logger }): Controller {
  const c = new Controller({
    name: 'persistentvolume-binder',
    reconciler: new PersistentVolumeBinder(opts.client, opts.recorder),
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
  c.watch(factory.informerFor<Claim>(pvcs), (o) => [claimKey(o.metadata?.namespace, o.metadata?.name)]);
  c.watch(factory.informerFor<Volume>(pvs), (o) => {
    const ref = o.spec?.claimRef;
    return ref?.name ? [volumeKey(o.metadata?.name), claimKey(ref.namespace, ref.name)] : [volumeKey(o.metadata?.name)];
  });
  return c;
}
