// The batch/v1 strategies: Jobs and CronJobs.
import type { ResourceStrategy } from '../strategy.js';
import { cronJobStrategy } from './cronjob/strategy.js';
import { jobStrategy } from './job/strategy.js';

export { cronJobStrategy, jobStrategy };
export { defaultJob, generateSelector, jobLabels, jobStatusWord, jobCompletions, jobDuration } from './job/strategy.js';
export { defaultCronJob, validateSchedule, validateTimeZone } from './cronjob/strategy.js';

/** Every batch/v1 strategy. */
export const batchStrategies: ResourceStrategy[] = [jobStrategy, cronJobStrategy] as ResourceStrategy[];
