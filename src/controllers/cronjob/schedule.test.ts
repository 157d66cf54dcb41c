import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobNameFor, mostRecentScheduleTime, nextScheduleDelayMs, parseSchedule, rfc1123z, rfc3339In } from './schedule.js';

const at = (s: string) => Date.parse(s);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

const nextCases: { name: string; schedule: string; tz?: string; after: string; want: string }[] = [
  { name: 'every minute', schedule: '* * * * *', after: '2026-01-01T10:00:30Z', want: '2026-01-01T10:01:00.000Z' },
  { name: 'strictly after a matching minute', schedule: '* * * * *', after: '2026-01-01T10:01:00Z', want: '2026-01-01T10:02:00.000Z' },
  { name: '@hourly', schedule: '@hourly', after: '2026-01-01T10:00:00Z', want: '2026-01-01T11:00:00.000Z' },
  { name: '@midnight', schedule: '@midnight', after: '2026-01-01T10:00:00Z', want: '2026-01-02T00:00:00.000Z' },
  { name: '@weekly is Sunday midnight', schedule: '@weekly', after: '2026-01-01T10:00:00Z', want: '2026-01-04T00:00:00.000Z' },
  { name: 'day of month or day of week when both are restricted', schedule: '0 0 1 * 1', after: '2026-01-01T10:00:00Z', want: '2026-01-05T00:00:00.000Z' },
  { name: 'steps and names', schedule: '*/15 9-17 * jan mon-fri', after: '2026-01-02T17:50:00Z', want: '2026-01-05T09:00:00.000Z' },
  { name: 'in a time zone', schedule: '30 9 * * *', tz: 'Europe/Paris', after: '2026-01-01T10:00:00Z', want: '2026-01-02T08:30:00.000Z' },
  { name: 'a TZ= prefix overrides the zone', schedule: 'TZ=Asia/Tokyo 0 9 * * *', after: '2026-01-01T10:00:00Z', want: '2026-01-02T00:00:00.000Z' },
  { name: '@every', schedule: '@every 1h30m', after: '2026-01-01T10:00:00.500Z', want: '2026-01-01T11:30:00.000Z' },
];
for (const c of nextCases)
  test(`schedule: ${c.name}`, () => {
    assert.equal(iso(parseSchedule(c.schedule, c.tz).next(at(c.after))), c.want);
  });

test('bad schedules are refused', () => {
  for (const bad of ['', '* * * *', '@often', '61 * * * *', 'TZ=Nowhere/Else * * * * *']) assert.throws(() => parseSchedule(bad), Error, bad);
});

test('the most recent activation and how many were missed', () => {
  const sched = parseSchedule('* * * * *');
  const now = at('2026-01-01T10:05:30Z');
  assert.deepEqual(mostRecentScheduleTime({ lastScheduleTime: '2026-01-01T10:05:00Z' }, now, sched, true), { earliest: at('2026-01-01T10:05:00Z'), missed: 'none' });
  assert.deepEqual(mostRecentScheduleTime({ lastScheduleTime: '2026-01-01T10:04:00Z' }, now, sched, true), { earliest: at('2026-01-01T10:04:00Z'), mostRecent: at('2026-01-01T10:05:00Z'), missed: 'none' });
  assert.deepEqual(mostRecentScheduleTime({ lastScheduleTime: '2026-01-01T10:00:00Z' }, now, sched, true).mostRecent, at('2026-01-01T10:05:00Z'));
  assert.equal(mostRecentScheduleTime({ lastScheduleTime: '2026-01-01T10:00:00Z' }, now, sched, true).missed, 'few');
  assert.equal(mostRecentScheduleTime({ creationTimestamp: '2026-01-01T00:00:00Z' }, now, sched, true).missed, 'many');
  // The deadline moves the earliest time looked at forward.
  assert.equal(mostRecentScheduleTime({ creationTimestamp: '2026-01-01T00:00:00Z', startingDeadlineSeconds: 100 }, now, sched, true).missed, 'few');
  assert.equal(nextScheduleDelayMs({ lastScheduleTime: '2026-01-01T10:05:00Z' }, now, sched), 30_100);
});

test('names and time formats of CronJob Jobs and events', () => {
  assert.equal(jobNameFor('hello', at('2026-01-01T10:05:00Z')), `hello-${at('2026-01-01T10:05:00Z') / 60_000}`);
  assert.equal(rfc1123z(at('2026-01-01T10:05:00Z')), 'Thu, 01 Jan 2026 10:05:00 +0000');
  assert.equal(rfc3339In(at('2026-01-01T10:05:00Z')), '2026-01-01T10:05:00Z');
  assert.equal(rfc3339In(at('2026-07-01T10:05:00Z'), 'America/New_York'), '2026-07-01T06:05:00-04:00');
});
