// The scheduler's plugins, in kube-scheduler's default profile order.
import type { Plugin } from '../types.js';
import { interPodAffinity } from './inter-pod-affinity.js';
import { nodeName, nodePorts, nodeUnschedulable, taintToleration } from './node-basics.js';
import { nodeAffinity } from './node-affinity.js';
import { nodeResourcesBalancedAllocation, nodeResourcesFit } from './node-resources.js';
import { podTopologySpread } from './pod-topology-spread.js';

export * from './helpers.js';
export * from './node-basics.js';
export * from './node-affinity.js';
export * from './node-resources.js';
export * from './inter-pod-affinity.js';
export * from './pod-topology-spread.js';
export * from './volume-binding.js';

/** Every plugin kin runs; filters run in this order and a node stops at the first that rejects it. */
export const defaultPlugins: readonly Plugin[] = [
  nodeUnschedulable,
  nodeName,
  taintToleration,
  nodeAffinity,
  nodePorts,
  nodeResourcesFit,
  podTopologySpread,
  interPodAffinity,
  nodeResourcesBalancedAllocation,
];
