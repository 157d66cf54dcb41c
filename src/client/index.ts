// The client folder's public surface: the transport seam, the dynamic client, the in-process transport.
export * from './transport.js';
export * from './client.js';
export * from './in-process.js';
export * from './errors.js';
export * from './discovery.js';
