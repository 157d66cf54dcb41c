// discovery.k8s.io/v1 EndpointSlice: port defaults, address and port validation, columns.
import type { EndpointSlice as KEndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { KubeObject } from '../../../api/index.js';
import { child, fieldError, index, type FieldError } from '../../../machinery/index.js';
import { age, ageColumn, column, nameColumn } from '../../printing.js';
import type { Printer } from '../../strategy.js';
import { builtinInfo, dns1123LabelErrors, dns1123SubdomainErrors, immutable, ipFamily, nameIsDNSSubdomain, qualifiedNameErrors, type GroupStrategy } from '../../apps/index.js';

/** An EndpointSlice as the strategy sees it. */
export type EndpointSlice = KEndpointSlice & KubeObject;

const maxEndpoints = 1000;
const maxAddresses = 100;
const maxPorts = 20000;

/** SetDefaults_EndpointPort: name "" and protocol TCP. */
export function defaultEndpointSlice(s: EndpointSlice): void {
  for (const p of s.ports ?? []) {
    p.name ??= '';
    p.protocol ??= 'TCP';
  }
}

function validateAddress(addr: string, type: string, path: string): FieldError[] {
  switch (type) {
    case 'IPv4':
      return ipFamily(addr) === 4 ? [] : [fieldError.invalid(path, addr, 'must be a valid IPv4 address')];
    case 'IPv6':
      return ipFamily(addr) === 6 ? [] : [fieldError.invalid(path, addr, 'must be a valid IPv6 address')];
    case 'FQDN': {
      if (!addr) return [fieldError.required(path, '')];
      const errs = dns1123SubdomainErrors(addr).map((m) => fieldError.invalid(path, addr, m));
      if (!errs.length && !addr.includes('.')) errs.push(fieldError.invalid(path, addr, 'should be a domain with at least two segments separated by dots'));
      return errs;
    }
  }
  return [];
}

/** ValidateEndpointSlice. */
export function validateEndpointSlice(s: EndpointSlice): FieldError[] {
  const errs: FieldError[] = [];
  const type = s.addressType ?? '';
  if (!type) errs.push(fieldError.required('addressType', ''));
  else if (!['FQDN', 'IPv4', 'IPv6'].includes(type)) errs.push(fieldError.notSupported('addressType', type, ['FQDN', 'IPv4', 'IPv6']));
  const endpoints = s.endpoints ?? [];
  if (endpoints.length > maxEndpoints) errs.push(fieldError.tooMany('endpoints', endpoints.length, maxEndpoints));
  endpoints.forEach((ep, i) => {
    const p = index('endpoints', i);
    const ap = child(p, 'addresses');
    const addrs = ep.addresses ?? [];
    if (!addrs.length) errs.push(fieldError.required(ap, 'must contain at least 1 address'));
    else if (addrs.length > maxAddresses) errs.push(fieldError.tooMany(ap, addrs.length, maxAddresses));
    addrs.forEach((a, j) => errs.push(...validateAddress(a, type, index(ap, j))));
    if (ep.nodeName !== undefined) for (const m of dns1123SubdomainErrors(ep.nodeName)) errs.push(fieldError.invalid(child(p, 'nodeName'), ep.nodeName, m));
    if (ep.hostname !== undefined) for (const m of dns1123LabelErrors(ep.hostname)) errs.push(fieldError.invalid(child(p, 'hostname'), ep.hostname, m));
  });
  const ports = s.ports ?? [];
  if (ports.length > maxPorts) errs.push(fieldError.tooMany('ports', ports.length, maxPorts));
  const names = new Set<string>();
  ports.forEach((port, i) => {
    const p = index('ports', i);
    const name = port.name ?? '';
    if (name) for (const m of dns1123LabelErrors(name)) errs.push(fieldError.invalid(child(p, 'name'), name, m));
    if (names.has(name)) errs.push(fieldError.duplicate(child(p, 'name'), name));
    names.add(name);
    if (port.protocol === undefined) errs.push(fieldError.required(child(p, 'protocol'), ''));
    else if (!['SCTP', 'TCP', 'UDP'].includes(port.protocol)) errs.push(fieldError.notSupported(child(p, 'protocol'), port.protocol, ['SCTP', 'TCP', 'UDP']));
    if (port.appProtocol !== undefined) for (const m of qualifiedNameErrors(port.appProtocol)) errs.push(fieldError.invalid(child(p, 'appProtocol'), port.appProtocol, m));
  });
  return errs;
}

function listWithMore(list: string[], count: number, max: number): string {
  const s = list.join(',');
  if (count > max) return `${s} + ${count - max} more...`;
  return s || '<unset>';
}

/** kubectl's columns for EndpointSlices. */
export const endpointSlicePrinter: Printer<EndpointSlice> = {
  columns: [
    nameColumn,
    column('AddressType', { description: 'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name. (Deprecated) The EndpointSlice controller only generates, and kube-proxy only processes, slices of addressType "IPv4" and "IPv6". No semantics are defined for the "FQDN" type.' }),
    column('Ports', { description: 'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. Each slice may include a maximum of 100 ports. Services always have at least 1 port, so EndpointSlices generated by the EndpointSlice controller will likewise always have at least 1 port. EndpointSlices used for other purposes may have an empty ports list.' }),
    column('Endpoints', { description: 'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.' }),
    ageColumn,
  ],
  row(s, ctx) {
    const ports = (s.ports ?? []).map((p) => (p.port !== undefined ? String(p.port) : p.name ? p.name : '*'));
    const addrs = (s.endpoints ?? []).flatMap((e) => e.addresses ?? []);
    return [s.metadata?.name ?? '', s.addressType ?? '', listWithMore(ports.slice(0, 3), ports.length, 3), listWithMore(addrs.slice(0, 3), addrs.length, 3), age(s.metadata?.creationTimestamp, ctx.now)];
  },
};

/** The EndpointSlice strategy. */
export const endpointSliceStrategy: GroupStrategy<EndpointSlice> = {
  info: builtinInfo('discovery.k8s.io', 'v1', 'EndpointSlice'),
  schemaName: 'io.k8s.api.discovery.v1.EndpointSlice',
  nameValidation: nameIsDNSSubdomain,
  generation: 'spec',
  defaults: defaultEndpointSlice,
  validate: validateEndpointSlice,
  validateUpdate: (s, old) => immutable(s.addressType, old.addressType, 'addressType'),
  printer: endpointSlicePrinter,
};
