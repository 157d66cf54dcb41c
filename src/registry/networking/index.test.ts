import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeStrategy, prepareCreate } from '../testing-support/index.js';
import { ingressClassStrategy, ingressStrategy, networkPolicyStrategy } from './index.js';

const backend = { service: { name: 'web', port: { number: 80 } } };
const ingress = (spec: Record<string, unknown>) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'default' }, spec });
const rule = (path: Record<string, unknown>, host = 'example.com') => ({ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend, ...path }] } });

describeStrategy(ingressStrategy, {
  valid: ingress({ ingressClassName: 'kin', rules: [rule({})], tls: [{ hosts: ['example.com'], secretName: 'tls' }] }),
  invalid: [
    { name: 'no rules and no default backend', object: ingress({}), fields: ['spec'] },
    { name: 'missing pathType', object: ingress({ rules: [rule({ pathType: undefined })] }), fields: ['spec.rules[0].http.paths[0].pathType'] },
    { name: 'unknown pathType', object: ingress({ rules: [rule({ pathType: 'Regex' })] }), fields: ['spec.rules[0].http.paths[0].pathType'] },
    { name: 'relative path', object: ingress({ rules: [rule({ path: 'api' })] }), fields: ['spec.rules[0].http.paths[0].path'] },
    { name: 'service and resource backend', object: ingress({ rules: [rule({ backend: { ...backend, resource: { kind: 'Bucket', name: 'b' } } })] }), fields: ['spec.rules[0].http.paths[0].backend'] },
    { name: 'port name and number', object: ingress({ defaultBackend: { service: { name: 'web', port: { name: 'http', number: 80 } } } }), fields: ['spec.defaultBackend'] },
    { name: 'IP address as host', object: ingress({ rules: [rule({}, '10.0.0.1')] }), fields: ['spec.rules[0].host'] },
    { name: 'bad wildcard host', object: ingress({ rules: [rule({}, 'foo.*.com')] }), fields: ['spec.rules[0].host'] },
  ],
});

const now = Date.parse('2026-01-01T12:00:00Z');
const ingressRows: [string, Record<string, unknown>, Record<string, unknown> | undefined, unknown[]][] = [
  ['one host, no address yet', { ingressClassName: 'kin', rules: [rule({})] }, undefined, ['web', 'kin', 'example.com', '', '80', '3h']],
  [
    'TLS, four hosts and two addresses',
    { rules: ['a.io', 'b.io', 'c.io', 'd.io'].map((h) => rule({}, h)), tls: [{ hosts: ['a.io'] }] },
    { loadBalancer: { ingress: [{ ip: '10.0.0.2' }, { hostname: 'lb.example.com' }] } },
    ['web', '<none>', 'a.io,b.io,c.io + 1 more...', '10.0.0.2,lb.example.com', '80, 443', '3h'],
  ],
  ['a default backend only', { defaultBackend: backend }, undefined, ['web', '<none>', '*', '', '80', '3h']],
];
for (const [name, spec, status, want] of ingressRows) {
  test(`the Ingress printer shows ${name} as kubectl does`, () => {
    const obj = { ...ingress(spec), metadata: { name: 'web', creationTimestamp: '2026-01-01T09:00:00Z' }, ...(status ? { status } : {}) };
    assert.deepEqual(ingressStrategy.printer!.row(obj as never, { now }), want);
  });
}

const ic = (spec: Record<string, unknown>) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'kin' }, spec });
describeStrategy(ingressClassStrategy, {
  valid: ic({ controller: 'kin.dev/ingress', parameters: { kind: 'Config', name: 'default' } }),
  invalid: [
    { name: 'missing controller', object: ic({}), fields: ['spec.controller'] },
    { name: 'controller without domain', object: ic({ controller: 'ingress' }), fields: ['spec.controller'] },
    { name: 'namespace-scoped parameters without namespace', object: ic({ controller: 'kin.dev/x', parameters: { kind: 'C', name: 'n', scope: 'Namespace' } }), fields: ['spec.parameters.namespace'] },
  ],
  invalidUpdates: [{ name: 'controller change', old: ic({ controller: 'kin.dev/a' }), object: ic({ controller: 'kin.dev/b' }), fields: ['spec.controller'] }],
});

const np = (spec: Record<string, unknown>) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'default' }, spec });
describeStrategy(networkPolicyStrategy, {
  valid: np({ podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 5432 }] }] }),
  invalid: [
    { name: 'bad protocol', object: np({ podSelector: {}, ingress: [{ ports: [{ protocol: 'ICMP' }] }] }), fields: ['spec.ingress[0].ports[0].protocol'] },
    { name: 'port out of range', object: np({ podSelector: {}, egress: [{ ports: [{ port: 70000 }] }] }), fields: ['spec.egress[0].ports[0].port'] },
    { name: 'empty peer', object: np({ podSelector: {}, ingress: [{ from: [{}] }] }), fields: ['spec.ingress[0].from[0]'] },
    { name: 'ipBlock with another peer', object: np({ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] }), fields: ['spec.ingress[0].from[0]'] },
    { name: 'unknown policy type', object: np({ podSelector: {}, policyTypes: ['Sideways'] }), fields: ['spec.policyTypes[0]'] },
  ],
});

test('NetworkPolicy defaults: Ingress policy type (plus Egress with egress rules) and TCP ports', () => {
  const obj = prepareCreate(networkPolicyStrategy, np({ podSelector: {}, egress: [{ ports: [{ port: 53 }] }] })) as { spec: { policyTypes: string[]; egress: { ports: { protocol: string }[] }[] } };
  assert.deepEqual(obj.spec.policyTypes, ['Ingress', 'Egress']);
  assert.equal(obj.spec.egress[0]!.ports[0]!.protocol, 'TCP');
  assert.deepEqual(networkPolicyStrategy.printer!.row(obj as never, { now }).slice(0, 2), ['deny', '<none>']);
});
