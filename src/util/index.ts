// The util folder's public surface: clock, logger, backoff, durations, shared decoded forms. Imports nothing of ours.
export * from './clock.js';
export * from './logger.js';
export * from './backoff.js';
export * from './duration.js';
export * from './shared-decoding.js';
