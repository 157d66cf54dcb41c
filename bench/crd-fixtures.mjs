// The custom resource of the CRD benchmarks (bench/crd.mjs over HTTPS, bench/cel.mjs in-process): a version
// schema of ~50 fields (nested objects, list-type map/set arrays, enums, patterns, int-or-string, bounds,
// required) with 10 x-kubernetes-validations rules, the same kind with an open schema (preserve-unknown-fields,
// no validation), and a generator of valid objects and of their updates.

/** API group of both benchmark CRDs. */
export const group = 'bench.kin.dev';
/** Served version of both CRDs. */
export const version = 'v1';

/** The two resources: `validated` (full schema + CEL) and `open` (type: object, preserve unknown fields). */
export const kinds = {
  validated: { kind: 'BenchApp', plural: 'benchapps', singular: 'benchapp' },
  open: { kind: 'BenchOpenApp', plural: 'benchopenapps', singular: 'benchopenapp' },
};

const str = (maxLength, extra = {}) => ({ type: 'string', maxLength, ...extra });
const int = (minimum, maximum) => ({ type: 'integer', minimum, maximum });
const intOrString = { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] };
const quantityPattern = '^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$';

/**
 * The 10 rules, each with where it sits (a path of property names; `[]` = list items) and what kind of rule it
 * is. bench/cel.mjs measures them one by one at these places.
 */
export const rules = [
  { at: ['spec'], what: 'field comparison', rule: 'self.minReplicas <= self.maxReplicas', message: 'minReplicas must not exceed maxReplicas' },
  {
    at: ['spec'], what: 'field comparison, has()',
    rule: '!has(self.replicas) || (self.replicas >= self.minReplicas && self.replicas <= self.maxReplicas)',
    messageExpression: "'replicas must be between ' + string(self.minReplicas) + ' and ' + string(self.maxReplicas)",
  },
  { at: ['spec'], what: 'transition (oldSelf)', rule: "self.maxReplicas >= oldSelf.maxReplicas || self.mode == 'Drain'", message: 'maxReplicas may only shrink while draining' },
  { at: ['spec', 'containers'], what: 'exists over list', rule: "self.exists(c, c.name == 'main')", message: 'a container named main is required' },
  { at: ['spec', 'containers'], what: 'all over list, startsWith/endsWith', rule: "self.all(c, c.image.startsWith('registry.kin.dev/') && !c.image.endsWith(':latest'))", message: 'images must come from registry.kin.dev and not be :latest' },
  { at: ['spec', 'containers', '[]'], what: 'per item: all over env, upperAscii', rule: '!has(self.env) || self.env.all(e, e.name.upperAscii() == e.name)', message: 'environment variable names must be upper case' },
  {
    at: ['spec', 'resources'], what: 'quantity()',
    rule: 'quantity(self.requests.memory).compareTo(quantity(self.limits.memory)) <= 0 && !quantity(self.limits.cpu).isLessThan(quantity(self.requests.cpu))',
    message: 'requests must not exceed limits',
  },
  { at: ['spec', 'tags'], what: 'all over set, lowerAscii', rule: 'self.all(t, t == t.lowerAscii())', message: 'tags must be lower case' },
  { at: ['spec', 'schedule'], what: 'matches() (regex)', rule: "!has(self.window) || self.window.matches('^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$')", message: 'window must be HH:MM-HH:MM' },
  // (Map keys have no maxLength: a string function on them would be estimated at the unbounded key size.)
  { at: [], what: 'root: metadata.name, all over map keys', rule: "self.metadata.name.size() <= 40 && (!has(self.spec.labels) || self.spec.labels.all(k, k.size() <= 63 && self.spec.labels[k] != ''))", message: 'name too long or bad label' },
];

/** The validated version schema without rules (the OpenAPI part alone). */
export function baseSchema() {
  const container = {
    type: 'object',
    required: ['name', 'image'],
    properties: {
      name: str(63, { pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }),
      image: str(256),
      imagePullPolicy: { type: 'string', enum: ['Always', 'IfNotPresent', 'Never'], default: 'IfNotPresent' },
      args: { type: 'array', maxItems: 32, items: str(256) },
      ports: {
        type: 'array', maxItems: 16, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
        items: {
          type: 'object', required: ['containerPort'],
          properties: { containerPort: int(1, 65535), protocol: { type: 'string', enum: ['TCP', 'UDP', 'SCTP'], default: 'TCP' }, name: str(15) },
        },
      },
      env: {
        type: 'array', maxItems: 64, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'],
        items: { type: 'object', required: ['name'], properties: { name: str(128), value: str(1024) } },
      },
    },
  };
  const resourceList = { type: 'object', required: ['cpu', 'memory'], properties: { cpu: str(32, { pattern: quantityPattern }), memory: str(32, { pattern: quantityPattern }) } };
  return {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        required: ['mode', 'replicas', 'minReplicas', 'maxReplicas', 'containers'],
        properties: {
          mode: { type: 'string', enum: ['Active', 'Standby', 'Drain'] },
          paused: { type: 'boolean' },
          replicas: int(0, 100),
          minReplicas: int(0, 100),
          maxReplicas: int(1, 100),
          version: str(64, { pattern: '^v?[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$' }),
          port: intOrString,
          containers: { type: 'array', minItems: 1, maxItems: 8, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: container },
          resources: { type: 'object', required: ['requests', 'limits'], properties: { requests: resourceList, limits: resourceList } },
          tags: { type: 'array', maxItems: 32, 'x-kubernetes-list-type': 'set', items: str(63) },
          labels: { type: 'object', maxProperties: 32, additionalProperties: str(63) },
          schedule: {
            type: 'object',
            properties: { start: { type: 'string', format: 'date-time' }, timezone: str(64), window: str(11) },
          },
          network: {
            type: 'object',
            properties: {
              hostname: str(253, { pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$' }),
              cidrs: { type: 'array', maxItems: 16, 'x-kubernetes-list-type': 'set', items: str(43) },
              ingress: { type: 'object', properties: { enabled: { type: 'boolean' }, host: str(253), tlsSecret: str(253) } },
            },
          },
          storage: {
            type: 'object',
            properties: {
              size: str(32, { pattern: quantityPattern }),
              className: str(63),
              accessModes: { type: 'array', maxItems: 3, 'x-kubernetes-list-type': 'set', items: { type: 'string', enum: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany'] } },
            },
          },
          rollout: {
            type: 'object',
            properties: {
              strategy: { type: 'string', enum: ['RollingUpdate', 'Recreate'] },
              maxSurge: intOrString,
              maxUnavailable: intOrString,
              progressDeadlineSeconds: int(1, 3600),
            },
          },
          owner: { type: 'object', required: ['team'], properties: { team: str(63), email: str(254, { pattern: '^[^@\\s]+@[^@\\s]+$' }) } },
        },
      },
      status: {
        type: 'object',
        properties: {
          phase: { type: 'string', enum: ['Pending', 'Running', 'Failed'] },
          readyReplicas: int(0, 100),
          conditions: {
            type: 'array', maxItems: 16, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'],
            items: {
              type: 'object', required: ['type', 'status'],
              properties: { type: str(316), status: { type: 'string', enum: ['True', 'False', 'Unknown'] }, reason: str(1024), message: str(32768), lastTransitionTime: { type: 'string', format: 'date-time' } },
            },
          },
        },
      },
    },
  };
}

/** The schema node at a path of property names (`[]` = the items of a list). */
export function nodeAt(schema, at) {
  let s = schema;
  for (const p of at) s = p === '[]' ? s.items : s.properties[p];
  return s;
}

/** The validated version schema: `baseSchema()` with the 10 rules placed. */
export function validatedSchema() {
  const s = baseSchema();
  for (const { at, rule, message, messageExpression } of rules) {
    const node = nodeAt(s, at);
    (node['x-kubernetes-validations'] ??= []).push({ rule, ...(message ? { message } : {}), ...(messageExpression ? { messageExpression } : {}) });
  }
  return s;
}

/** The open version schema: no validation at all. */
export const openSchema = () => ({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });

/** The CustomResourceDefinition of `which` ('validated' or 'open'). */
export function crd(which) {
  const k = kinds[which];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${k.plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural: k.plural, singular: k.singular, kind: k.kind, listKind: `${k.kind}List` },
      versions: [{ name: version, served: true, storage: true, schema: { openAPIV3Schema: which === 'validated' ? validatedSchema() : openSchema() } }],
    },
  };
}

/** A valid object number `i` (2-3 containers, ~75 values set, 1.7-1.9 KB of JSON); deterministic in `i`. */
export function makeObject(which, name, namespace, i = 0) {
  const k = kinds[which];
  const containers = [
    {
      name: 'main',
      image: `registry.kin.dev/team-${i % 7}/app:1.${i % 13}.${i % 5}`,
      imagePullPolicy: 'IfNotPresent',
      args: ['--listen=:8080', `--shard=${i % 16}`, '--log-format=json'],
      ports: [{ containerPort: 8080, protocol: 'TCP', name: 'http' }, { containerPort: 9090, protocol: 'TCP', name: 'metrics' }],
      env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'SHARD', value: String(i % 16) }, { name: 'REGION', value: 'eu-west-1' }, { name: 'FEATURES', value: 'a,b,c' }],
    },
    {
      name: 'proxy',
      image: 'registry.kin.dev/infra/proxy:2.4.1',
      imagePullPolicy: 'IfNotPresent',
      args: ['--upstream=127.0.0.1:8080'],
      ports: [{ containerPort: 8443, protocol: 'TCP', name: 'https' }, { containerPort: 53, protocol: 'UDP', name: 'dns' }],
      env: [{ name: 'UPSTREAM', value: 'main' }, { name: 'TLS_MODE', value: 'strict' }],
    },
  ];
  if (i % 3 === 0) containers.push({ name: 'logs', image: 'registry.kin.dev/infra/logs:0.9.0', imagePullPolicy: 'IfNotPresent', env: [{ name: 'SINK', value: 'stdout' }] });
  return {
    apiVersion: `${group}/${version}`,
    kind: k.kind,
    metadata: { name, namespace, labels: { app: 'bench', tier: i % 2 ? 'web' : 'worker' } },
    spec: {
      mode: 'Active',
      paused: false,
      replicas: 3,
      minReplicas: 2,
      maxReplicas: 10,
      version: `1.${i % 13}.${i % 5}`,
      port: i % 2 ? 8080 : 'http',
      containers,
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
      tags: ['bench', 'kin', `shard-${i % 16}`, 'web'],
      labels: { 'app.kin.dev/team': `team-${i % 7}`, 'app.kin.dev/cost-center': 'cc-42', env: 'prod', region: 'eu' },
      schedule: { start: '2026-01-01T00:00:00Z', timezone: 'Europe/Paris', window: '02:00-04:30' },
      network: { hostname: `app-${i}.bench.kin.dev`, cidrs: ['10.0.0.0/16', '192.168.0.0/24'], ingress: { enabled: true, host: `app-${i}.example.org`, tlsSecret: 'app-tls' } },
      storage: { size: '10Gi', className: 'fast', accessModes: ['ReadWriteOnce'] },
      rollout: { strategy: 'RollingUpdate', maxSurge: '25%', maxUnavailable: 1, progressDeadlineSeconds: 600 },
      owner: { team: `team-${i % 7}`, email: `team-${i % 7}@kin.dev` },
    },
  };
}

/**
 * Changes an object as a routine update does (the `n`-th update of it): spec.replicas moves within its bounds and
 * one environment value of the main container changes, so spec's rules (the transition rule among them) and the
 * containers' rules run again while unchanged parts ratchet.
 */
export function mutate(obj, n) {
  const spec = obj.spec;
  spec.replicas = spec.minReplicas + (n % (spec.maxReplicas - spec.minReplicas + 1));
  spec.containers[0].env[0].value = n % 2 ? 'debug' : 'info';
  return obj;
}
