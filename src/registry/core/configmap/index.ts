// ConfigMaps.
export { configMapStrategy, maxConfigSize } from './strategy.js';
