// RE2 semantics for CEL regexes: linear time on patterns that make backtracking engines explode, RE2 syntax
// (flags accepted, lookaround refused), and Go's leftmost-first match spans for find/findAll.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RegexSyntaxError, checkRegex, regexFind, regexFindAll, regexMatches } from './re2.js';
import { CelCompileError, compileRule, evaluate } from './index.js';

test('a catastrophic pattern on a long input finishes (no backtracking)', () => {
  const s = `${'a'.repeat(5000)}!`;
  assert.equal(regexMatches(s, '^(a+)+$'), false);
  assert.equal(regexFind(s, '(a|aa)+!').length, 5001);
});

test('matches through CEL uses RE2 for the same catastrophic pattern', () => {
  const rule = compileRule("self.matches('^(a+)+$')", { selfType: { type: 'string', maxLength: 10000 } });
  assert.ok(!(rule instanceof CelCompileError));
  assert.equal(evaluate(rule, { self: `${'a'.repeat(5000)}!` }), false);
});

const syntax: [string, boolean][] = [
  ['(?i)abc', true],
  ['(?s).', true],
  ['\\pL+', true],
  ['a(?=b)', false],
  ['(?<=a)b', false],
  ['(a)\\1', false],
  ['(', false],
];
for (const [pattern, valid] of syntax) {
  test(`RE2 ${valid ? 'accepts' : 'refuses'} ${pattern}`, () => {
    if (valid) checkRegex(pattern);
    else assert.throws(() => checkRegex(pattern), RegexSyntaxError);
  });
}

const finds: [string, string, string][] = [
  ['abc 123 456', '[0-9]+', '123'],
  ['xaaa', 'a|aa', 'a'],
  ['xaaa', 'a+?', 'a'],
  ['foo bar', '\\bbar', 'bar'],
  ['no digits', '[0-9]', ''],
  ['héllo', 'é.', 'él'],
];
for (const [s, p, want] of finds) {
  test(`find(${JSON.stringify(p)}) in ${JSON.stringify(s)} is ${JSON.stringify(want)}`, () => {
    assert.equal(regexFind(s, p), want);
  });
}

test('findAll follows Go: empty matches, limits and astral characters', () => {
  assert.deepEqual(regexFindAll('abc', 'x*'), ['', '', '', '']);
  assert.deepEqual(regexFindAll('a1b22', '[0-9]+'), ['1', '22']);
  assert.deepEqual(regexFindAll('abab', 'b', 1), ['b']);
  assert.deepEqual(regexFindAll('abab', 'b', 0), []);
  assert.deepEqual(regexFindAll('a😀b😀', '😀'), ['😀', '😀']);
});
