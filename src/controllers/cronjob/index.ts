// The CronJob controller's public surface.
export * from './schedule.js';
export * from './cronjob-controller.js';
