// The service accounts controller's public surface.
export * from './serviceaccounts-controller.js';
