// ServiceAccounts.
export { serviceAccountStrategy } from './strategy.js';
