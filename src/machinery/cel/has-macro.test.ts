// has() on any operand (an indexed list element, a function result), cel-go's undefined-field and invalid-argument
// errors, and the cost of loops over a map's keys (size 0, as Kubernetes estimates them).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CelCompileError, compileRule, evaluate, type CelSchema } from './index.js';

const schema: CelSchema = {
  type: 'object',
  properties: {
    rules: {
      type: 'array',
      maxItems: 4,
      items: { type: 'object', properties: { hits: { type: 'array', maxItems: 3, items: { type: 'string', maxLength: 8 } }, weight: { type: 'integer' } } },
    },
    box: { type: 'object', properties: { inner: { type: 'object', properties: { leaf: { type: 'string' } } } } },
    tags: { type: 'object', maxProperties: 16, additionalProperties: { type: 'string', maxLength: 64 } },
  },
};
const self = { rules: [{ hits: ['a'] }, { weight: 2 }], box: { inner: {} }, tags: { 'team/owner': 'x' } };

function run(expr: string): unknown {
  const r = compileRule(expr, { selfType: schema, resultType: 'bool' });
  return r instanceof CelCompileError ? r : evaluate(r, { self });
}

const cases: [string, string, boolean][] = [
  ['has() on a field of a list element reached by index', 'has(self.rules[0].hits)', true],
  ['has() on a list element without the field is false', 'has(self.rules[1].hits)', false],
  ['has() inside a ternary guarding an index', '(self.rules.size() > 1 ? (has(self.rules[1].hits) ? self.rules[1].hits.size() : 0) : 0) == 0', true],
  ['has() on a nested chain from a variable', 'has(self.box.inner.leaf)', false],
  ['has() on a map key', 'has(self.tags.missing)', false],
  ['has() on a comprehension variable', 'self.rules.exists(r, has(r.weight))', true],
];
for (const [name, expr, want] of cases) {
  test(name, () => assert.equal(run(expr), want));
}

test('has() of a field the schema does not declare is a compile error, as in cel-go', () => {
  const r = run('has(self.rules[0].nope)');
  assert.ok(r instanceof CelCompileError);
  assert.equal(r.message, "compilation failed: ERROR: <input>:1:18: undefined field 'nope'\n | has(self.rules[0].nope)\n | .................^");
});

test('has() of something that is not a field selection is refused with cel-go wording', () => {
  const r = run('has(self)');
  assert.ok(r instanceof CelCompileError);
  assert.equal(r.message, 'compilation failed: ERROR: <input>:1:5: invalid argument to has() macro\n | has(self)\n | ....^');
});

test('a missing intermediate field inside has() is an evaluation error', () => {
  const r = compileRule('has(self.box.other.leaf)', { selfType: { type: 'object', properties: { box: { type: 'object', properties: { other: { type: 'object', properties: { leaf: { type: 'string' } } } } } } }, resultType: 'bool' });
  assert.ok(!(r instanceof CelCompileError));
  const v = evaluate(r, { self: { box: {} } });
  assert.ok(v instanceof Error);
  assert.match(v.message, /no such key: other/);
});

test('matching a regex on every key of a bounded map is within budget (keys cost as size 0)', () => {
  const re = 'self.tags.all(k, k.matches(r"""^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$"""))';
  const r = compileRule(re, { selfType: schema, resultType: 'bool' });
  assert.ok(!(r instanceof CelCompileError), r instanceof CelCompileError ? r.message : '');
  assert.equal(evaluate(r, { self }), true);
});

test('matching a regex on every value of an unbounded-length map still counts the values', () => {
  const s: CelSchema = { type: 'object', properties: { m: { type: 'object', additionalProperties: { type: 'string' } } } };
  const r = compileRule('self.m.all(k, self.m[k].matches("^a+$"))', { selfType: s, resultType: 'bool' });
  assert.ok(r instanceof CelCompileError);
  assert.equal(r.kind, 'cost');
});
