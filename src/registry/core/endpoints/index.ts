// Endpoints.
export { endpointsStrategy, formatEndpoints, validateEndpoints } from './strategy.js';
