// ResourceQuotas.
export { resourceQuotaStrategy, quotaCells } from './strategy.js';
