// `kin why KIND/NAME [-n NS] [-o json]`: explains what holds an object back, against the cluster of a kubeconfig.
import { parseArgs } from 'node:util';
import { ApiClient, resolveResource } from '../../client/index.js';
import { httpsTransport, targetFromKubeconfig } from '../https-transport.js';
import { ClusterView } from './cluster-view.js';
import { explain } from './explain.js';
import { renderExplanation } from './render.js';

const help = `kin why — explain in plain words what holds an object (finalizers, owners, dependents)

Usage:
  kin why KIND/NAME [-n NAMESPACE] [-o json]
  kin why KIND NAME [-n NAMESPACE] [-o json]

KIND is what kubectl takes: pod, pods, po, deployment.apps, widgets.example.com, ...

Flags:
  -n, --namespace NS  the object's namespace (default: the kubeconfig context's namespace, else "default")
  -o, --output FMT    text (default) or json
  --kubeconfig FILE   kubeconfig whose current context to use (default $KUBECONFIG or ~/.kube/config)
`;

/** Splits `KIND/NAME` or `KIND NAME` into its parts. */
export function parseTarget(positionals: string[]): { kind: string; name: string } {
  const [first, second, ...rest] = positionals;
  if (!first || rest.length) throw new Error('expected KIND/NAME or KIND NAME (kin why --help)');
  if (second !== undefined) {
    if (first.includes('/')) throw new Error('expected KIND/NAME or KIND NAME (kin why --help)');
    return { kind: first, name: second };
  }
  const i = first.indexOf('/');
  if (i <= 0 || i === first.length - 1) throw new Error(`expected KIND/NAME, got "${first}" (kin why --help)`);
  return { kind: first.slice(0, i), name: first.slice(i + 1) };
}

/** Runs `kin why`; the exit code is 1 when the object is not found. */
export async function whyCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      namespace: { type: 'string', short: 'n' },
      output: { type: 'string', short: 'o' },
      kubeconfig: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(help);
    return;
  }
  const output = values.output ?? 'text';
  if (output !== 'text' && output !== 'json') throw new Error(`--output: unknown format "${output}" (text or json)`);
  const { kind, name } = parseTarget(positionals);
  const path = values.kubeconfig ?? env['KUBECONFIG']?.split(':')[0] ?? `${env['HOME'] ?? ''}/.kube/config`;
  const target = await targetFromKubeconfig(path);
  const client = new ApiClient(httpsTransport(target), 'kin-why');
  const view = await ClusterView.open(client);
  const resource = resolveResource(view.discovery, kind);
  if (!resource) throw new Error(`the server doesn't have a resource type "${kind}"`);
  const namespace = resource.namespaced ? (values.namespace ?? target.namespace ?? 'default') : undefined;
  const e = await explain(view, { resource, ...(namespace ? { namespace } : {}), name });
  process.stdout.write(output === 'json' ? JSON.stringify(e, null, 2) + '\n' : renderExplanation(e));
  if (!e.exists) process.exitCode = 1;
}
