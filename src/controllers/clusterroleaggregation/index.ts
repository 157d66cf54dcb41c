// The ClusterRole aggregation controller's public surface.
export * from './clusterrole-aggregation-controller.js';
