// PodTemplates.
export { podTemplateStrategy } from './strategy.js';
