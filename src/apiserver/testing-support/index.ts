// Test helpers for the API server core: requests without a socket, a watch reader, a server over memory storage.
export * from './client.js';
