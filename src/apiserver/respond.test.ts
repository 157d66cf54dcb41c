import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PushStream } from './respond.js';

async function readAll(s: AsyncIterable<Uint8Array | string>): Promise<string[]> {
  const out: string[] = [];
  for await (const c of s) out.push(typeof c === 'string' ? c : Buffer.from(c).toString());
  return out;
}

test('a pushed stream is read by iterating: chunks pushed before and after, in order, until it ends', async () => {
  const s = new PushStream(() => assert.fail('not closed early'));
  s.push('a');
  const reading = readAll(s);
  s.push(new TextEncoder().encode('b'));
  setImmediate(() => {
    s.push('c');
    s.end();
    s.push('after the end');
  });
  assert.deepEqual(await reading, ['a', 'b', 'c']);
});

const nextTurn = () => new Promise((r) => setImmediate(r));

test('an attached sink gets the chunks pushed so far at once, then later ones on the next turn, then the end', async () => {
  const s = new PushStream(() => assert.fail('not closed early'));
  s.push('a');
  s.push(''); // empty chunks are dropped: they would end a chunked body
  const got: string[] = [];
  s.attach({ write: (c) => got.push(String(c)), end: () => got.push('end') });
  assert.deepEqual(got, ['a']);
  s.push('b');
  s.end();
  assert.deepEqual(got, ['a'], 'a push does not write to the sink itself');
  await nextTurn();
  assert.deepEqual(got, ['a', 'b', 'end']);
});

test('a reader that stops early closes the stream once and later chunks are dropped', async () => {
  let closes = 0;
  const s = new PushStream(() => closes++);
  const got: string[] = [];
  const detach = s.attach({ write: (c) => got.push(String(c)), end: () => got.push('end') });
  s.push('a');
  await nextTurn();
  detach();
  detach();
  s.push('b');
  await nextTurn();
  assert.deepEqual(got, ['a']);
  assert.equal(closes, 1);

  const t = new PushStream(() => closes++);
  const it = t[Symbol.asyncIterator]();
  await it.return!();
  assert.equal(closes, 2);
  assert.deepEqual(await it.next(), { done: true, value: undefined });
});

test('a pushed stream is read only once', () => {
  const s = new PushStream(() => {});
  s.attach({ write() {}, end() {} });
  assert.throws(() => s[Symbol.asyncIterator](), /only once/);
});
