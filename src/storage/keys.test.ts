import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareKeys, prefixEnd } from './keys.js';

const utf8 = (s: string) => Buffer.from(s, 'utf8');

describe('compareKeys', () => {
  const cases: [string, string][] = [
    ['/a', '/b'],
    ['/a', '/a/'],
    ['/a/b', '/a/bc'],
    ['/A', '/a'],
    ['/z', '/\u00e9'],
    ['/\uFF21', '/\u{1F600}'],
    ['/\uE000', '/\u{10000}'],
    ['/\u{1F600}', '/\u{1F601}'],
  ];
  for (const [lo, hi] of cases) {
    test(`orders ${JSON.stringify(lo)} before ${JSON.stringify(hi)} as their UTF-8 bytes do`, () => {
      assert.ok(Buffer.compare(utf8(lo), utf8(hi)) < 0);
      assert.ok(compareKeys(lo, hi) < 0);
      assert.ok(compareKeys(hi, lo) > 0);
      assert.equal(compareKeys(lo, lo), 0);
    });
  }
});

describe('prefixEnd', () => {
  const cases: [string, string | undefined][] = [
    ['/a/', '/a0'],
    ['/a', '/b'],
    ['', undefined],
    ['/\u{10FFFF}', '0'],
    ['\u{10FFFF}', undefined],
    ['/\uD7FF', '/\uE000'],
    ['/\uFFFF', '/\u{10000}'],
  ];
  for (const [prefix, end] of cases) {
    test(`the keys under ${JSON.stringify(prefix)} all sort before ${JSON.stringify(end)}`, () => {
      assert.equal(prefixEnd(prefix), end);
      if (end !== undefined) {
        assert.ok(compareKeys(prefix + '\u{10FFFF}\u{10FFFF}', end) < 0);
        assert.ok(compareKeys(prefix, end) < 0);
      }
    });
  }
});
