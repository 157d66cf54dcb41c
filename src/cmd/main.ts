// The `kin` command: dispatches to subcommands. The only code that reads argv and the environment.
import { readFile } from 'node:fs/promises';
import { up } from './up.js';

const usage = `kin — Kubernetes in Node

Usage:
  kin up [flags]        start a whole cluster in this process (kin up --help for flags)
  kin controller-manager --kubeconfig FILE   run kin's controllers against a cluster over HTTPS
  kin kubelet --simulated --nodes N --kubeconfig FILE   simulated nodes joining a cluster over HTTPS
  kin why KIND/NAME     explain what holds an object (finalizers, owners, dependents); -n NS, -o json
  kin version           print kin's version and the Kubernetes version it serves
  kin help              this text
`;

/** Runs the command line; resolves when the command is done (for `up`, when the cluster stopped). */
export async function main(argv: string[]): Promise<void> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case 'up':
        await up(rest, process.env);
        return;
      case 'kubelet':
        await (await import('./kubelet.js')).kubeletCommand(rest, process.env);
        return;
      case 'controller-manager': {
        const { controllerManagerCommand } = await import('./controller-manager.js');
        await controllerManagerCommand(rest, process.env);
        return;
      }
      case 'why': {
        const { whyCommand } = await import('./why/index.js');
        await whyCommand(rest, process.env);
        return;
      }
      case 'version':
      case '--version': {
        const { kubernetesVersion } = await import('../apiserver/server.js');
        process.stdout.write(`kin ${await packageVersion()} (serves Kubernetes ${kubernetesVersion.gitVersion})\n`);
        return;
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(usage);
        return;
      default:
        process.stderr.write(`kin: unknown command "${cmd}"\n\n${usage}`);
        process.exitCode = 2;
    }
  } catch (e) {
    process.stderr.write(`kin: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}

async function packageVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
