// Quota accounting shared by ResourceQuota admission and the resource quota controller.
export * from './resource-list.js';
export * from './usage.js';
