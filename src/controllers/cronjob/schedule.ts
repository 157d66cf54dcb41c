// CronJob schedule arithmetic for the controller: the most recent missed activation with Kubernetes' "too many
// missed start times" rule, and the time formats CronJobs write. Schedules are parsed by machinery's cron parser,
// the one CronJob validation uses.
import { isKnownTimeZone, parseSchedule as parseCron, type CronSchedule } from '../../machinery/index.js';

/** A parsed schedule. */
export type Schedule = CronSchedule;

/** True when the runtime knows the IANA time zone name. */
export const isValidTimeZone = isKnownTimeZone;

/**
 * Parses a CronJob schedule in a time zone (UTC when none, as the controller's time.LoadLocation("") is UTC).
 * A `TZ=`/`CRON_TZ=` prefix in the schedule overrides it. Throws an Error whose message says why.
 */
export function parseSchedule(schedule: string, timeZone = 'UTC'): Schedule {
  return parseCron(schedule.trim(), { timeZone });
}

/** How many activations were missed: none, a few, or more than 100 (Kubernetes' limit before it warns). */
export type MissedSchedules = 'none' | 'few' | 'many';

/** What mostRecentScheduleTime finds. */
export interface MostRecent {
  earliest: number;
  mostRecent?: number;
  missed: MissedSchedules;
}

/** The CronJob fields the schedule arithmetic reads. */
export interface ScheduleState {
  creationTimestamp?: string | undefined;
  lastScheduleTime?: string | undefined;
  startingDeadlineSeconds?: number | undefined;
}

/**
 * The most recent activation at or before `now` since the last scheduled time (or creation), and how many were
 * missed. With `withDeadline`, activations older than startingDeadlineSeconds are not looked at.
 */
export function mostRecentScheduleTime(state: ScheduleState, now: number, schedule: Schedule, withDeadline: boolean): MostRecent {
  let earliest = Date.parse(state.lastScheduleTime ?? state.creationTimestamp ?? '');
  if (Number.isNaN(earliest)) earliest = now;
  if (withDeadline && state.startingDeadlineSeconds != null) {
    const deadline = now - state.startingDeadlineSeconds * 1000;
    if (deadline > earliest) earliest = deadline;
  }
  const t1 = schedule.next(earliest);
  if (t1 === undefined || now < t1) return { earliest, missed: 'none' };
  const t2 = schedule.next(t1);
  if (t2 === undefined || now < t2) return { earliest, mostRecent: t1, missed: 'none' };
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) throw new Error('time difference between two schedules is less than 1 second');
  // An estimate: how many intervals fit between the first missed activation and now.
  const elapsed = Math.floor((now - t1) / 1000);
  const missedCount = Math.floor(elapsed / between) + 1;
  let mostRecent: number | undefined;
  const potentialEarliest = t1 + (missedCount - 2) * between * 1000;
  for (let t = schedule.next(potentialEarliest); t !== undefined && t <= now; t = schedule.next(t)) mostRecent = t;
  const missed: MissedSchedules = missedCount > 100 ? 'many' : missedCount > 0 ? 'few' : 'none';
  return mostRecent === undefined ? { earliest, missed } : { earliest, mostRecent, missed };
}

/** How long until the next activation after the most recent one, plus Kubernetes' 100 ms margin. */
export function nextScheduleDelayMs(state: ScheduleState, now: number, schedule: Schedule): number | undefined {
  let r: MostRecent;
  try {
    r = mostRecentScheduleTime(state, now, schedule, false);
  } catch {
    return undefined;
  }
  const next = schedule.next(r.mostRecent ?? r.earliest);
  return next === undefined ? undefined : next + 100 - now;
}

/** The name of the Job of an activation: `<cronjob>-<minutes since the epoch>`. */
export function jobNameFor(cronJobName: string, scheduledMs: number): string {
  return `${cronJobName}-${Math.floor(scheduledMs / 60_000)}`;
}

/** RFC 3339 in a time zone, as Go formats it (`2026-01-01T10:00:00+01:00`, `Z` when the offset is 0). */
export function rfc3339In(ms: number, timeZone = 'UTC'): string {
  const offsetMin = Math.round(zoneOffsetMs(ms, timeZone) / 60_000);
  const local = new Date(Math.floor(ms / 1000) * 1000 + offsetMin * 60_000).toISOString().slice(0, 19);
  if (offsetMin === 0) return `${local}Z`;
  const sign = offsetMin < 0 ? '-' : '+';
  const a = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

function zoneOffsetMs(ms: number, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? '0');
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(ms / 1000) * 1000;
}

const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 1123 with a numeric zone, in UTC, as Go's time.RFC1123Z: `Thu, 01 Jan 2026 10:00:00 +0000`. */
export function rfc1123z(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}
