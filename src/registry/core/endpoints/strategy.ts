// The Endpoints strategy (pkg/registry/core/endpoint/strategy.go): subsets, addresses and ports.
import type { EndpointAddress, EndpointPort, Endpoints } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { child, fieldError, index, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import { as, coreInfo, invalidEach, isDNS1123Subdomain, isQualifiedName, isValidIP, isValidPortNum, list, nameIsDNSSubdomain, validateDNS1123Label, type CoreStrategy } from '../shared/index.js';
import { validateNonSpecialIP } from '../service/validation.js';

const protocols = ['SCTP', 'TCP', 'UDP'];

function validateAddress(a: EndpointAddress, path: string): FieldError[] {
  const errs = invalidEach(child(path, 'ip'), a.ip ?? '', isValidIP(a.ip ?? ''));
  if (a.hostname) errs.push(...validateDNS1123Label(a.hostname, child(path, 'hostname')));
  if (a.nodeName !== undefined && a.nodeName !== null) errs.push(...invalidEach(child(path, 'nodeName'), a.nodeName, isDNS1123Subdomain(a.nodeName)));
  return errs.concat(validateNonSpecialIP(a.ip ?? '', child(path, 'ip')));
}

function validatePort(p: EndpointPort, requireName: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !p.name) errs.push(fieldError.required(child(path, 'name')));
  else if (p.name) errs.push(...validateDNS1123Label(p.name, child(path, 'name')));
  errs.push(...invalidEach(child(path, 'port'), p.port ?? 0, isValidPortNum(p.port ?? 0)));
  if (!p.protocol) errs.push(fieldError.required(child(path, 'protocol')));
  else if (!protocols.includes(p.protocol)) errs.push(fieldError.notSupported(child(path, 'protocol'), p.protocol, protocols));
  if (p.appProtocol !== undefined) errs.push(...invalidEach(child(path, 'appProtocol'), p.appProtocol, isQualifiedName(p.appProtocol)));
  return errs;
}

/** ValidateEndpoints (without ObjectMeta). */
export function validateEndpoints(obj: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  list(as<Endpoints>(obj).subsets).forEach((ss, i) => {
    const p = index('subsets', i);
    if (!list(ss.addresses).length && !list(ss.notReadyAddresses).length) errs.push(fieldError.required(p, 'must specify `addresses` or `notReadyAddresses`'));
    list(ss.addresses).forEach((a, j) => errs.push(...validateAddress(a, index(child(p, 'addresses'), j))));
    list(ss.notReadyAddresses).forEach((a, j) => errs.push(...validateAddress(a, index(child(p, 'notReadyAddresses'), j))));
    const ports = list(ss.ports);
    ports.forEach((port, j) => errs.push(...validatePort(port, ports.length > 1, index(child(p, 'ports'), j))));
  });
  return errs;
}

/** `ip:port` pairs of the ready addresses, at most three, then `+ N more...`; `<none>` without subsets. */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = list(ep.subsets);
  if (!subsets.length) return '<none>';
  const out: string[] = [];
  const max = 3;
  let count = 0;
  const add = (s: string) => {
    if (out.length < max) out.push(s);
    count++;
  };
  for (const ss of subsets) {
    const ports = list(ss.ports);
    if (!ports.length) for (const a of list(ss.addresses)) add(a.ip ?? '');
    else for (const port of ports) for (const a of list(ss.addresses)) add((a.ip ?? '').includes(':') ? `[${a.ip}]:${port.port}` : `${a.ip}:${port.port}`);
  }
  const s = out.join(',');
  return count > max ? `${s} + ${count - max} more...` : s;
}

/** The Endpoints strategy. */
export const endpointsStrategy: CoreStrategy = {
  info: coreInfo('Endpoints'),
  schemaName: 'io.k8s.api.core.v1.Endpoints',
  nameValidation: nameIsDNSSubdomain,
  generation: 'none',
  allowCreateOnUpdate: true,
  defaults(obj) {
    for (const ss of list(as<Endpoints>(obj).subsets)) for (const p of list(ss.ports)) if (!p.protocol) p.protocol = 'TCP';
  },
  validate: validateEndpoints,
  printer: {
    columns: [
      nameColumn,
      column('Endpoints', { description: 'The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.' }),
      ageColumn,
    ],
    row: (obj, ctx) => [obj.metadata?.name ?? '', formatEndpoints(as<Endpoints>(obj)), age(obj.metadata?.creationTimestamp, ctx.now)],
  },
};
