// DefaultTolerationSeconds: a pod that does not tolerate the not-ready and unreachable NoExecute taints gets
// tolerations of them for 300 seconds, so its node's outage evicts it after five minutes.
import type { AdmissionPlugin } from '../interfaces.js';

/** How long pods stay on a not-ready or unreachable node by default. */
export const defaultTolerationSeconds = 300;

interface Toleration {
  key?: string;
  operator?: string;
  effect?: string;
  tolerationSeconds?: number;
}

function tolerates(ts: Toleration[], key: string): boolean {
  return ts.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
}

/** The DefaultTolerationSeconds plugin. */
export function defaultTolerationSecondsPlugin(): AdmissionPlugin {
  return {
    name: 'DefaultTolerationSeconds',
    handles: (op, r) => op === 'CREATE' && r.group === '' && r.resource === 'pods' && r.subresource === '',
    admit(a) {
      const spec = a.object?.['spec'] as { tolerations?: Toleration[] } | undefined;
      if (!spec) return;
      const ts = spec.tolerations ?? [];
      const add: Toleration[] = [];
      for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
        if (!tolerates(ts, key)) add.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: defaultTolerationSeconds });
      }
      if (add.length) spec.tolerations = [...ts, ...add];
    },
  };
}
