// The service accounts controllers' public surface: default ServiceAccounts, and legacy token Secrets.
export * from './serviceaccounts-controller.js';
export * from './tokens-controller.js';
