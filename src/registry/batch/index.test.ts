import { describeStrategy } from '../testing-support/index.js';
import { cronJobStrategy, jobStrategy } from './index.js';

const podTemplate = (restartPolicy = 'Never') => ({ spec: { restartPolicy, containers: [{ name: 'pi', image: 'perl:5.34' }] } });
const job = (spec: Record<string, unknown>, name = 'pi') => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default', uid: '6b7c2a44-1f2e-4c4b-9a0e-2f3d4e5f6a7b' }, spec });

describeStrategy(jobStrategy, {
  valid: job({ template: podTemplate() }),
  invalid: [
    { name: 'restartPolicy Always', object: job({ template: podTemplate('Always') }), fields: ['spec.template.spec.restartPolicy'] },
    { name: 'negative backoffLimit', object: job({ backoffLimit: -1, template: podTemplate() }), fields: ['spec.backoffLimit'] },
    { name: 'unknown completionMode', object: job({ completionMode: 'Sometimes', template: podTemplate() }), fields: ['spec.completionMode'] },
    { name: 'Indexed without completions', object: job({ completionMode: 'Indexed', parallelism: 2, template: podTemplate() }), fields: ['spec.completions'] },
    { name: 'selector given without manualSelector', object: job({ selector: { matchLabels: { a: 'b' } }, template: podTemplate() }), fields: ['spec.selector'] },
    { name: 'manual selector not matching the template', object: job({ manualSelector: true, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'c' } }, ...podTemplate() } }), fields: ['spec.template.metadata.labels'] },
    { name: 'podReplacementPolicy unknown', object: job({ podReplacementPolicy: 'Always', template: podTemplate() }), fields: ['spec.podReplacementPolicy'] },
  ],
  invalidUpdates: [
    { name: 'template change', old: job({ template: podTemplate() }), object: job({ template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.36' }] } } }), fields: ['spec.template'] },
    { name: 'completions change', old: job({ completions: 2, template: podTemplate() }), object: job({ completions: 3, template: podTemplate() }), fields: ['spec.completions'] },
  ],
});

const cron = (spec: Record<string, unknown>, name = 'hello') => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name, namespace: 'default' }, spec });
const jobTemplate = { spec: { template: podTemplate('OnFailure') } };

describeStrategy(cronJobStrategy, {
  valid: cron({ schedule: '*/5 * * * *', timeZone: 'Europe/Berlin', jobTemplate }),
  invalid: [
    { name: 'missing schedule', object: cron({ jobTemplate }), fields: ['spec.schedule'] },
    { name: 'unparsable schedule', object: cron({ schedule: '61 * * * *', jobTemplate }), fields: ['spec.schedule'] },
    { name: 'TZ in schedule', object: cron({ schedule: 'TZ=UTC 0 * * * *', jobTemplate }), fields: ['spec.schedule'] },
    { name: 'unknown time zone', object: cron({ schedule: '@daily', timeZone: 'Mars/Olympus', jobTemplate }), fields: ['spec.timeZone'] },
    { name: 'Local time zone', object: cron({ schedule: '@daily', timeZone: 'Local', jobTemplate }), fields: ['spec.timeZone'] },
    { name: 'unknown concurrencyPolicy', object: cron({ schedule: '@daily', concurrencyPolicy: 'Sometimes', jobTemplate }), fields: ['spec.concurrencyPolicy'] },
    { name: 'job template with Always', object: cron({ schedule: '@daily', jobTemplate: { spec: { template: podTemplate('Always') } } }), fields: ['spec.jobTemplate.spec.template.spec.restartPolicy'] },
    { name: 'name longer than 52', object: cron({ schedule: '@daily', jobTemplate }, 'x'.repeat(53)), fields: ['metadata.name'] },
  ],
});
