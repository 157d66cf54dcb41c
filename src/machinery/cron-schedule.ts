// CronJob schedules: the standard five-field cron syntax and the @descriptors, parsed with the error texts
// Kubernetes reports (it uses the robfig/cron "standard" parser), and the next run time in a time zone (computed
// by cron-parser from the parsed fields). Shared by CronJob validation and the CronJob controller.
import { createRequire } from 'node:module';

// cron-parser (and the date library under it) load on the first next-time asked, never on the API server's start:
// validation only parses.
let cronParser: typeof import('cron-parser').CronExpressionParser | undefined;
const loadCronParser = () => (cronParser ??= (createRequire(import.meta.url)('cron-parser') as typeof import('cron-parser')).CronExpressionParser);

/** A parse failure; `message` is the text Kubernetes puts after the schedule in the field error. */
export class ScheduleError extends Error {
  override readonly name = 'ScheduleError';
}

/** A parsed schedule. */
export interface CronSchedule {
  /** The first activation strictly after `afterMs` (ms since the epoch), or undefined when there is none within five years. */
  next(afterMs: number): number | undefined;
}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const months: Bounds = {
  min: 1,
  max: 12,
  names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
};
const dows: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };
const fieldBounds: Bounds[] = [{ min: 0, max: 59 }, { min: 0, max: 23 }, { min: 1, max: 31 }, months, dows];

/** The set of allowed values of one field, and whether it was written as `*`/`?` (which changes day matching). */
interface FieldSet {
  values: Set<number>;
  star: boolean;
}

/** The five fields of a schedule (seconds are always 0 in the standard syntax). */
interface Spec {
  minute: FieldSet;
  hour: FieldSet;
  dom: FieldSet;
  month: FieldSet;
  dow: FieldSet;
}

function goAtoi(s: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw new ScheduleError(`failed to parse int from ${s}: strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = parseInt(s, 10);
  if (n < 0) throw new ScheduleError(`negative number (${n}) not allowed: ${s}`);
  return n;
}

function intOrName(s: string, b: Bounds): number {
  const named = b.names?.[s.toLowerCase()];
  return named !== undefined ? named : goAtoi(s);
}

function parseRange(expr: string, b: Bounds, into: FieldSet): void {
  const rangeAndStep = expr.split('/');
  const lowHigh = rangeAndStep[0]!.split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowHigh[0] === '*' || lowHigh[0] === '?') {
    start = b.min;
    end = b.max;
    star = true;
  } else {
    start = intOrName(lowHigh[0]!, b);
    if (lowHigh.length === 1) end = start;
    else if (lowHigh.length === 2) end = intOrName(lowHigh[1]!, b);
    else throw new ScheduleError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = goAtoi(rangeAndStep[1]!);
    // "N/step" means "N-max/step".
    if (lowHigh.length === 1) end = b.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) throw new ScheduleError(`too many slashes: ${expr}`);
  if (start < b.min) throw new ScheduleError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new ScheduleError(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new ScheduleError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new ScheduleError(`step of range should be a positive number: ${expr}`);
  for (let v = start; v <= end; v += step) into.values.add(v);
  if (star) into.star = true;
}

function parseField(field: string, b: Bounds): FieldSet {
  const set: FieldSet = { values: new Set(), star: false };
  for (const expr of field.split(',')) parseRange(expr, b, set);
  return set;
}

function all(b: Bounds, star = true): FieldSet {
  const values = new Set<number>();
  for (let v = b.min; v <= b.max; v++) values.add(v);
  return { values, star };
}
function one(v: number): FieldSet {
  return { values: new Set([v]), star: false };
}

const descriptors: Record<string, () => Spec> = {
  '@yearly': () => ({ minute: one(0), hour: one(0), dom: one(1), month: one(1), dow: all(dows) }),
  '@monthly': () => ({ minute: one(0), hour: one(0), dom: one(1), month: all(months), dow: all(dows) }),
  '@weekly': () => ({ minute: one(0), hour: one(0), dom: all(fieldBounds[2]!), month: all(months), dow: one(0) }),
  '@daily': () => ({ minute: one(0), hour: one(0), dom: all(fieldBounds[2]!), month: all(months), dow: all(dows) }),
  '@hourly': () => ({ minute: one(0), hour: all(fieldBounds[1]!), dom: all(fieldBounds[2]!), month: all(months), dow: all(dows) }),
};
descriptors['@annually'] = descriptors['@yearly']!;
descriptors['@midnight'] = descriptors['@daily']!;

/** Parses a Go duration such as `1h30m` or `90s` into ms; undefined when it is not one. */
export function parseGoDuration(s: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  if (s === '0') return 0;
  const m = /^([+-]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(s);
  if (!m) return undefined;
  let total = 0;
  for (const part of s.replace(/^[+-]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += parseFloat(part[1]!) * units[part[2]!]!;
  return m[1] === '-' ? -total : total;
}

/** True when `tz` names a time zone the runtime knows (IANA names, `UTC`). */
export function isKnownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Parses a schedule as Kubernetes' parser does (five fields or a descriptor, optional `TZ=`/`CRON_TZ=` prefix). Throws ScheduleError. */
export function parseSchedule(spec: string, opts: { timeZone?: string } = {}): CronSchedule {
  if (spec.length === 0) throw new ScheduleError('empty spec string');
  let timeZone = opts.timeZone ?? 'UTC';
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const i = spec.indexOf(' ');
    const eq = spec.indexOf('=');
    const name = spec.slice(eq + 1, i < 0 ? undefined : i).trim();
    if (!isKnownTimeZone(name)) throw new ScheduleError(`provided bad location ${name}: unknown time zone ${name}`);
    timeZone = name;
    spec = i < 0 ? '' : spec.slice(i).trim();
  }
  if (spec.startsWith('@')) {
    if (spec.startsWith('@every ')) {
      const text = spec.slice('@every '.length);
      const d = parseGoDuration(text);
      if (d === undefined) throw new ScheduleError(`failed to parse duration ${spec}: time: invalid duration ${JSON.stringify(text)}`);
      return everySchedule(d);
    }
    const make = descriptors[spec];
    if (!make) throw new ScheduleError(`unrecognized descriptor: ${spec}`);
    return specSchedule(make(), timeZone);
  }
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) throw new ScheduleError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const [minute, hour, dom, month, dow] = fields.map((f, i) => parseField(f, fieldBounds[i]!)) as [FieldSet, FieldSet, FieldSet, FieldSet, FieldSet];
  return specSchedule({ minute, hour, dom, month, dow }, timeZone);
}

/** The parse error text of a schedule, or undefined when it parses. */
export function scheduleError(spec: string): string | undefined {
  try {
    parseSchedule(spec);
    return undefined;
  } catch (e) {
    if (e instanceof ScheduleError) return e.message;
    throw e;
  }
}

function everySchedule(ms: number): CronSchedule {
  // Like the parser Kubernetes uses: at least one second, whole seconds only.
  const step = Math.max(1000, Math.floor(ms / 1000) * 1000);
  return { next: (after) => Math.floor(after / 1000) * 1000 + step };
}

// The parsed fields as an expression cron-parser reads the same way: `*` where the field was a star (robfig's
// day rule: when either day field is a star, both must match; else either may), else the explicit values.
function expression(s: Spec): string {
  const f = (set: FieldSet) => (set.star ? '*' : [...set.values].sort((a, b) => a - b).join(','));
  return [f(s.minute), f(s.hour), f(s.dom), f(s.month), f(s.dow)].join(' ');
}

function specSchedule(s: Spec, timeZone: string): CronSchedule {
  const text = expression(s);
  const horizonMs = 5 * 366 * 24 * 3600 * 1000;
  return {
    next(afterMs) {
      try {
        const t = loadCronParser().parse(text, { tz: timeZone, currentDate: new Date(afterMs), endDate: new Date(afterMs + horizonMs) }).next().getTime();
        return t > afterMs ? t : undefined;
      } catch {
        return undefined; // no activation within five years
      }
    },
  };
}
