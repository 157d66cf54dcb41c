// The Node strategy (pkg/registry/core/node/strategy.go): status kept on create (kubelets register with it),
// podCIDRs and providerID set once, taints validated, and kubectl's node columns.
import type { Node, NodeSpec, Taint } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { fieldError, index, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import {
  as, canonicalizeResourceList, coreInfo, entries, invalidEach, isValidCIDR, isValidLabelValue, ipFamilyOf, keepOldStatus, list, nameIsDNSSubdomain,
  statusSubresource, validateLabelName, validateResourceQuantityValue, type CoreStrategy,
} from '../shared/index.js';

/** The Node's v1 conversion of podCIDR/podCIDRs (podCIDR wins on conflict) and SetDefaults_NodeStatus. */
export function defaultNode(node: Node): void {
  const spec = node.spec;
  if (spec?.podCIDR && (!list(spec.podCIDRs).length || spec.podCIDRs?.[0] !== spec.podCIDR)) spec.podCIDRs = [spec.podCIDR];
  if (spec && list(spec.podCIDRs).length) spec.podCIDR = spec.podCIDRs?.[0] ?? '';
  const st = node.status;
  if (st) {
    if (!st.allocatable && st.capacity) st.allocatable = { ...st.capacity };
    canonicalizeResourceList(st.capacity);
    canonicalizeResourceList(st.allocatable);
  }
}

/** Taints: label-like keys and values, a known effect, unique by key and effect (validateNodeTaints). */
export function validateTaints(taints: readonly Taint[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  const effects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
  taints.forEach((t, i) => {
    const p = index(path, i);
    errs.push(...validateLabelName(t.key ?? '', `${p}.key`));
    const vmsgs = isValidLabelValue(t.value ?? '');
    if (vmsgs.length) errs.push(fieldError.invalid(`${p}.value`, t.value ?? '', vmsgs.join(';')));
    if (!t.effect) errs.push(fieldError.required(`${p}.effect`));
    else if (!effects.includes(t.effect)) errs.push(fieldError.notSupported(`${p}.effect`, t.effect, effects));
    const k = `${t.effect ?? ''}\u0000${t.key ?? ''}`;
    if (seen.has(k)) {
      errs.push({ ...fieldError.duplicate(p, t), detail: 'taints must be unique by key and effect pair' });
      return;
    }
    seen.add(k);
  });
  return errs;
}

function validateResources(node: Node): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of entries(node.status?.capacity)) errs.push(...validateResourceQuantityValue(k, v, `status.capacity.${k}`));
  for (const [k, v] of entries(node.status?.allocatable)) errs.push(...validateResourceQuantityValue(k, v, `status.allocatable.${k}`));
  return errs;
}

/** ValidateNode (without ObjectMeta). Taint errors are reported under metadata.taints, as upstream does. */
function validateNode(obj: KubeObject): FieldError[] {
  const node = as<Node>(obj);
  const errs = validateTaints(list(node.spec?.taints), 'metadata.taints');
  errs.push(...validateResources(node));
  const cidrs = list(node.spec?.podCIDRs);
  cidrs.forEach((c, i) => errs.push(...invalidEach(`spec.podCIDRs[${i}]`, c, isValidCIDR(c))));
  if (cidrs.length > 1) {
    const fams = cidrs.map((c) => ipFamilyOf(c.split('/')[0] ?? ''));
    if (cidrs.length > 2 || fams[0] === fams[1]) errs.push(fieldError.invalid('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
    const seen = new Set<string>();
    cidrs.forEach((c, i) => {
      if (seen.has(c)) errs.push(fieldError.duplicate(`spec.podCIDRs[${i}]`, c));
      seen.add(c);
    });
  }
  return errs;
}

/** The update part of ValidateNodeUpdate: addresses unique, podCIDRs and providerID settable once. */
function validateNodeUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const node = as<Node>(obj);
  const spec: NodeSpec = node.spec ?? {};
  const prev: NodeSpec = as<Node>(old).spec ?? {};
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  list(node.status?.addresses).forEach((a, i) => {
    const k = `${a.type}\u0000${a.address}`;
    if (seen.has(k)) errs.push(fieldError.duplicate(`status.addresses[${i}]`, a));
    seen.add(k);
  });
  const oldCIDRs = list(prev.podCIDRs);
  if (oldCIDRs.length) {
    const now = list(spec.podCIDRs);
    const msg = 'node updates may not change podCIDR except from "" to valid';
    if (oldCIDRs.length !== now.length) errs.push(fieldError.forbidden('spec.podCIDRs', msg));
    else oldCIDRs.forEach((c, i) => {
      if (c !== now[i]) errs.push(fieldError.forbidden('spec.podCIDRs', msg));
    });
  }
  if (prev.providerID && prev.providerID !== spec.providerID) errs.push(fieldError.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  if ((spec.externalID ?? '') !== (prev.externalID ?? '')) errs.push(fieldError.forbidden('spec.externalID', 'may not be updated'));
  return errs;
}

/** Ready, NotReady or Unknown, plus SchedulingDisabled when cordoned. */
export function nodeStatusText(node: Node): string {
  const ready = list(node.status?.conditions).filter((c) => c.type === 'Ready').pop();
  const status = ready ? [ready.status === 'True' ? 'Ready' : 'NotReady'] : ['Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

/** Roles from `node-role.kubernetes.io/<role>` labels and the older `kubernetes.io/role` label, sorted. */
export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of entries(node.metadata?.labels)) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return [...roles].sort();
}

function address(node: Node, type: string): string {
  return list(node.status?.addresses).find((a) => a.type === type)?.address ?? '<none>';
}

const addressesDoc = "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/concepts/nodes/node/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).";

/** The Node strategy. */
export const nodeStrategy: CoreStrategy = {
  info: coreInfo('Node'),
  schemaName: 'io.k8s.api.core.v1.Node',
  nameValidation: nameIsDNSSubdomain,
  generation: 'none',
  defaults: (obj) => defaultNode(as<Node>(obj)),
  prepareForUpdate: keepOldStatus,
  validate: validateNode,
  validateUpdate: validateNodeUpdate,
  canonicalize: (obj) => defaultNode(as<Node>(obj)),
  printer: {
    columns: [
      nameColumn,
      column('Status', { description: 'The status of the node' }),
      column('Roles', { description: 'The roles of the node' }),
      ageColumn,
      column('Version', { description: 'Kubelet Version reported by the node.' }),
      column('Internal-IP', { priority: 1, description: addressesDoc }),
      column('External-IP', { priority: 1, description: addressesDoc }),
      column('OS-Image', { priority: 1, description: 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).' }),
      column('Kernel-Version', { priority: 1, description: "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)." }),
      column('Container-Runtime', { priority: 1, description: 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).' }),
    ],
    row(obj, ctx) {
      const node = as<Node>(obj);
      const info = node.status?.nodeInfo;
      return [
        node.metadata?.name ?? '',
        nodeStatusText(node),
        nodeRoles(node).join(',') || '<none>',
        age(node.metadata?.creationTimestamp, ctx.now),
        info?.kubeletVersion ?? '',
        address(node, 'InternalIP'),
        address(node, 'ExternalIP'),
        info?.osImage || '<unknown>',
        info?.kernelVersion || '<unknown>',
        info?.containerRuntimeVersion || '<unknown>',
      ];
    },
  },
  selectableFields: (obj) => ({ 'spec.unschedulable': String(as<Node>(obj).spec?.unschedulable === true) }),
  status: statusSubresource({
    prepare: (obj) => defaultNode(as<Node>(obj)),
    validate: (obj, old) => [...validateResources(as<Node>(obj)), ...validateNodeUpdate(obj, old)],
  }),
};

