// Puts an API server together: the registry with every built-in resource, the handler context with its
// pluggable parts (selectors, schema checks, patches, deletion), discovery, OpenAPI and the bootstrap objects.
import type { KubeObject, ResourceInfo } from '../api/index.js';
import { builtinResources } from '../api/index.js';
import { builtinDefinitions } from '../api/generated/index.js';
import { matchesLabels, notFound, parseLabelSelector } from '../machinery/index.js';
import { checkObject, dropUnknown } from '../machinery/schema/index.js';
import { decodeProtobuf } from '../machinery/protobuf/index.js';
import { Registry } from '../registry/registry.js';
import type { MetaValidator, StoreHook } from '../registry/generic-store.js';
import { serviceAllocator } from './service-allocator.js';
import type { ResourceStrategy } from '../registry/strategy.js';
import type { Backend } from '../storage/backend.js';
import type { Clock, Logger } from '../util/index.js';
import type { ServerContext, Selectors, SchemaChecker, Patcher } from './context.js';
import { Deleter } from './deletion.js';
import { createApiHandler, type ApiServerOptions, type VirtualResource } from './server.js';
import type { ApiHandler } from './http.js';
import { createOpenApiProvider } from './openapi-provider.js';
import { compileFieldSelector } from './field-selector.js';
import { validateMetadata } from './metadata.js';
import { patcher } from './patching.js';
import { accessReviews } from './access-reviews.js';
import { bootstrapObjects, bootstrapRbac } from './bootstrap.js';
import { allowApiServerLoopback, apiServerEndpoint, KubernetesServiceLoop, reconcileKubernetesService } from './kubernetes-endpoints.js';
import { builtinScale, handleScale } from './scale.js';
import { CrdManager } from './crd-manager.js';
import { checkFields, finalizeNamespace } from './resources.js';
import { serverSideApply } from './apply.js';
import { admissionOrder, builtinPlugins, checkNamespaceOpen, newAdmissionChain } from '../admission/index.js';
import { registryLookup } from './admission.js';
import { handleTokenRequest } from './token-request.js';
import { apiAuthenticator, type Authenticator } from './authentication.js';
import { ServiceAccountTokenIssuer } from '../auth/index.js';
import { generateKeyPairSync } from 'node:crypto';
import { bindingsResource, handlePodBinding } from './binding.js';
import { handlePodEviction, withEvictionSubresource } from './eviction.js';

/** The component schema name of a built-in kind: `io.k8s.api.apps.v1.Deployment`. */
export function builtinSchemaName(info: { group: string; version: string; kind: string }): string {
  const pkg = info.group === '' ? 'core' : info.group.split('.')[0]!;
  return `io.k8s.api.${pkg}.${info.version}.${info.kind}`;
}

/** True when a JSON value holds a null anywhere. */
function containsNull(v: unknown): boolean {
  if (v === null) return true;
  if (typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(containsNull);
  for (const k in v as Record<string, unknown>) if (containsNull((v as Record<string, unknown>)[k])) return true;
  return false;
}

/** A strategy with no rules beyond the generic ones, for a kind that has no strategy of its own yet. */
export function plainStrategy(info: ResourceInfo): ResourceStrategy {
  return { info, schemaName: builtinSchemaName(info) };
}

/** What an assembled API server is made of. */
export interface AssembleOptions {
  backend: Backend;
  clock: Clock;
  logger: Logger;
  /** `host:port` for legacy discovery. */
  serverAddress: string;
  /** Strategies for built-in kinds; kinds without one are served with generic rules only. */
  strategies?: ResourceStrategy[];
  /**
   * The admission plugins to run (they run in kube-apiserver's order whatever the order here). Default:
   * NamespaceLifecycle only, so test servers need no service accounts; `kin up` runs every built-in plugin.
   */
  admissionPlugins?: readonly string[];
  /** PEM private key that signs service-account tokens; without one, a key is made in memory when first needed. */
  serviceAccountKeyPem?: string;
}

/** An assembled API server: its handler and the parts other components use. */
export interface ApiServer {
  handler: ApiHandler;
  registry: Registry;
  context: ServerContext;
  /**
   * Authenticates requests for the HTTPS adapter (`serve`'s `authenticator`): client certificates, then bearer
   * service-account tokens (bound and legacy) checked against this server's objects.
   */
  authenticator: Authenticator;
  /** Creates the objects every cluster starts with (namespaces, the kubernetes Service). Idempotent. */
  bootstrap(): Promise<void>;
  /**
   * Bootstraps what clients need at once (namespaces, the kubernetes Service, PriorityClasses), then serves the
   * custom resources of every stored CRD and follows CRD changes. The default RBAC roles are `postStart`'s.
   */
  start(): Promise<void>;
  /**
   * The post-start hooks, run once the server serves: the bootstrap RBAC roles and bindings (reconciled on every
   * start). Until they are done, /readyz reports `poststarthook/rbac/bootstrap-roles` failed, as kube-apiserver does.
   */
  postStart(): Promise<void>;
  /** Stops following CRDs. */
  stop(): Promise<void>;
}

/** Builds an API server over a backend. */
export function assembleApiServer(opts: AssembleOptions): ApiServer {
  const defs = builtinDefinitions();
  const meta: MetaValidator = validateMetadata;
  const registry = new Registry({ backend: opts.backend, clock: opts.clock, meta });
  const given = new Map((opts.strategies ?? []).map((s) => [`${s.info.group}/${s.info.version}/${s.info.plural}`, s]));
  const hooks: Record<string, StoreHook> = { '/v1/services': serviceAllocator(() => registry.find('', 'v1', 'services')!) };
  for (const info of builtinResources) {
    const k = `${info.group}/${info.version}/${info.plural}`;
    const strategy = withEvictionSubresource(given.get(k) ?? plainStrategy(info));
    registry.add(k === '/v1/endpoints' ? allowApiServerLoopback(strategy) : strategy, hooks[k]);
    given.delete(k);
  }
  // Strategies of resources outside the built-in table (CustomResourceDefinitions) come after.
  for (const s of given.values()) registry.add(s);

  const selectors: Selectors = {
    labels(s) {
      const sel = parseLabelSelector(s);
      return (labels) => matchesLabels(sel, labels);
    },
    fields: (s, store) => compileFieldSelector(s, store),
  };

  const schema: SchemaChecker = {
    check(obj, schemaName, o) {
      if (!defs[schemaName]) return { unknown: [] };
      const r = checkObject(obj, schemaName, defs, { gvk: { kind: o.kind, version: o.version } });
      if (r.decodeError) return { unknown: [], error: r.decodeError };
      // Go's decoder keeps no nulls (a null field is unset, a null list item or map value its zero value):
      // strategies never see one.
      if ((o.dropUnknown && r.unknownFields.length) || containsNull(obj)) {
        const cleaned = dropUnknown(obj, schemaName, defs) as KubeObject;
        for (const k of Object.keys(obj)) delete obj[k];
        Object.assign(obj, cleaned);
      }
      return { unknown: r.unknownFields };
    },
  };

  let tokenIssuer: ServiceAccountTokenIssuer | undefined;
  const issuer = (): ServiceAccountTokenIssuer => {
    if (!tokenIssuer) {
      const pem = opts.serviceAccountKeyPem ?? String(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
      tokenIssuer = new ServiceAccountTokenIssuer(pem);
    }
    return tokenIssuer;
  };

  const lookup = registryLookup(registry);
  const enabled = new Set(opts.admissionPlugins ?? ['NamespaceLifecycle']);
  const admission = newAdmissionChain({ registry: builtinPlugins(), deps: { lookup, clock: opts.clock }, order: admissionOrder.filter((n) => enabled.has(n)) });

  const deleter = new Deleter(registry, opts.logger);
  const binding = { pods: () => registry.find('', 'v1', 'pods')!, backend: opts.backend, clock: opts.clock, protobuf: decodeProtobuf };
  const patch: Patcher = patcher(defs);

  const context: ServerContext = {
    clock: opts.clock,
    logger: opts.logger,
    registry,
    selectors,
    schema,
    protobuf: decodeProtobuf,
    patch,
    apply: (req, t, o) => serverSideApply(context, req, t, { ...o, checkFields: (obj) => checkFields(context, obj, t, o.mode) }),
    subresourceNames: (info) => (info.group === '' && info.plural === 'namespaces' ? ['finalize'] : info.group === '' && info.plural === 'pods' ? ['binding'] : []),
    async subresources(req, t) {
      const info = t.store.strategy.info;
      if (t.subresource === 'token' && info.group === '' && info.plural === 'serviceaccounts' && t.name !== undefined && t.namespace !== undefined) {
        return handleTokenRequest({ registry, issuer: issuer(), clock: opts.clock, protobuf: decodeProtobuf }, req, t.namespace, t.name);
      }
      if (t.subresource === 'finalize' && t.store.strategy.finalize && t.name !== undefined && req.method === 'PUT') return finalizeNamespace(context, req, t);
      if (t.subresource === 'binding' && info.group === '' && info.plural === 'pods') return handlePodBinding(req, t, binding);
      if (t.subresource === 'eviction' && info.group === '' && info.plural === 'pods') return handlePodEviction(req, t, { pods: binding.pods, pdbs: () => registry.find('policy', 'v1', 'poddisruptionbudgets')!, deleter: context.deleter, clock: opts.clock, protobuf: decodeProtobuf });
      const scale = builtinScale[`${info.group}/${info.plural}`] ?? t.store.strategy.scale;
      if (t.subresource === 'scale' && scale && t.name !== undefined) return handleScale(req, { store: t.store, namespace: t.namespace, name: t.name, paths: scale, patcher: patch, clock: opts.clock });
      throw notFound({ group: info.group, resource: `${info.plural}/${t.subresource ?? ''}`, name: t.name });
    },
    admission,
    admitNamespace: (namespace, _req, target) =>
      checkNamespaceOpen(lookup, {
        namespace,
        name: target?.name ?? namespace,
        object: undefined,
        resource: { group: target?.group ?? '', version: '', resource: target?.resource ?? 'namespaces' },
      }),
    deleter: (store, ns, name, o) => deleter.delete(store, ns, name, o),
    currentRevision: () => opts.backend.currentRevision(),
  };

  const virtual: VirtualResource[] = [...accessReviews({ protobuf: decodeProtobuf }), bindingsResource(binding)];
  const openapi = createOpenApiProvider(registry, defs);
  const json = (body: string, contentType: string) => ({ status: 200, headers: { 'content-type': contentType }, body });
  const paths: ApiServerOptions['paths'] = {
    '/.well-known/openid-configuration': () => json(issuer().openIdConfiguration(`https://${opts.serverAddress}/openid/v1/jwks`), 'application/json'),
    '/openid/v1/jwks': () => json(issuer().jwks(), 'application/jwk-set+json'),
  };
  let rbacDone: Promise<void> | undefined;
  let postStartDone: Promise<void> | undefined;
  let rbacReady = false;
  const health = { 'poststarthook/rbac/bootstrap-roles': () => rbacReady || rbacDone === undefined };
  const serverOpts: ApiServerOptions = { context, openapi, virtual, serverAddress: opts.serverAddress, paths, health };
  const handler = createApiHandler(serverOpts);
  // The `kubernetes` Service's endpoints: where this server listens (none while the port is not fixed yet).
  const endpoint = apiServerEndpoint(opts.serverAddress);
  const kubernetesService = new KubernetesServiceLoop(registry, { clock: opts.clock, logger: opts.logger, ...(endpoint ? { endpoint } : {}) });
  const crdStore = registry.find('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
  const crds = crdStore && new CrdManager({ registry, crds: crdStore, clock: opts.clock, logger: opts.logger });
  const authenticator = apiAuthenticator({ registry, issuer, clock: opts.clock, logger: opts.logger });
  return {
    handler,
    registry,
    context,
    authenticator,
    bootstrap: () => bootstrapObjects(registry, endpoint ? { endpoint } : {}),
    async start() {
      // What is missing is made before the ready line; moving the `kubernetes` Service's ports and endpoints to
      // this start's port is an update (the first reads the schemas), done after it.
      await bootstrapObjects(registry, { rbac: false, reconcilePorts: false, ...(endpoint ? { endpoint } : {}) });
      await crds?.start();
    },
    postStart() {
      // As kube-apiserver's post-start hooks: the kubernetes Service controller, then the default RBAC roles.
      if (postStartDone) return postStartDone;
      const ports = endpoint
        ? reconcileKubernetesService(registry, { reconcilePorts: true, endpoint }).catch((e: unknown) => opts.logger.warn('unable to sync kubernetes service', { error: e instanceof Error ? e.message : String(e) }))
        : undefined;
      kubernetesService.start();
      rbacDone = bootstrapRbac(registry).then(() => {
        rbacReady = true;
      });
      postStartDone = Promise.all([rbacDone, ports]).then(() => undefined);
      return postStartDone;
    },
    async stop() {
      await kubernetesService.stop();
      await crds?.stop();
    },
  };
}

