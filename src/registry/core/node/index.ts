// Nodes.
export { nodeStrategy, nodeStatusText, nodeRoles, validateTaints } from './strategy.js';
