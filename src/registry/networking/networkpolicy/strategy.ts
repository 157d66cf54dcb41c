// networking.k8s.io/v1 NetworkPolicy: policyTypes and protocol defaults, peer and port validation, columns.
import type { IPBlock, NetworkPolicy as KNetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec } from 'kubernetes-types/networking/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { child, fieldError, index, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import type { Printer } from '../../strategy.js';
import { builtinInfo, cidrErrors, formatLabelSelector, nameIsDNSSubdomain, portNameErrors, portNumErrors, validateLabelSelector, type GroupStrategy } from '../../apps/index.js';

/** A NetworkPolicy as the strategy sees it. */
export type NetworkPolicy = KNetworkPolicy & KubeObject;

/** SetDefaults_NetworkPolicy and SetDefaults_NetworkPolicyPort. */
export function defaultNetworkPolicy(np: NetworkPolicy): void {
  const spec = (np.spec ??= { podSelector: {} });
  if (!spec.policyTypes?.length) spec.policyTypes = spec.egress?.length ? ['Ingress', 'Egress'] : ['Ingress'];
  for (const rule of [...(spec.ingress ?? []), ...(spec.egress ?? [])]) for (const p of rule.ports ?? []) p.protocol ??= 'TCP';
}

function validatePort(p: NetworkPolicyPort, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.protocol !== undefined && !['TCP', 'UDP', 'SCTP'].includes(p.protocol)) errs.push(fieldError.notSupported(child(path, 'protocol'), p.protocol, ['TCP', 'UDP', 'SCTP']));
  if (typeof p.port === 'number') {
    for (const m of portNumErrors(p.port)) errs.push(fieldError.invalid(child(path, 'port'), p.port, m));
    if (p.endPort !== undefined) {
      if (p.endPort < p.port) errs.push(fieldError.invalid(child(path, 'endPort'), p.port, 'must be greater than or equal to `port`'));
      for (const m of portNumErrors(p.endPort)) errs.push(fieldError.invalid(child(path, 'endPort'), p.endPort, m));
    }
  } else if (typeof p.port === 'string') {
    if (p.endPort !== undefined) errs.push(fieldError.invalid(child(path, 'endPort'), p.endPort, 'may not be specified when `port` is non-numeric'));
    for (const m of portNameErrors(p.port)) errs.push(fieldError.invalid(child(path, 'port'), p.port, m));
  } else if (p.endPort !== undefined) {
    errs.push(fieldError.invalid(child(path, 'endPort'), p.endPort, 'may not be specified when `port` is not specified'));
  }
  return errs;
}

function validateIPBlock(b: IPBlock, path: string): FieldError[] {
  if (!b.cidr) return [fieldError.required(child(path, 'cidr'), '')];
  const errs = cidrErrors(b.cidr).map((m) => fieldError.invalid(child(path, 'cidr'), b.cidr, m));
  if (errs.length) return errs;
  (b.except ?? []).forEach((e, i) => {
    const p = index(child(path, 'except'), i);
    const bad = cidrErrors(e);
    if (bad.length) errs.push(...bad.map((m) => fieldError.invalid(p, e, m)));
    else if (!strictSubset(e, b.cidr)) errs.push(fieldError.invalid(p, e, 'must be a strict subset of `cidr`'));
  });
  return errs;
}

// IPv4 only: other families are accepted as written.
function strictSubset(inner: string, outer: string): boolean {
  const parse = (c: string) => {
    const [ip, bits] = c.split('/') as [string, string];
    const parts = ip.split('.').map(Number);
    if (parts.length !== 4) return undefined;
    return { n: parts.reduce((a, b) => a * 256 + b, 0), bits: Number(bits) };
  };
  const a = parse(inner);
  const b = parse(outer);
  if (!a || !b) return true;
  if (a.bits <= b.bits) return false;
  const block = 2 ** (32 - b.bits);
  return Math.floor(a.n / block) === Math.floor(b.n / block);
}

function validatePeer(peer: NetworkPolicyPeer, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  if (peer.podSelector) {
    n++;
    errs.push(...validateLabelSelector(peer.podSelector, child(path, 'podSelector')));
  }
  if (peer.namespaceSelector) {
    n++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, child(path, 'namespaceSelector')));
  }
  if (peer.ipBlock) {
    n++;
    errs.push(...validateIPBlock(peer.ipBlock, child(path, 'ipBlock')));
  }
  if (n === 0) errs.push(fieldError.required(path, 'must specify a peer'));
  else if (n > 1 && peer.ipBlock) errs.push(fieldError.forbidden(path, 'may not specify both ipBlock and another peer'));
  return errs;
}

/** ValidateNetworkPolicySpec. */
export function validateNetworkPolicy(np: NetworkPolicy): FieldError[] {
  const spec: NetworkPolicySpec = np.spec ?? { podSelector: {} };
  const path = 'spec';
  const errs = validateLabelSelector(spec.podSelector, child(path, 'podSelector'));
  for (const [dir, peers] of [['ingress', 'from'], ['egress', 'to']] as const) {
    const rules = (spec[dir] ?? []) as { ports?: NetworkPolicyPort[]; from?: NetworkPolicyPeer[]; to?: NetworkPolicyPeer[] }[];
    rules.forEach((rule, i) => {
      const rPath = index(child(path, dir), i);
      (rule.ports ?? []).forEach((p, j) => errs.push(...validatePort(p, index(child(rPath, 'ports'), j))));
      (rule[peers] ?? []).forEach((p, j) => errs.push(...validatePeer(p, index(child(rPath, peers), j))));
    });
  }
  const types = spec.policyTypes ?? [];
  if (types.length > 2) errs.push(fieldError.invalid(child(path, 'policyTypes'), types, 'may not specify more than two policyTypes'));
  else types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(fieldError.notSupported(index(child(path, 'policyTypes'), i), t, ['Ingress', 'Egress']));
  });
  return errs;
}

/** kubectl's columns for NetworkPolicies. */
export const networkPolicyPrinter: Printer<NetworkPolicy> = {
  columns: [
    nameColumn,
    column('Pod-Selector', { description: "podSelector selects the pods to which this NetworkPolicy object applies. The array of rules is applied to any pods selected by this field. An empty selector matches all pods in the policy's namespace. Multiple network policies can select the same set of pods. In this case, the ingress rules for each are combined additively. This field is optional. If it is not specified, it defaults to an empty selector." }),
    ageColumn,
  ],
  row: (np, ctx) => [np.metadata?.name ?? '', formatLabelSelector(np.spec?.podSelector ?? {}), age(np.metadata?.creationTimestamp, ctx.now)],
};

/** The NetworkPolicy strategy. */
export const networkPolicyStrategy: GroupStrategy<NetworkPolicy> = {
  info: builtinInfo('networking.k8s.io', 'v1', 'NetworkPolicy'),
  schemaName: 'io.k8s.api.networking.v1.NetworkPolicy',
  nameValidation: nameIsDNSSubdomain,
  generation: 'spec',
  defaults: defaultNetworkPolicy,
  validate: validateNetworkPolicy,
  printer: networkPolicyPrinter,
};
