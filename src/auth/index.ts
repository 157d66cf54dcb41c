// The auth folder's public surface: service-account tokens (issuing, verifying, legacy tokens, the token
// authenticator, OpenID discovery), bearer-token parsing, and the bootstrap RBAC policy.
export * from './service-account-token.js';
export * from './legacy-token.js';
export * from './token-authenticator.js';
export * from './bearer-token.js';
export * from './bootstrap-policy.js';
export * from './rbac-reconcile.js';
