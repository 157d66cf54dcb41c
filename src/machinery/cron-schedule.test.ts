import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoDuration, parseSchedule, scheduleError } from './cron-schedule.js';

const valid = ['*/5 * * * *', '0 0 * * *', '@hourly', '@daily', '@midnight', '@weekly', '@monthly', '@yearly', '@annually', '@every 1h30m', '0 9-17 * * mon-fri', '15,45 * 1 jan,JUL ?', '0 0 L * *'.replace('L', '1')];
for (const s of valid) test(`schedule "${s}" parses`, () => assert.equal(scheduleError(s), undefined));

const invalid: [string, string][] = [
  ['', 'empty spec string'],
  ['* * * *', 'expected exactly 5 fields, found 4: [* * * *]'],
  ['* * * * * *', 'expected exactly 5 fields, found 6: [* * * * * *]'],
  ['60 * * * *', 'end of range (60) above maximum (59): 60'],
  ['* * 0 * *', 'beginning of range (0) below minimum (1): 0'],
  ['5-2 * * * *', 'beginning of range (5) beyond end of range (2): 5-2'],
  ['*/0 * * * *', 'step of range should be a positive number: */0'],
  ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
  ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
  ['1/2/3 * * * *', 'too many slashes: 1/2/3'],
  ['* * * * 7', 'end of range (7) above maximum (6): 7'],
  ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
  ['@every soon', 'failed to parse duration @every soon: time: invalid duration "soon"'],
  ['TZ=Mars/Base * * * * *', 'provided bad location Mars/Base: unknown time zone Mars/Base'],
];
for (const [s, msg] of invalid) test(`schedule "${s}" is rejected with "${msg}"`, () => assert.equal(scheduleError(s), msg));

const at = (iso: string) => Date.parse(iso);
const nextCases: [string, string, string, string?][] = [
  ['*/15 * * * *', '2026-01-01T10:07:30Z', '2026-01-01T10:15:00Z'],
  ['*/15 * * * *', '2026-01-01T10:15:00Z', '2026-01-01T10:30:00Z'],
  ['0 0 * * *', '2026-01-01T10:00:00Z', '2026-01-02T00:00:00Z'],
  ['@hourly', '2026-01-01T23:30:00Z', '2026-01-02T00:00:00Z'],
  ['@monthly', '2026-01-15T00:00:00Z', '2026-02-01T00:00:00Z'],
  ['@yearly', '2026-03-01T00:00:00Z', '2027-01-01T00:00:00Z'],
  // Day of month and day of week are ORed when both are restricted: the 13th or any Friday.
  ['0 0 13 * fri', '2026-02-01T00:00:00Z', '2026-02-06T00:00:00Z'],
  // ... and ANDed when one of them is a star.
  ['0 0 * * mon', '2026-01-01T00:00:00Z', '2026-01-05T00:00:00Z'],
  ['0 0 29 2 *', '2026-01-01T00:00:00Z', '2028-02-29T00:00:00Z'],
  ['30 9 * * *', '2026-07-01T00:00:00Z', '2026-07-01T07:30:00Z', 'Europe/Berlin'],
  ['30 9 * * *', '2026-01-01T00:00:00Z', '2026-01-01T08:30:00Z', 'Europe/Berlin'],
];
for (const [spec, after, want, tz] of nextCases) {
  test(`"${spec}"${tz ? ` in ${tz}` : ''} after ${after} runs at ${want}`, () => {
    const s = parseSchedule(spec, tz ? { timeZone: tz } : {});
    assert.equal(new Date(s.next(at(after))!).toISOString().replace('.000Z', 'Z'), want);
  });
}

test('a schedule that can never fire has no next time', () => assert.equal(parseSchedule('0 0 31 2 *').next(at('2026-01-01T00:00:00Z')), undefined));
test('@every runs a fixed interval after the given time', () => assert.equal(parseSchedule('@every 90s').next(at('2026-01-01T00:00:00Z')), at('2026-01-01T00:01:30Z')));
test('Go durations parse to milliseconds', () => {
  assert.equal(parseGoDuration('1h30m'), 5_400_000);
  assert.equal(parseGoDuration('1.5s'), 1500);
  assert.equal(parseGoDuration('abc'), undefined);
});
