// The auth folder's public surface: service-account tokens (issuing, verifying, OpenID discovery).
export * from './service-account-token.js';
export * from './bootstrap-policy.js';
export * from './rbac-reconcile.js';
