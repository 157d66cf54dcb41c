// The machinery folder's public surface: pure logic on API objects.
export * from './field-errors.js';
export * from './errors.js';
