import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bearerToken } from './bearer-token.js';

const cases: { header: string | undefined; want: string | undefined }[] = [
  { header: 'Bearer abc', want: 'abc' },
  { header: 'bearer abc', want: 'abc' },
  { header: 'BEARER abc', want: 'abc' },
  { header: '  Bearer abc  ', want: 'abc' },
  { header: 'Bearer abc def', want: 'abc' },
  { header: 'Bearer  abc', want: undefined },
  { header: 'Bearer ', want: undefined },
  { header: 'Bearer', want: undefined },
  { header: 'Basic dXNlcjpwYXNz', want: undefined },
  { header: 'Bearerabc', want: undefined },
  { header: '', want: undefined },
  { header: undefined, want: undefined },
];
for (const c of cases) {
  test(`the Authorization header ${JSON.stringify(c.header)} carries ${c.want === undefined ? 'no token' : `the token ${c.want}`}`, () => {
    assert.equal(bearerToken(c.header), c.want);
  });
}
