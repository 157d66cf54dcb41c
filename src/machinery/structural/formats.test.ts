import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatChecker, supportedFormat } from './formats.js';
import { parseCIDR, parseIP, parseMAC, isRequestURI } from './net-formats.js';

const cases: { format: string; good: string[]; bad: string[] }[] = [
  { format: 'date', good: ['2024-02-29', '2023-12-31'], bad: ['2023-02-29', '2024-13-01', '24-01-01', '2024-1-01', ''] },
  { format: 'date-time', good: ['2024-01-02T03:04:05Z', '2024-01-02t03:04:05.123+02:00', '2024-01-02T23:59:59-07:00'], bad: ['2024-01-02', '2024-01-02T24:00:00Z', '2024-01-02T03:04:05', 'yesterday'] },
  { format: 'datetime', good: ['2024-01-02T03:04:05Z'], bad: ['x'] },
  { format: 'duration', good: ['1h30m', '300ms', '-1.5h', '0', '5 days', '3 weeks', '2µs'], bad: ['', 'abc', '1y', '10'] },
  { format: 'byte', good: ['aGVsbG8=', 'YWJj'], bad: ['', 'abc', 'a b='] },
  { format: 'uuid', good: ['123e4567-e89b-12d3-a456-426614174000', '123E4567E89B12D3A456426614174000'], bad: ['123e4567-e89b-12d3-a456', 'z23e4567-e89b-12d3-a456-426614174000'] },
  { format: 'uuid4', good: ['123e4567-e89b-42d3-a456-426614174000'], bad: ['123e4567-e89b-12d3-a456-426614174000'] },
  { format: 'ipv4', good: ['10.0.0.1', '010.000.000.001', '::ffff:1.2.3.4'], bad: ['10.0.0', '256.0.0.1', '::1'] },
  { format: 'ipv6', good: ['::1', 'fe80::1', '2001:db8::1:2', '::ffff:1.2.3.4'], bad: ['1.2.3.4', ':::', '1::2::3', '12345::1'] },
  { format: 'cidr', good: ['10.0.0.0/8', '2001:db8::/32', '010.0.0.0/08'], bad: ['10.0.0.0', '10.0.0.0/33', '::/129'] },
  { format: 'mac', good: ['00:00:5e:00:53:01', '00-00-5E-00-53-01', '0000.5e00.5301', '02:00:5e:10:00:00:00:01'], bad: ['00:00:5e:00:53', '00:00:5e:00:53:0g', '0000.5e00'] },
  { format: 'hostname', good: ['example.com', 'a', 'm-yhost', 'my-host.example.com', 'bücher.de'], bad: ['my-host', '-a', 'a_b.com', 'a..b', `${'a'.repeat(64)}.com`] },
  { format: 'email', good: ['a@b.com', 'John Doe <john@example.com>', '"quoted"@example.com'], bad: ['plainaddress', '@example.com', 'a@'] },
  { format: 'uri', good: ['http://example.com/a?b=c', '/absolute/path', 'mailto:x@y.z', 'urn:isbn:0451450523'], bad: ['relative/path', '', 'http://exa mple.com', '%zz'] },
  { format: 'isbn10', good: ['0-306-40615-2', '080442957X'], bad: ['0-306-40615-3'] },
  { format: 'isbn13', good: ['978-0-306-40615-7'], bad: ['978-0-306-40615-8'] },
  { format: 'creditcard', good: ['4111 1111 1111 1111'], bad: ['4111 1111 1111 1112'] },
  { format: 'ssn', good: ['123-45-6789'], bad: ['123456789', '123-45-678'] },
  { format: 'hexcolor', good: ['#fff', 'A0B1C2'], bad: ['#ffff', 'ggg'] },
  { format: 'rgbcolor', good: ['rgb(0, 128, 255)'], bad: ['rgb(256,0,0)', 'rgb(1,2)'] },
  { format: 'bsonobjectid', good: ['507f1f77bcf86cd799439011'], bad: ['507f1f77bcf86cd79943901'] },
  { format: 'password', good: ['anything at all'], bad: [] },
];

for (const c of cases) {
  test(`format ${c.format} accepts and refuses what Kubernetes does`, () => {
    const check = formatChecker(c.format);
    assert.ok(check, `${c.format} is known`);
    for (const s of c.good) assert.equal(check(s), true, `${c.format} should accept ${JSON.stringify(s)}`);
    for (const s of c.bad) assert.equal(check(s), false, `${c.format} should refuse ${JSON.stringify(s)}`);
  });
}

const supported: [string, string, string][] = [
  ['string', 'date-time', 'date-time'],
  ['string', 'int-or-string', ''],
  ['string', 'k8s-short-name', ''],
  ['', 'uuid', 'uuid'],
  ['integer', 'int32', 'int32'],
  ['integer', 'date', ''],
  ['number', 'double', 'double'],
  ['number', 'int64', ''],
  ['boolean', 'date', ''],
];

for (const [type, format, want] of supported) {
  test(`format ${format} on type ${type || '(none)'} is ${want ? 'kept' : 'dropped'}`, () => {
    assert.equal(supportedFormat(type, format), want);
  });
}

test('network parsers follow Go', () => {
  assert.equal(parseIP('1.2.3.04'), false);
  assert.equal(parseIP('1.2.3.04', true), true);
  assert.equal(parseIP('fe80::1%eth0'), false);
  assert.equal(parseCIDR('1.2.3.4/24'), true);
  assert.equal(parseMAC('00:00:00:00:fe:80:00:00:00:00:00:00:02:00:5e:10:00:00:00:01'), true);
  assert.equal(isRequestURI('http://[::1]:8080/x'), true);
  assert.equal(isRequestURI('http://host:port/x'), false);
});
