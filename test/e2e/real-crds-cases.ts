// Instances for the real-CRD end-to-end test (real-crds.test.ts): for each project, objects a user would write
// (which must be accepted and read back with the schema's defaults), objects that must be refused with the exact
// causes kube-apiserver 1.32 gives, and printer columns. All objects here are kin's own; the expected causes are
// derived from Kubernetes' validation (kube-openapi messages as apiextensions words them, list-type checks, and
// each CEL rule's `message` as the CRD carries it).

/** A value read back with `kubectl get <resource> <name> -o jsonpath=<path>`. */
export interface ReadBack {
  resource: string;
  name: string;
  namespace?: string;
  jsonpath: string;
  want: string;
}

/** An object that must be refused: `The <kind> "<name>" is invalid:` followed by exactly these causes (any order). */
export interface InvalidCase {
  title: string;
  yaml: string;
  kind: string;
  name: string;
  causes: string[];
}

/** `kubectl get` of a resource: the header line and a row, both as regexps over the columns. */
export interface ColumnsCase {
  args: string[];
  header: RegExp;
  row: RegExp;
}

/** What the test does with one project's CRDs. */
export interface ProjectCases {
  /** Subfolder of $KIN_REAL_CRDS holding the CRD files. */
  dir: 'cert-manager' | 'prometheus-operator' | 'gateway-api' | 'argo-cd';
  /** The project documents `kubectl apply --server-side` (CRDs too large for the last-applied annotation). */
  serverSide: boolean;
  namespaces: string[];
  valid: string;
  readBack: ReadBack[];
  invalid: InvalidCase[];
  columns: ColumnsCase[];
  /** Changes applied after `valid` (kubectl args) and what they must print on stderr, for update rules. */
  invalidUpdates?: { args: string[]; error: string }[];
}

/** The message kube-apiserver appends when CEL rules are skipped because of blocking schema errors. */
const rulesSkipped = '<nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation';

const certManager: ProjectCases = {
  dir: 'cert-manager',
  serverSide: false,
  namespaces: ['pki'],
  valid: `
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: kin-selfsigned}
spec: {selfSigned: {}}
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata: {name: kin-ca, namespace: pki}
spec: {ca: {secretName: kin-ca-pair}}
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: kin-acme}
spec:
  acme:
    server: https://acme.kin.invalid/directory
    privateKeySecretRef: {name: kin-acme-account}
    solvers:
    - http01: {gatewayHTTPRoute: {parentRefs: [{name: edge, namespace: infra}]}}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: orchard-tls, namespace: pki}
spec:
  secretName: orchard-tls
  duration: 720h
  dnsNames: [orchard.kin.invalid]
  privateKey: {algorithm: ECDSA, size: 256}
  usages: [server auth, digital signature]
  issuerRef: {name: kin-ca, kind: Issuer, group: cert-manager.io}
`,
  readBack: [
    // Defaults deep inside a list item of a solver.
    { resource: 'clusterissuer', name: 'kin-acme', jsonpath: '{.spec.acme.solvers[0].http01.gatewayHTTPRoute.parentRefs[0].kind}', want: 'Gateway' },
    { resource: 'clusterissuer', name: 'kin-acme', jsonpath: '{.spec.acme.solvers[0].http01.gatewayHTTPRoute.parentRefs[0].group}', want: 'gateway.networking.k8s.io' },
    { resource: 'certificate', name: 'orchard-tls', namespace: 'pki', jsonpath: '{.spec.privateKey.algorithm}', want: 'ECDSA' },
  ],
  invalid: [
    {
      title: 'a Certificate without its required fields',
      yaml: 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: no-issuer, namespace: pki}\nspec: {dnsNames: [a.kin.invalid]}\n',
      kind: 'Certificate',
      name: 'no-issuer',
      causes: ['spec.issuerRef: Required value', 'spec.secretName: Required value'],
    },
    {
      title: 'a Certificate with values outside its enums',
      yaml: 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: bad-algo, namespace: pki}\nspec:\n  secretName: x\n  issuerRef: {name: kin-ca}\n  privateKey: {algorithm: DSA, encoding: PEM}\n',
      kind: 'Certificate',
      name: 'bad-algo',
      causes: [
        'spec.privateKey.algorithm: Unsupported value: "DSA": supported values: "RSA", "ECDSA", "Ed25519"',
        'spec.privateKey.encoding: Unsupported value: "PEM": supported values: "PKCS1", "PKCS8"',
      ],
    },
    {
      title: 'a Certificate with fields of the wrong type',
      yaml: 'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: bad-type, namespace: pki}\nspec:\n  secretName: x\n  issuerRef: {name: kin-ca}\n  duration: 90\n  isCA: "yes"\n  dnsNames: orchard.kin.invalid\n',
      kind: 'Certificate',
      name: 'bad-type',
      causes: [
        'spec.dnsNames: Invalid value: "string": spec.dnsNames in body must be of type array: "string"',
        'spec.duration: Invalid value: "integer": spec.duration in body must be of type string: "integer"',
        'spec.isCA: Invalid value: "string": spec.isCA in body must be of type boolean: "string"',
      ],
    },
    {
      title: 'an Issuer failing its CEL rule (two Venafi backends)',
      yaml: 'apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata: {name: two-backends, namespace: pki}\nspec:\n  venafi:\n    zone: z\n    tpp: {url: https://tpp.kin.invalid/vedsdk, credentialsRef: {name: c}}\n    cloud: {apiTokenSecretRef: {name: t, key: k}}\n',
      kind: 'Issuer',
      name: 'two-backends',
      causes: ['spec.venafi: Invalid value: "object": exactly one of tpp, cloud, or ngts must be configured'],
    },
  ],
  columns: [
    { args: ['get', 'certificate', 'orchard-tls', '-n', 'pki'], header: /^NAME\s+READY\s+SECRET\s+AGE$/m, row: /^orchard-tls\s+orchard-tls\s+\d+s$/m },
    { args: ['get', 'certificate', 'orchard-tls', '-n', 'pki', '-o', 'wide'], header: /^NAME\s+READY\s+SECRET\s+ISSUER\s+STATUS\s+EXPIRATION\s+AGE$/m, row: /^orchard-tls\s+orchard-tls\s+kin-ca\s+\d+s$/m },
    { args: ['get', 'clusterissuer', 'kin-selfsigned'], header: /^NAME\s+READY\s+AGE$/m, row: /^kin-selfsigned\s+\d+s$/m },
  ],
};

const prometheusOperator: ProjectCases = {
  dir: 'prometheus-operator',
  serverSide: true,
  namespaces: ['metrics'],
  valid: `
apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k0, namespace: metrics}
spec:
  replicas: 2
  serviceAccountName: prometheus
  serviceMonitorSelector: {matchLabels: {team: orchard}}
  retention: 15d
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: orchard, namespace: metrics, labels: {team: orchard}}
spec:
  selector: {matchLabels: {app: orchard}}
  endpoints: [{port: metrics, interval: 15s}, {targetPort: 9090}]
---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {name: pickers, namespace: metrics}
spec:
  selector: {matchExpressions: [{key: app, operator: In, values: [picker]}]}
  podMetricsEndpoints: [{port: metrics}]
---
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: {name: orchard-alerts, namespace: metrics}
spec:
  groups:
  - name: orchard.rules
    rules:
    - alert: OrchardDown
      expr: up{job="orchard"} == 0
      for: 5m
      labels: {severity: page}
---
apiVersion: monitoring.coreos.com/v1
kind: Alertmanager
metadata: {name: k0, namespace: metrics}
spec: {replicas: 3}
`,
  readBack: [
    { resource: 'prometheus', name: 'k0', namespace: 'metrics', jsonpath: '{.spec.evaluationInterval} {.spec.scrapeInterval} {.spec.portName}', want: '30s 30s web' },
    { resource: 'servicemonitor', name: 'orchard', namespace: 'metrics', jsonpath: '{.spec.endpoints[1].targetPort}', want: '9090' },
  ],
  invalid: [
    {
      title: 'a PrometheusRule missing required fields in list items',
      yaml: 'apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: no-expr, namespace: metrics}\nspec:\n  groups:\n  - rules:\n    - alert: Missing\n',
      kind: 'PrometheusRule',
      name: 'no-expr',
      causes: ['spec.groups[0].name: Required value', 'spec.groups[0].rules[0].expr: Required value'],
    },
    {
      title: 'a Prometheus with a wrong type, a bad enum value and a pattern mismatch',
      yaml: 'apiVersion: monitoring.coreos.com/v1\nkind: Prometheus\nmetadata: {name: bad-spec, namespace: metrics}\nspec:\n  replicas: two\n  retention: forever\n  logLevel: verbose\n',
      kind: 'Prometheus',
      name: 'bad-spec',
      causes: [
        'spec.logLevel: Unsupported value: "verbose": supported values: "", "debug", "info", "warn", "error"',
        'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
        "spec.retention: Invalid value: \"forever\": spec.retention in body should match '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$'",
        rulesSkipped,
      ],
    },
    {
      title: 'an int-or-string field given a boolean',
      yaml: 'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: bad-port, namespace: metrics}\nspec:\n  selector: {}\n  endpoints: [{targetPort: true}]\n',
      kind: 'ServiceMonitor',
      name: 'bad-port',
      // The int-or-string type check, then the anyOf failure and the errors of its best-matching branch.
      causes: [
        'spec.endpoints[0].targetPort: Invalid value: "boolean": spec.endpoints[0].targetPort in body must be of type integer,string: "boolean"',
        '<nil>: Invalid value: "": "spec.endpoints[0].targetPort" must validate at least one schema (anyOf)',
        'spec.endpoints[0].targetPort: Invalid value: "boolean": spec.endpoints[0].targetPort in body must be of type integer: "boolean"',
      ],
    },
    {
      title: 'an Alertmanager failing its updateStrategy CEL rule',
      yaml: 'apiVersion: monitoring.coreos.com/v1\nkind: Alertmanager\nmetadata: {name: bad-strategy, namespace: metrics}\nspec:\n  updateStrategy: {type: OnDelete, rollingUpdate: {maxUnavailable: 1}}\n',
      kind: 'Alertmanager',
      name: 'bad-strategy',
      causes: ['spec.updateStrategy: Invalid value: "object": rollingUpdate requires type to be RollingUpdate'],
    },
    {
      title: 'a ScrapeConfig failing a rule over a list literal of has() tests',
      yaml: 'apiVersion: monitoring.coreos.com/v1alpha1\nkind: ScrapeConfig\nmetadata: {name: two-auths, namespace: metrics}\nspec:\n  basicAuth: {username: {name: s, key: u}, password: {name: s, key: p}}\n  authorization: {credentials: {name: s, key: t}}\n',
      kind: 'ScrapeConfig',
      name: 'two-auths',
      causes: ['spec: Invalid value: "object": at most one of basicAuth, authorization, or oauth2 can be configured'],
    },
  ],
  columns: [
    { args: ['get', 'prometheus', 'k0', '-n', 'metrics'], header: /^NAME\s+VERSION\s+DESIRED\s+READY\s+RECONCILED\s+AVAILABLE\s+AGE$/m, row: /^k0\s+2\s+\d+s$/m },
    { args: ['get', 'alertmanager', 'k0', '-n', 'metrics'], header: /^NAME\s+VERSION\s+REPLICAS\s+READY\s+RECONCILED\s+AVAILABLE\s+AGE$/m, row: /^k0\s+3\s+\d+s$/m },
    { args: ['get', 'servicemonitor', 'orchard', '-n', 'metrics'], header: /^NAME\s+AGE$/m, row: /^orchard\s+\d+s$/m },
  ],
};

const gatewayApi: ProjectCases = {
  dir: 'gateway-api',
  serverSide: false,
  namespaces: ['edge'],
  valid: `
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: kin-lb}
spec: {controllerName: kin.dev/gateway-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: front, namespace: edge}
spec:
  gatewayClassName: kin-lb
  listeners:
  - {name: plain, protocol: HTTP, port: 80}
  - name: secure
    protocol: HTTPS
    port: 443
    hostname: "*.orchard.kin.invalid"
    tls: {certificateRefs: [{name: orchard-wildcard}]}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: shop, namespace: edge}
spec:
  parentRefs: [{name: front}]
  hostnames: [shop.orchard.kin.invalid]
  rules:
  - backendRefs: [{name: shop, port: 8080}]
  - matches: [{path: {value: /api}, headers: [{name: x-canary, value: "on"}]}]
    backendRefs: [{name: api, port: 80, weight: 5}]
    timeouts: {request: 10s, backendRequest: 2s}
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: rpc, namespace: edge}
spec:
  parentRefs: [{name: front, sectionName: plain}]
  rules:
  - matches: [{method: {service: orchard.Picker}}]
    backendRefs: [{name: picker, port: 9000}]
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: from-edge, namespace: edge}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: edge}]
  to: [{group: "", kind: Service}]
`,
  readBack: [
    // Defaults inside list items and a defaulted rule list (a rule without matches gets the "/" prefix match).
    { resource: 'httproute', name: 'shop', namespace: 'edge', jsonpath: '{.spec.rules[0].matches[0].path.type} {.spec.rules[0].matches[0].path.value}', want: 'PathPrefix /' },
    { resource: 'httproute', name: 'shop', namespace: 'edge', jsonpath: '{.spec.rules[0].backendRefs[0].kind} {.spec.rules[0].backendRefs[0].weight}', want: 'Service 1' },
    { resource: 'httproute', name: 'shop', namespace: 'edge', jsonpath: '{.spec.rules[1].matches[0].headers[0].type}', want: 'Exact' },
    { resource: 'httproute', name: 'shop', namespace: 'edge', jsonpath: '{.spec.parentRefs[0].group} {.spec.parentRefs[0].kind}', want: 'gateway.networking.k8s.io Gateway' },
    { resource: 'gateway', name: 'front', namespace: 'edge', jsonpath: '{.spec.listeners[1].tls.mode} {.spec.listeners[1].tls.certificateRefs[0].kind}', want: 'Terminate Secret' },
    // The status default shows on reads although create drops status (status subresource).
    { resource: 'gateway', name: 'front', namespace: 'edge', jsonpath: '{.status.conditions[0].type} {.status.conditions[0].status} {.status.conditions[0].reason}', want: 'Accepted Unknown Pending' },
  ],
  invalid: [
    {
      title: "a PathPrefix match whose value does not start with '/'",
      yaml: 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: relative, namespace: edge}\nspec:\n  rules:\n  - matches: [{path: {type: PathPrefix, value: shop}}]\n',
      kind: 'HTTPRoute',
      name: 'relative',
      causes: ["spec.rules[0].matches[0].path: Invalid value: \"object\": value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']"],
    },
    {
      title: 'a hostname on a TCP listener',
      yaml: 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: tcp-host, namespace: edge}\nspec:\n  gatewayClassName: kin-lb\n  listeners:\n  - {name: db, protocol: TCP, port: 5432, hostname: db.kin.invalid}\n',
      kind: 'Gateway',
      name: 'tcp-host',
      causes: ["spec.listeners: Invalid value: \"array\": hostname must not be specified for protocols ['TCP', 'UDP']"],
    },
    {
      title: 'duplicate listener names (list-type map key and CEL rule)',
      yaml: 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: twins, namespace: edge}\nspec:\n  gatewayClassName: kin-lb\n  listeners:\n  - {name: web, protocol: HTTP, port: 80}\n  - {name: web, protocol: HTTP, port: 8080}\n',
      kind: 'Gateway',
      name: 'twins',
      causes: ['spec.listeners[1]: Duplicate value: map[string]interface {}{"name":"web"}', 'spec.listeners: Invalid value: "array": Listener name must be unique within the Gateway'],
    },
    {
      title: 'bad enum values skip the CEL rules',
      yaml: 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: fetch, namespace: edge}\nspec:\n  rules:\n  - matches: [{path: {type: Prefix, value: /x}, method: FETCH}]\n',
      kind: 'HTTPRoute',
      name: 'fetch',
      causes: [
        'spec.rules[0].matches[0].method: Unsupported value: "FETCH": supported values: "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"',
        'spec.rules[0].matches[0].path.type: Unsupported value: "Prefix": supported values: "Exact", "PathPrefix", "RegularExpression"',
        rulesSkipped,
      ],
    },
    {
      title: 'a missing required field and a wrong type',
      yaml: 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: classless, namespace: edge}\nspec:\n  listeners:\n  - {name: web, protocol: HTTP, port: eighty}\n',
      kind: 'Gateway',
      name: 'classless',
      causes: ['spec.gatewayClassName: Required value', 'spec.listeners[0].port: Invalid value: "string": spec.listeners[0].port in body must be of type integer: "string"', rulesSkipped],
    },
    {
      title: 'a redirect next to backends, and a Service backend without a port',
      yaml: 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: redirect, namespace: edge}\nspec:\n  rules:\n  - backendRefs: [{name: shop, port: 80}]\n    filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}]\n  - backendRefs: [{name: api}]\n',
      kind: 'HTTPRoute',
      name: 'redirect',
      causes: ['spec.rules[0]: Invalid value: "object": RequestRedirect filter must not be used together with backendRefs', 'spec.rules[1].backendRefs[0]: Invalid value: "object": Must have port for Service reference'],
    },
    {
      title: 'two parentRefs to the same Gateway without sectionName (escaped namespace field in CEL)',
      yaml: 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: twice, namespace: edge}\nspec:\n  parentRefs: [{name: front, namespace: edge}, {name: front, namespace: edge}]\n',
      kind: 'HTTPRoute',
      name: 'twice',
      causes: ['spec.parentRefs: Invalid value: "array": sectionName must be unique when parentRefs includes 2 or more references to the same parent'],
    },
    {
      title: 'a backend timeout longer than the request timeout (CEL durations)',
      yaml: 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: slow, namespace: edge}\nspec:\n  rules:\n  - timeouts: {request: 5s, backendRequest: 1m}\n',
      kind: 'HTTPRoute',
      name: 'slow',
      causes: ['spec.rules[0].timeouts: Invalid value: "object": backendRequest timeout cannot be longer than request timeout'],
    },
    {
      title: 'a GRPCRoute method match with neither service nor method',
      yaml: 'apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata: {name: empty-method, namespace: edge}\nspec:\n  rules:\n  - matches: [{method: {type: Exact}}]\n',
      kind: 'GRPCRoute',
      name: 'empty-method',
      causes: ["spec.rules[0].matches[0].method: Invalid value: \"object\": One or both of 'service' or 'method' must be specified"],
    },
    {
      title: 'infrastructure label keys checked by a regex over every map key',
      yaml: 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: labels, namespace: edge}\nspec:\n  gatewayClassName: kin-lb\n  infrastructure: {labels: {"-bad": "x"}}\n  listeners: [{name: web, protocol: HTTP, port: 80}]\n',
      kind: 'Gateway',
      name: 'labels',
      causes: ['spec.infrastructure.labels: Invalid value: "object": Label keys must be in the form of an optional DNS subdomain prefix followed by a required name segment of up to 63 characters.'],
    },
  ],
  invalidUpdates: [
    {
      // A transition rule (self == oldSelf).
      args: ['patch', 'gatewayclass', 'kin-lb', '--type=merge', '-p', '{"spec":{"controllerName":"kin.dev/other"}}'],
      error: 'The GatewayClass "kin-lb" is invalid: spec.controllerName: Invalid value: "string": field is immutable',
    },
  ],
  columns: [
    { args: ['get', 'gatewayclass', 'kin-lb'], header: /^NAME\s+CONTROLLER\s+ACCEPTED\s+AGE$/m, row: /^kin-lb\s+kin\.dev\/gateway-controller\s+Unknown\s+\d+s$/m },
    { args: ['get', 'gateway', 'front', '-n', 'edge'], header: /^NAME\s+CLASS\s+ADDRESS\s+PROGRAMMED\s+AGE$/m, row: /^front\s+kin-lb\s+Unknown\s+\d+s$/m },
    { args: ['get', 'httproute', 'shop', '-n', 'edge'], header: /^NAME\s+HOSTNAMES\s+AGE$/m, row: /^shop\s+\["shop\.orchard\.kin\.invalid"\]\s+\d+s$/m },
  ],
};

const argoCd: ProjectCases = {
  dir: 'argo-cd',
  serverSide: true,
  namespaces: ['argocd'],
  valid: `
apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: {name: orchard, namespace: argocd}
spec:
  sourceRepos: ['https://git.kin.invalid/orchard/*']
  destinations: [{namespace: 'orchard-*', server: https://kubernetes.default.svc}]
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: orchard-web, namespace: argocd}
spec:
  project: orchard
  source:
    repoURL: https://git.kin.invalid/orchard/deploy.git
    targetRevision: main
    path: web
    helm: {valuesObject: {replicas: 2, image: {tag: v1}}}
  destination: {server: https://kubernetes.default.svc, namespace: orchard-web}
  syncPolicy: {automated: {prune: true}, syncOptions: [CreateNamespace=true]}
status:
  sync: {status: Synced, revision: 4f2c1a9}
  health: {status: Healthy}
---
apiVersion: argoproj.io/v1alpha1
kind: ApplicationSet
metadata: {name: regions, namespace: argocd}
spec:
  goTemplate: true
  generators: [{list: {elements: [{region: eu}, {region: us}]}}]
  template:
    metadata: {name: 'orchard-{{.region}}'}
    spec:
      project: orchard
      source: {repoURL: https://git.kin.invalid/orchard/deploy.git, path: 'regions/{{.region}}'}
      destination: {server: https://kubernetes.default.svc, namespace: 'orchard-{{.region}}'}
`,
  readBack: [
    // x-kubernetes-preserve-unknown-fields keeps free-form values.
    { resource: 'application', name: 'orchard-web', namespace: 'argocd', jsonpath: '{.spec.source.helm.valuesObject.image.tag}', want: 'v1' },
    // No status subresource: status is written with the object.
    { resource: 'application', name: 'orchard-web', namespace: 'argocd', jsonpath: '{.status.health.status}', want: 'Healthy' },
  ],
  invalid: [
    {
      title: 'an Application without spec',
      yaml: 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: no-spec, namespace: argocd}\n',
      kind: 'Application',
      name: 'no-spec',
      causes: ['spec: Required value'],
    },
    {
      title: 'an Application missing destination and project',
      yaml: 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: no-project, namespace: argocd}\nspec:\n  source: {repoURL: https://git.kin.invalid/x.git}\n',
      kind: 'Application',
      name: 'no-project',
      causes: ['spec.destination: Required value', 'spec.project: Required value'],
    },
    {
      title: 'an Application with fields of the wrong type',
      yaml: 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: bad-type, namespace: argocd}\nspec:\n  project: default\n  destination: {server: https://kubernetes.default.svc}\n  revisionHistoryLimit: ten\n  syncPolicy: {syncOptions: CreateNamespace=true}\n',
      kind: 'Application',
      name: 'bad-type',
      causes: [
        'spec.revisionHistoryLimit: Invalid value: "string": spec.revisionHistoryLimit in body must be of type integer: "string"',
        'spec.syncPolicy.syncOptions: Invalid value: "string": spec.syncPolicy.syncOptions in body must be of type array: "string"',
      ],
    },
    {
      title: 'an ApplicationSet without a template',
      yaml: 'apiVersion: argoproj.io/v1alpha1\nkind: ApplicationSet\nmetadata: {name: no-template, namespace: argocd}\nspec:\n  generators: [{list: {elements: []}}]\n',
      kind: 'ApplicationSet',
      name: 'no-template',
      causes: ['spec.template: Required value'],
    },
  ],
  columns: [
    // With printer columns declared and no Age among them, Kubernetes adds none.
    { args: ['get', 'application', 'orchard-web', '-n', 'argocd'], header: /^NAME\s+SYNC STATUS\s+HEALTH STATUS$/m, row: /^orchard-web\s+Synced\s+Healthy$/m },
    { args: ['get', 'application', 'orchard-web', '-n', 'argocd', '-o', 'wide'], header: /^NAME\s+SYNC STATUS\s+HEALTH STATUS\s+REVISION\s+PROJECT$/m, row: /^orchard-web\s+Synced\s+Healthy\s+4f2c1a9\s+orchard$/m },
    { args: ['get', 'appproject', 'orchard', '-n', 'argocd'], header: /^NAME\s+AGE$/m, row: /^orchard\s+\d+s$/m },
  ],
};

/** Every project, in the order the test installs them. */
export const projects: ProjectCases[] = [certManager, prometheusOperator, gatewayApi, argoCd];
