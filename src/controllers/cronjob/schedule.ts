// CronJob schedules for the controller: the next activation after a time (five-field cron, @descriptors, @every,
// in spec.timeZone), the most recent missed activation with Kubernetes' "too many missed start times" rule, and
// the time formats CronJobs write.
import { CronExpressionParser } from 'cron-parser';

/** A parsed schedule. */
export interface Schedule {
  /** The first activation strictly after `afterMs`, or undefined when there is none. */
  next(afterMs: number): number | undefined;
}

/** The descriptors Kubernetes' parser knows, as five-field expressions. */
const descriptors: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const goUnits: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function goDurationMs(s: string): number | undefined {
  if (!/^((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/.test(s)) return undefined;
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += parseFloat(m[1]!) * goUnits[m[2]!]!;
  return total;
}

/** True when the runtime knows the IANA time zone name. */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses a CronJob schedule in a time zone (UTC when none, as the controller's time.LoadLocation("") is UTC).
 * A `TZ=`/`CRON_TZ=` prefix in the schedule overrides it. Throws an Error whose message says why.
 */
export function parseSchedule(schedule: string, timeZone = 'UTC'): Schedule {
  let spec = schedule.trim();
  let tz = timeZone;
  const prefix = /^(?:CRON_)?TZ=(\S+)\s+/.exec(spec);
  if (prefix) {
    tz = prefix[1]!;
    if (!isValidTimeZone(tz)) throw new Error(`provided bad location ${tz}: unknown time zone ${tz}`);
    spec = spec.slice(prefix[0].length);
  }
  if (spec.startsWith('@every ')) {
    const ms = goDurationMs(spec.slice('@every '.length).trim());
    if (ms === undefined) throw new Error(`failed to parse duration ${spec}`);
    // At least a second, whole seconds only: the next run is that long after the given time.
    const step = Math.max(1000, Math.floor(ms / 1000) * 1000);
    return { next: (after) => Math.floor(after / 1000) * 1000 + step };
  }
  if (spec.startsWith('@')) {
    const expr = descriptors[spec];
    if (!expr) throw new Error(`unrecognized descriptor: ${spec}`);
    spec = expr;
  }
  const fields = spec.split(/\s+/).filter((f) => f);
  if (fields.length !== 5) throw new Error(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const text = fields.join(' ');
  // Parse once to fail early on a bad expression.
  CronExpressionParser.parse(text, { tz, currentDate: new Date(0) });
  return {
    next(after) {
      try {
        return CronExpressionParser.parse(text, { tz, currentDate: new Date(after) }).next().getTime();
      } catch {
        return undefined; // no activation left
      }
    },
  };
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
