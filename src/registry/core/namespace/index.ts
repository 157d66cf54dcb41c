// Namespaces.
export { namespaceStrategy, namespaceNameLabel, validateFinalizerName } from './strategy.js';
