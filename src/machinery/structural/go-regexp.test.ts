import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGoRegexp, translateGoRegexp } from './go-regexp.js';

const cases: { pattern: string; fast: boolean; yes: string[]; no: string[] }[] = [
  { pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', fast: true, yes: ['a', 'a-b', 'abc123'], no: ['-a', 'a-', 'A', ''] },
  { pattern: '^[a-z]+$', fast: true, yes: ['abc'], no: ['ab1', 'abc\n'] },
  { pattern: '[0-9]', fast: true, yes: ['a1'], no: ['abc'] },
  { pattern: '^.+$', fast: true, yes: ['a\rb'], no: ['a\nb'] },
  { pattern: '^\\s+$', fast: true, yes: [' \t\r\n\f'], no: ['\u00a0', '\v'] },
  { pattern: '(?i)^abc$', fast: true, yes: ['ABC', 'abc'], no: ['abd'] },
  { pattern: '^(?P<x>a|b)c$', fast: true, yes: ['ac', 'bc'], no: ['cc'] },
  { pattern: '^\\x{41}\\-\\:$', fast: true, yes: ['A-:'], no: ['a-:'] },
  { pattern: '^[\\w.-]{1,63}$', fast: true, yes: ['a.b-c_d'], no: ['a b', ''] },
  { pattern: 'a{,2}', fast: true, yes: ['a{,2}'], no: ['aa'] },
  { pattern: '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$', fast: false, yes: ['*.example.com', 'a.b'], no: ['*.', 'a..b'] },
  { pattern: '^(a+)+$', fast: false, yes: ['aaa'], no: ['aaab'] },
  { pattern: '^\\d*\\d*x$', fast: false, yes: ['12x'], no: ['12'] },
  { pattern: '^[[:alpha:]]+$', fast: false, yes: ['abc'], no: ['a1'] },
  { pattern: '\\pL', fast: false, yes: ['ä'], no: ['1'] },
];

for (const c of cases) {
  test(`Go pattern ${c.pattern} matches as RE2 does (${c.fast ? 'as a JavaScript RegExp' : 'on RE2'})`, () => {
    assert.equal(translateGoRegexp(c.pattern) !== undefined, c.fast);
    const re = compileGoRegexp(c.pattern);
    assert.equal(re.error, undefined);
    for (const s of c.yes) assert.equal(re.test(s), true, `${JSON.stringify(s)} should match`);
    for (const s of c.no) assert.equal(re.test(s), false, `${JSON.stringify(s)} should not match`);
  });
}

test('catastrophic patterns stay linear because they run on RE2', () => {
  const re = compileGoRegexp('^(a|aa)+$');
  assert.equal(re.test('a'.repeat(5000) + 'b'), false);
});

test('an invalid pattern reports Go\'s parse error', () => {
  assert.equal(compileGoRegexp('a)').error, 'error parsing regexp: unexpected ): `a)`');
  assert.equal(compileGoRegexp('(?<n>a').error, 'error parsing regexp: missing closing ): `(?<n>a`');
});
