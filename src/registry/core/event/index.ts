// core/v1 Events.
export { eventStrategy, eventRow, validateLegacyEvent } from './strategy.js';
