// `kin why`: what holds an object back.
export * from './command.js';
export * from './explain.js';
export * from './render.js';
export * from './cluster-view.js';
