// Test helpers shared by the resource strategies' tests.
export * from './resource-suite.js';
