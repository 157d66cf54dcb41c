// Schemas shaped like those of widely used CRDs (cert-manager, Gateway API, prometheus-operator, Argo CD),
// checked, pruned, defaulted and validated end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldErrorMessage, type FieldError } from '../field-errors.js';
import type { JSONSchemaProps } from './types.js';
import { checkStructural } from './structural.js';
import { compileSchema } from './validate.js';

const msgs = (errs: FieldError[]): string[] => errs.map(fieldErrorMessage);
const meta: JSONSchemaProps = { type: 'object' };
const str: JSONSchemaProps = { type: 'string' };

const certificate: JSONSchemaProps = {
  type: 'object',
  description: 'A Certificate resource should be created to ensure an up to date and signed X.509 certificate is stored in the Kubernetes Secret resource named in spec.secretName.',
  required: ['spec'],
  properties: {
    apiVersion: str,
    kind: str,
    metadata: meta,
    spec: {
      type: 'object',
      required: ['issuerRef', 'secretName'],
      properties: {
        commonName: { type: 'string' },
        dnsNames: { type: 'array', items: { type: 'string' } },
        duration: { type: 'string' },
        renewBefore: { type: 'string' },
        isCA: { type: 'boolean' },
        issuerRef: { type: 'object', required: ['name'], properties: { group: str, kind: str, name: str } },
        privateKey: {
          type: 'object',
          properties: {
            algorithm: { type: 'string', enum: ['RSA', 'ECDSA', 'Ed25519'] },
            encoding: { type: 'string', enum: ['PKCS1', 'PKCS8'] },
            rotationPolicy: { type: 'string', enum: ['Never', 'Always'] },
            size: { type: 'integer' },
          },
        },
        revisionHistoryLimit: { type: 'integer', format: 'int32' },
        secretName: str,
        secretTemplate: {
          type: 'object',
          properties: {
            annotations: { type: 'object', additionalProperties: str },
            labels: { type: 'object', additionalProperties: str },
          },
        },
        usages: { type: 'array', items: { type: 'string', enum: ['signing', 'digital signature', 'key encipherment', 'server auth', 'client auth'] } },
      },
    },
    status: {
      type: 'object',
      properties: {
        conditions: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['type'],
          items: {
            type: 'object',
            required: ['status', 'type'],
            properties: {
              lastTransitionTime: { type: 'string', format: 'date-time' },
              message: str,
              observedGeneration: { type: 'integer', format: 'int64' },
              reason: str,
              status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
              type: str,
            },
          },
        },
        notAfter: { type: 'string', format: 'date-time' },
        revision: { type: 'integer' },
      },
    },
  },
};

const parentRef: JSONSchemaProps = {
  type: 'object',
  required: ['name'],
  properties: {
    group: { type: 'string', default: 'gateway.networking.k8s.io', maxLength: 253, pattern: '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' },
    kind: { type: 'string', default: 'Gateway', maxLength: 63, minLength: 1, pattern: '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$' },
    name: { type: 'string', maxLength: 253, minLength: 1 },
    namespace: { type: 'string', maxLength: 63, minLength: 1, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
    port: { type: 'integer', format: 'int32', maximum: 65535, minimum: 1 },
    sectionName: { type: 'string', maxLength: 253, minLength: 1, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' },
  },
};

const httpRoute: JSONSchemaProps = {
  type: 'object',
  required: ['spec'],
  properties: {
    apiVersion: str,
    kind: str,
    metadata: meta,
    spec: {
      type: 'object',
      properties: {
        hostnames: {
          type: 'array',
          maxItems: 16,
          items: { type: 'string', maxLength: 253, minLength: 1, pattern: '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' },
        },
        parentRefs: { type: 'array', maxItems: 32, items: parentRef, 'x-kubernetes-validations': [{ rule: 'self.all(p1, self.exists_one(p2, p1.name == p2.name))', message: 'sectionName must be unique' }] },
        rules: {
          type: 'array',
          maxItems: 16,
          default: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }] }],
          items: {
            type: 'object',
            properties: {
              name: { type: 'string', maxLength: 253, minLength: 1 },
              backendRefs: {
                type: 'array',
                maxItems: 16,
                items: {
                  type: 'object',
                  required: ['name'],
                  properties: {
                    group: { type: 'string', default: '' },
                    kind: { type: 'string', default: 'Service' },
                    name: { type: 'string', maxLength: 253, minLength: 1 },
                    port: { type: 'integer', format: 'int32', maximum: 65535, minimum: 1 },
                    weight: { type: 'integer', format: 'int32', default: 1, maximum: 1000000, minimum: 0 },
                  },
                },
              },
              matches: {
                type: 'array',
                maxItems: 64,
                default: [{ path: { type: 'PathPrefix', value: '/' } }],
                items: {
                  type: 'object',
                  properties: {
                    path: {
                      type: 'object',
                      default: { type: 'PathPrefix', value: '/' },
                      properties: {
                        type: { type: 'string', default: 'PathPrefix', enum: ['Exact', 'PathPrefix', 'RegularExpression'] },
                        value: { type: 'string', default: '/', maxLength: 1024 },
                      },
                    },
                    headers: {
                      type: 'array',
                      maxItems: 16,
                      'x-kubernetes-list-type': 'map',
                      'x-kubernetes-list-map-keys': ['name'],
                      items: {
                        type: 'object',
                        required: ['name', 'value'],
                        properties: {
                          name: { type: 'string', maxLength: 256, minLength: 1, pattern: "^[A-Za-z0-9!#$%&'*+\\-.^_\\x60|~]+$" },
                          type: { type: 'string', default: 'Exact', enum: ['Exact', 'RegularExpression'] },
                          value: { type: 'string', maxLength: 4096, minLength: 1 },
                        },
                      },
                    },
                    method: { type: 'string', enum: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'] },
                  },
                },
              },
              timeouts: { type: 'object', properties: { request: { type: 'string', pattern: '^([0-9]{1,5}(h|m|s|ms)){1,4}$' } } },
            },
          },
        },
      },
    },
    status: { type: 'object', properties: { parents: { type: 'array', maxItems: 32, items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } },
  },
};

const serviceMonitor: JSONSchemaProps = {
  type: 'object',
  required: ['spec'],
  properties: {
    apiVersion: str,
    kind: str,
    metadata: meta,
    spec: {
      type: 'object',
      required: ['selector'],
      properties: {
        endpoints: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              interval: { type: 'string', pattern: '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$' },
              port: str,
              targetPort: { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
              scheme: { type: 'string', enum: ['http', 'https'] },
              relabelings: { type: 'array', items: { type: 'object', properties: { action: { type: 'string', default: 'replace', enum: ['replace', 'Replace', 'keep', 'Keep', 'drop', 'Drop'] }, regex: str } } },
            },
          },
        },
        selector: {
          type: 'object',
          'x-kubernetes-map-type': 'atomic',
          properties: {
            matchExpressions: { type: 'array', items: { type: 'object', required: ['key', 'operator'], properties: { key: str, operator: str, values: { type: 'array', items: str, 'x-kubernetes-list-type': 'atomic' } } }, 'x-kubernetes-list-type': 'atomic' },
            matchLabels: { type: 'object', additionalProperties: str },
          },
        },
        sampleLimit: { type: 'integer', format: 'int64' },
      },
    },
  },
};

const application: JSONSchemaProps = {
  type: 'object',
  required: ['metadata', 'spec'],
  properties: {
    apiVersion: str,
    kind: str,
    metadata: meta,
    operation: { type: 'object', properties: { sync: { type: 'object', properties: { revision: str, prune: { type: 'boolean' } } } } },
    spec: {
      type: 'object',
      required: ['destination', 'project'],
      properties: {
        destination: { type: 'object', properties: { name: str, namespace: str, server: str } },
        project: str,
        source: {
          type: 'object',
          required: ['repoURL'],
          properties: {
            repoURL: str,
            path: str,
            targetRevision: str,
            helm: { type: 'object', properties: { valuesObject: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, values: str } },
          },
        },
        syncPolicy: { type: 'object', properties: { automated: { type: 'object', properties: { prune: { type: 'boolean' }, selfHeal: { type: 'boolean' } } }, syncOptions: { type: 'array', items: str } } },
      },
    },
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};

const schemas: [string, JSONSchemaProps][] = [
  ['cert-manager Certificate', certificate],
  ['Gateway API HTTPRoute', httpRoute],
  ['prometheus-operator ServiceMonitor', serviceMonitor],
  ['Argo CD Application', application],
];

for (const [name, schema] of schemas) {
  test(`the ${name} schema is structural and its defaults are valid`, () => {
    assert.deepEqual(msgs(checkStructural(schema, 'spec.validation.openAPIV3Schema', { statusEnabled: true })), []);
  });
}

test('a Certificate validates, and its mistakes read as Kubernetes reports them', () => {
  const c = compileSchema(certificate);
  const good = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c' }, spec: { secretName: 's', issuerRef: { name: 'ca', kind: 'ClusterIssuer' }, dnsNames: ['example.com'], privateKey: { algorithm: 'ECDSA', size: 256 }, usages: ['server auth'] } };
  assert.deepEqual(c.validate(good), []);
  const bad = { apiVersion: 'cert-manager.io/v1', kind: 'Certificate', metadata: { name: 'c' }, spec: { issuerRef: {}, privateKey: { algorithm: 'DSA' }, usages: ['any'], isCA: 'yes' }, status: { notAfter: 'soon', conditions: [{ type: 'Ready', status: 'True' }, { type: 'Ready', status: 'False' }] } };
  assert.deepEqual(msgs(c.validate(bad)).sort(), [
    'spec.isCA: Invalid value: "string": spec.isCA in body must be of type boolean: "string"',
    'spec.issuerRef.name: Required value',
    'spec.privateKey.algorithm: Unsupported value: "DSA": supported values: "RSA", "ECDSA", "Ed25519"',
    'spec.secretName: Required value',
    'spec.usages[0]: Unsupported value: "any": supported values: "signing", "digital signature", "key encipherment", "server auth", "client auth"',
    'status.conditions[1]: Duplicate value: map[string]interface {}{"type":"Ready"}',
    'status.notAfter: Invalid value: "soon": status.notAfter in body must be of type date-time: "soon"',
  ]);
});

test('an HTTPRoute is pruned, defaulted deeply and validated', () => {
  const c = compileSchema(httpRoute);
  const route: Record<string, unknown> = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'r' },
    spec: { parentRefs: [{ name: 'gw', extra: 1 }], hostnames: ['*.example.com'], rules: [{ backendRefs: [{ name: 'svc', port: 80 }] }, {}] },
  };
  assert.deepEqual(c.prune(route), ['spec.parentRefs[0].extra']);
  c.applyDefaults(route);
  assert.deepEqual(route['spec'], {
    parentRefs: [{ name: 'gw', group: 'gateway.networking.k8s.io', kind: 'Gateway' }],
    hostnames: ['*.example.com'],
    rules: [
      { backendRefs: [{ name: 'svc', port: 80, group: '', kind: 'Service', weight: 1 }], matches: [{ path: { type: 'PathPrefix', value: '/' } }] },
      { matches: [{ path: { type: 'PathPrefix', value: '/' } }] },
    ],
  });
  assert.deepEqual(c.validate(route), []);
  const bad = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'r' },
    spec: {
      hostnames: ['Example.COM'],
      parentRefs: [{ name: 'gw', port: 70000 }],
      rules: [{ matches: [{ path: { type: 'Regex', value: '/' }, headers: [{ name: 'x', value: 'a' }, { name: 'x', value: 'b' }] }], timeouts: { request: '10 seconds' } }],
    },
  };
  assert.deepEqual(msgs(c.validate(bad)), [
    "spec.hostnames[0]: Invalid value: \"Example.COM\": spec.hostnames[0] in body should match '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'",
    'spec.parentRefs[0].port: Invalid value: 70000: spec.parentRefs[0].port in body should be less than or equal to 65535',
    'spec.rules[0].matches[0].path.type: Unsupported value: "Regex": supported values: "Exact", "PathPrefix", "RegularExpression"',
    "spec.rules[0].timeouts.request: Invalid value: \"10 seconds\": spec.rules[0].timeouts.request in body should match '^([0-9]{1,5}(h|m|s|ms)){1,4}$'",
    'spec.rules[0].matches[0].headers[1]: Duplicate value: map[string]interface {}{"name":"x"}',
  ]);
});

test('an HTTPRoute update ratchets an invalid value that did not change', () => {
  const c = compileSchema(httpRoute);
  const old = { spec: { hostnames: ['Bad.Host'], parentRefs: [{ name: 'gw' }] } };
  const next = { spec: { hostnames: ['Bad.Host'], parentRefs: [{ name: 'gw2' }] } };
  assert.deepEqual(c.validate(next, { oldValue: old }), []);
  assert.equal(c.validate(next).length, 1);
});

test('a ServiceMonitor takes int-or-string ports and duration patterns', () => {
  const c = compileSchema(serviceMonitor);
  const sm = { spec: { selector: { matchLabels: { app: 'x' } }, endpoints: [{ port: 'web', interval: '30s' }, { targetPort: 8080, interval: '1m30s' }, { targetPort: 'metrics' }] } };
  assert.deepEqual(c.validate(sm), []);
  assert.deepEqual(msgs(c.validate({ spec: { selector: {}, endpoints: [{ targetPort: 1.5, scheme: 'ftp' }] } })), [
    'spec.endpoints[0].targetPort: Invalid value: "number": spec.endpoints[0].targetPort in body must be of type integer,string: "number"',
    '<nil>: Invalid value: "": "spec.endpoints[0].targetPort" must validate at least one schema (anyOf)',
    'spec.endpoints[0].targetPort: Invalid value: "number": spec.endpoints[0].targetPort in body must be of type integer: "number"',
    'spec.endpoints[0].scheme: Unsupported value: "ftp": supported values: "http", "https"',
  ]);
});

test('an Argo CD Application keeps free-form Helm values and status while pruning elsewhere', () => {
  const c = compileSchema(application);
  const app: Record<string, unknown> = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'a' },
    spec: { project: 'default', destination: { server: 'https://kubernetes.default.svc' }, source: { repoURL: 'https://x', helm: { valuesObject: { replicaCount: 2, image: { tag: 'v1' } } }, bogus: true } },
    status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
  };
  assert.deepEqual(c.prune(app), ['spec.source.bogus']);
  assert.deepEqual((app['spec'] as { source: { helm: unknown } }).source.helm, { valuesObject: { replicaCount: 2, image: { tag: 'v1' } } });
  assert.deepEqual(c.validate(app), []);
  assert.deepEqual(msgs(c.validate({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', spec: {} })), ['spec.destination: Required value', 'spec.project: Required value', 'metadata: Required value']);
});
