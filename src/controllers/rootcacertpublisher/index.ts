// The root CA certificate publisher's public surface.
export * from './publisher.js';
