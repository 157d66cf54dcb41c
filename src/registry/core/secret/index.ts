// Secrets.
export { secretStrategy, defaultSecret, validateSecret } from './strategy.js';
