import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareKeys } from './keys.js';
import { SortedKeys } from './sorted-keys.js';

// A deterministic pseudo-random sequence, so that a failure can be replayed.
function lcg(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

function scanAll(s: SortedKeys, from = '', exclusive = false): string[] {
  const out: string[] = [];
  s.scan(from, exclusive, (k) => {
    out.push(k);
    return true;
  });
  return out;
}

describe('SortedKeys', () => {
  test('keeps keys ordered and unique through many random inserts and deletes', () => {
    const rnd = lcg(42);
    const s = new SortedKeys();
    const ref = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const k = `/k/${Math.floor(rnd() * 5000)}`;
      if (rnd() < 0.65) assert.equal(s.insert(k), !ref.has(k)), ref.add(k);
      else assert.equal(s.delete(k), ref.delete(k));
    }
    const expected = [...ref].sort(compareKeys);
    assert.equal(s.size, expected.length);
    assert.deepEqual(scanAll(s), expected);
    for (const probe of ['/k/2', '/k/2500', '/k/999', '/z', '']) {
      assert.equal(s.rank(probe), expected.filter((k) => compareKeys(k, probe) < 0).length);
      assert.equal(s.rank(probe, true), expected.filter((k) => compareKeys(k, probe) <= 0).length);
      assert.deepEqual(scanAll(s, probe, true), expected.filter((k) => compareKeys(k, probe) > 0));
    }
  });

  test('orders keys with characters beyond U+D800 by their UTF-8 bytes, mixed with plain ones', () => {
    const rnd = lcg(7);
    const alphabet = ['a', 'z', '\u00e9', '\uE000', '\uFF21', '\u{10000}', '\u{1F600}'];
    const s = new SortedKeys();
    const ref = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      let k = '/';
      for (let j = 0; j < 3; j++) k += alphabet[Math.floor(rnd() * (i < 1500 ? 2 : alphabet.length))];
      s.insert(k);
      ref.add(k);
    }
    const expected = [...ref].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    assert.deepEqual(scanAll(s), expected);
    assert.equal(s.rank('/\uFF21'), expected.filter((k) => Buffer.compare(Buffer.from(k), Buffer.from('/\uFF21')) < 0).length);
  });

  test('scan stops when the visitor returns false', () => {
    const s = new SortedKeys();
    for (let i = 0; i < 2000; i++) s.insert(`/k/${String(i).padStart(4, '0')}`);
    const seen: string[] = [];
    s.scan('/k/0510', false, (k) => (seen.push(k), seen.length < 3));
    assert.deepEqual(seen, ['/k/0510', '/k/0511', '/k/0512']);
  });

  test('deleting everything leaves an empty set that accepts keys again', () => {
    const s = new SortedKeys();
    for (let i = 0; i < 3000; i++) s.insert(`/k/${i}`);
    for (let i = 0; i < 3000; i++) s.delete(`/k/${i}`);
    assert.equal(s.size, 0);
    assert.deepEqual(scanAll(s), []);
    s.insert('/x');
    assert.deepEqual(scanAll(s), ['/x']);
  });
});
