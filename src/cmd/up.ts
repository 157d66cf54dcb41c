// `kin up`: the whole cluster in one process — storage, API server over HTTPS, kubeconfig — until a signal.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { setMaxListeners } from 'node:events';
import { openBackend } from '../storage/index.js';
import { assembleApiServer, type ApiServer } from '../apiserver/assemble.js';
import { errorResponse } from '../apiserver/respond.js';
import { unavailable } from '../machinery/index.js';
import { serve } from '../apiserver/serve.js';
import { jsonLogger, systemClock, type LogLevel, type Logger } from '../util/index.js';
import { ensurePki } from './certs.js';
import { writeKubeconfig } from './kubeconfig.js';
import type { RunningControllerManager } from './controller-manager.js';
import type { RunningNodes } from './kubelet.js';
import { builtinStrategies } from './strategies.js';
import { admissionOrder } from '../admission/index.js';
import { IpPool } from '../controllers/servicelb/ip-pool.js';
import { loadBuiltinDefinitions } from '../api/generated/index.js';

const help = `kin up — start a cluster in this process

Flags:
  --port N            HTTPS port on 127.0.0.1 (default 6443; 0 picks a free one)
  --data-dir DIR      where state, certificates and the database live (default ~/.kin)
  --storage KIND      sqlite (default, in the data dir), memory (nothing on disk), or a backend URL
  --kubeconfig FILE   kubeconfig to write or merge kin's entries into (default ~/.kube/config)
  --log-level LEVEL   debug, info, warn, error (default warn)
  --simulated-nodes N simulated nodes run in this process, named kin-node-1 ... kin-node-N (default 1; 0: none)
  --load-balancer-ips CIDR|FIRST-LAST  addresses LoadBalancer Services get (default 172.30.255.0/24)
  --disable-admission-plugins A,B  admission plugins not to run (all built-in ones run by default:
                      ${admissionOrder.join(', ')})
`;

/** Parsed `kin up` flags. */
export interface UpFlags {
  port: number;
  dataDir: string;
  storage: string;
  kubeconfig: string;
  logLevel: LogLevel;
  /** Simulated nodes to run in-process (kin-node-1 ...). */
  simulatedNodes: number;
  /** The pool of LoadBalancer Service addresses (`--load-balancer-ips`). */
  loadBalancerIps?: string;
  /** Admission plugins left out (`--disable-admission-plugins`). */
  disabledAdmissionPlugins?: string[];
}

/** Reads `kin up` flags; defaults come from the home directory in `env`. */
export function parseUpFlags(args: string[], env: NodeJS.ProcessEnv): UpFlags | 'help' {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      storage: { type: 'string' },
      kubeconfig: { type: 'string' },
      'log-level': { type: 'string' },
      'simulated-nodes': { type: 'string' },
      'load-balancer-ips': { type: 'string' },
      'disable-admission-plugins': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const home = env['HOME'] ?? homedir();
  const port = values.port === undefined ? 6443 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port number: ${values.port}`);
  const level = (values['log-level'] ?? 'warn') as LogLevel;
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(level)) throw new Error(`--log-level: unknown level ${level}`);
  const simulatedNodes = values['simulated-nodes'] === undefined ? 1 : Number(values['simulated-nodes']);
  if (!Number.isInteger(simulatedNodes) || simulatedNodes < 0) throw new Error(`--simulated-nodes: not a number of nodes: ${values['simulated-nodes']}`);
  const lbIps = values['load-balancer-ips'];
  if (lbIps !== undefined) IpPool.parse(lbIps); // throws a message naming what is wrong
  const disabled = (values['disable-admission-plugins'] ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
  for (const p of disabled) if (!admissionOrder.includes(p)) throw new Error(`disable-admission-plugins plugin "${p}" is unknown`);
  return {
    simulatedNodes,
    ...(disabled.length ? { disabledAdmissionPlugins: disabled } : {}),
    ...(lbIps !== undefined ? { loadBalancerIps: lbIps } : {}),
    port,
    dataDir: resolve(values['data-dir'] ?? join(home, '.kin')),
    storage: values.storage ?? 'sqlite',
    kubeconfig: resolve(values.kubeconfig ?? env['KUBECONFIG']?.split(':')[0] ?? join(home, '.kube', 'config')),
    logLevel: level,
  };
}

function storageUrl(storage: string, dataDir: string): string {
  if (storage === 'sqlite') return `sqlite://${join(dataDir, 'kin.db')}`;
  if (storage === 'memory') return 'memory://';
  return storage;
}

/**
 * Starts the controllers, after the ready line: the API server serves without them (they act on what clients
 * write, later, as in Kubernetes), and their code and their informers' first lists would hold the line back.
 * They talk to the API server in-process, as kube-controller-manager's own identity.
 */
async function startControllers(api: ApiServer, logger: Logger, pki: { caCertPem: string; serviceAccountKeyPem: string }, loadBalancerPool?: string): Promise<RunningControllerManager | undefined> {
  try {
    const [{ startControllerManager }, { ApiClient, inProcessTransport }] = await Promise.all([import('./controller-manager.js'), import('../client/index.js')]);
    const client = new ApiClient(inProcessTransport(api.handler, { username: 'system:kube-controller-manager', groups: ['system:masters', 'system:authenticated'] }), 'kin-controller-manager');
    setMaxListeners(0); // the garbage collector's informers (one per resource) share abort signals
    return startControllerManager({ client, logger, caCertPem: pki.caCertPem, serviceAccountKeyPem: pki.serviceAccountKeyPem, ...(loadBalancerPool !== undefined ? { loadBalancerPool } : {}) });
  } catch (err) {
    logger.error('the controllers did not start', { error: String(err) });
    return undefined;
  }
}

/** Starts the simulated nodes in-process after the ready line, as the controllers (their own identity, in-process). */
async function startNodes(api: ApiServer, logger: Logger, count: number): Promise<RunningNodes | undefined> {
  if (count === 0) return undefined;
  try {
    const [{ startSimulatedNodes }, { ApiClient, inProcessTransport }, { nodeNames }, { kubernetesVersion }] = await Promise.all([import('./kubelet.js'), import('../client/index.js'), import('../kubelet/index.js'), import('../apiserver/server.js')]);
    const client = new ApiClient(inProcessTransport(api.handler, { username: 'system:node:kin-node', groups: ['system:nodes', 'system:masters', 'system:authenticated'] }), 'kin-kubelet');
    return startSimulatedNodes({ client, names: nodeNames('kin-node', count), kubeletVersion: kubernetesVersion.gitVersion, logger });
  } catch (err) {
    logger.error('the simulated nodes did not start', { error: String(err) });
    return undefined;
  }
}

/** Runs `kin up` until SIGINT or SIGTERM. */
export async function up(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const started = performance.now();
  const flags = parseUpFlags(args, env);
  if (flags === 'help') {
    process.stdout.write(help);
    return;
  }
  const logger = jsonLogger({ level: flags.logLevel });
  await mkdir(flags.dataDir, { recursive: true, mode: 0o700 });
  const [pki, backend] = await Promise.all([
    ensurePki(flags.dataDir, { extraSans: ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local', '10.96.0.1'], logger }),
    openBackend(storageUrl(flags.storage, flags.dataDir), {}),
  ]);
  let api: ApiServer | undefined;
  const server = await serve(
    async (req) => (api ? api.handler(req) : errorResponse(unavailable('the server is starting'))),
    // Until the API server is assembled every request is answered 503, whoever sends it.
    { host: '127.0.0.1', port: flags.port, tls: { cert: pki.serverCertPem, key: pki.serverKeyPem, ca: pki.caCertPem }, logger, authenticator: (headers, cert) => api?.authenticator(headers, cert) },
  );
  const address = `127.0.0.1:${server.port}`;
  api = assembleApiServer({ backend, clock: systemClock, logger, serverAddress: address, strategies: builtinStrategies(), serviceAccountKeyPem: pki.serviceAccountKeyPem, admissionPlugins: admissionOrder.filter((p) => !flags.disabledAdmissionPlugins?.includes(p)) });
  let controllers: Promise<RunningControllerManager | undefined> | undefined;
  let nodes: Promise<RunningNodes | undefined> | undefined;
  let postStart: Promise<void> | undefined;
  // The kubeconfig is written (file I/O, an fsync when merging) while the API server bootstraps (CPU).
  const [kc] = await Promise.all([
    writeKubeconfig(flags.kubeconfig, {
      server: `https://${address}`,
      caCertPem: pki.caCertPem,
      clientCertPem: pki.adminCertPem,
      clientKeyPem: pki.adminKeyPem,
    }),
    api.start(),
  ]);
  // Signal handlers go in before the ready line, so a stop right after it is still a clean one.
  const stopped = new Promise<void>((resolveStop) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info('stopping', { signal });
      await (await nodes)?.stop().catch(() => undefined);
      await (await controllers)?.stop().catch(() => undefined);
      await postStart;
      await server.close().catch(() => undefined);
      await api?.stop().catch(() => undefined);
      await backend.close().catch(() => undefined);
      process.stdout.write('kin stopped\n');
      resolveStop();
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`kin ready: https://${address} kubeconfig=${kc.path} storage=${flags.storage} (${ms} ms)\n`);
  // The default RBAC roles (a hundred objects on a first start) are a post-start hook, as in kube-apiserver: kubectl
  // does not wait for them, and /readyz reports them until they are in.
  postStart = api.postStart().catch((e: unknown) => logger.error('bootstrapping the RBAC defaults failed', { error: String(e) }));
  controllers = startControllers(api, logger, pki, flags.loadBalancerIps);
  nodes = startNodes(api, logger, flags.simulatedNodes);
  // The schemas are read on first use; read them now, after the ready line, so the first write does not wait.
  setImmediate(() => loadBuiltinDefinitions());
  await stopped;
}
