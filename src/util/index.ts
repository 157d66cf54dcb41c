// The util folder's public surface: clock, logger, backoff. Imports nothing of ours.
export * from './clock.js';
export * from './logger.js';
export * from './backoff.js';
export * from './duration.js';
