import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base64Error, parseQuantityError, timeParseError } from './index.js';
import { rfc3339Micro } from './scalars.js';

const wrong = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const quantities: [string, string | undefined][] = [
  ['1', undefined],
  ['0', undefined],
  ['500m', undefined],
  ['1.5Gi', undefined],
  ['1e3', undefined],
  ['-2', undefined],
  ['+', undefined],
  ['', wrong],
  ['abc', wrong],
  ['5x', wrong],
  ['1 Gi', wrong],
  ['1Ki2', "unable to parse quantity's suffix"],
  ['1mm', "unable to parse quantity's suffix"],
  ['.', 'unable to parse numeric part of quantity'],
  ['Gi', 'unable to parse numeric part of quantity'],
];
for (const [q, want] of quantities) {
  test(`quantity ${JSON.stringify(q)} ${want ? 'fails' : 'parses'}`, () => assert.equal(parseQuantityError(q), want));
}

const times: [string, string | undefined][] = [
  ['2024-05-01T10:00:00Z', undefined],
  ['2024-05-01T10:00:00.123+02:00', undefined],
  ['2024-02-29T00:00:00Z', undefined],
  ['abc', 'parsing time "abc" as "2006-01-02T15:04:05Z07:00": cannot parse "abc" as "2006"'],
  ['2024-05-01', 'parsing time "2024-05-01" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"'],
  ['2024-05-01T10:00:00', 'parsing time "2024-05-01T10:00:00" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00"'],
  ['2024-05-01T25:00:00Z', 'parsing time "2024-05-01T25:00:00Z": hour out of range'],
  ['2023-02-29T00:00:00Z', 'parsing time "2023-02-29T00:00:00Z": day out of range'],
  ['2024-05-01T10:00:00Zjunk', 'parsing time "2024-05-01T10:00:00Zjunk": extra text: "junk"'],
];
for (const [t, want] of times) {
  test(`time ${JSON.stringify(t)} ${want ? 'fails' : 'parses'}`, () => assert.equal(timeParseError(t), want));
}

test('micro time needs six fraction digits', () => {
  assert.equal(timeParseError('2024-05-01T10:00:00.000000Z', rfc3339Micro), undefined);
  assert.equal(
    timeParseError('2024-05-01T10:00:00Z', rfc3339Micro),
    'parsing time "2024-05-01T10:00:00Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse "Z" as ".000000"',
  );
});

const b64: [string, string | undefined][] = [
  ['aGVsbG8=', undefined],
  ['aGk=', undefined],
  ['', undefined],
  ['abc!', 'illegal base64 data at input byte 3'],
  ['abc', 'illegal base64 data at input byte 0'],
  ['aGVsbG8', 'illegal base64 data at input byte 4'],
  ['aG=x', 'illegal base64 data at input byte 2'],
  ['aG=', 'illegal base64 data at input byte 3'],
  ['a=', 'illegal base64 data at input byte 1'],
  ['a', 'illegal base64 data at input byte 0'],
  ['aGk=x', 'illegal base64 data at input byte 4'],
];
for (const [s, want] of b64) {
  test(`base64 ${JSON.stringify(s)} ${want ? 'fails' : 'decodes'}`, () => assert.equal(base64Error(s), want));
}
