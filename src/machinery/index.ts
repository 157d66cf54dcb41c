// The machinery folder's public surface: pure logic on API objects.
export * from './field-errors.js';
export * from './errors.js';
export * from './deep.js';
export * from './names.js';
export * from './validation.js';
export * from './labels.js';
export * from './fields.js';
export * from './quantity.js';
export * from './object-meta-validation.js';
export * from './object-meta.js';
export * from './json-patch.js';
export * from './merge-patch.js';
export * from './strategic-merge-patch.js';
export * from './jsonpath.js';
export * from './cron-schedule.js';
