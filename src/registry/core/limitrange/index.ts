// LimitRanges.
export { limitRangeStrategy, defaultLimitRangeItem, validateLimitRange } from './strategy.js';
