// Rules compiled against one schema node share its declarations (kept per node and variant) yet each keeps its own
// variables: oldSelf only where declared, optional where asked, and extra variables never cached.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CelCompileError, compileRule, evaluate, type CelSchema } from './index.js';

const node: CelSchema = { type: 'object', properties: { size: { type: 'integer' }, name: { type: 'string', maxLength: 10 } } };

function compiled(expr: string, opts: Parameters<typeof compileRule>[1] = {}) {
  const r = compileRule(expr, { selfType: node, resultType: 'bool', ...opts });
  assert.ok(!(r instanceof CelCompileError), r instanceof CelCompileError ? r.message : '');
  return r;
}

test('several rules on one schema node compile and evaluate independently', () => {
  const a = compiled('self.size > 1');
  const b = compiled("self.name.startsWith('a')");
  assert.equal(evaluate(a, { self: { size: 2, name: 'b' } }), true);
  assert.equal(evaluate(b, { self: { size: 2, name: 'b' } }), false);
});

test('oldSelf is declared only for the rules that ask for it', () => {
  const plain = compileRule('oldSelf.size == self.size', { selfType: node, resultType: 'bool' });
  assert.ok(plain instanceof CelCompileError);
  assert.match(plain.message, /undeclared reference to 'oldSelf'/);
  const transition = compiled('oldSelf.size <= self.size', { oldSelf: true });
  assert.equal(evaluate(transition, { self: { size: 3 }, oldSelf: { size: 2 } }), true);
  const optional = compiled('oldSelf.hasValue() ? oldSelf.value().size <= self.size : true', { optionalOldSelf: true });
  assert.equal(evaluate(optional, { self: { size: 1 } }), true);
  assert.equal(evaluate(optional, { self: { size: 1 }, oldSelf: { size: 2 } }), false);
});

test('extra variables are declared per rule', () => {
  const withLimit = compiled('self.size < limit', { variables: { limit: { type: 'int' } } });
  assert.equal(evaluate(withLimit, { self: { size: 1 }, limit: 5 }), true);
  const without = compileRule('self.size < limit', { selfType: node, resultType: 'bool' });
  assert.ok(without instanceof CelCompileError);
});

test('objects compare on every field although a rule names only some of them', () => {
  const list: CelSchema = {
    type: 'object',
    properties: { items: { type: 'array', maxItems: 4, items: { type: 'object', properties: { a: { type: 'string', maxLength: 5 }, b: { type: 'string', maxLength: 5 } } } } },
  };
  const self = { items: [{ a: 'x', b: 'y' }, { a: 'x', b: 'z' }] };
  for (const [expr, want] of [
    ['self.items[0] == self.items[1]', false],
    ['self.items[0] in [self.items[1]]', false],
    ['self.items[0] in [self.items[0]]', true],
    ['self.items[0].a == self.items[1].a', true],
  ] as const) {
    const r = compileRule(expr, { selfType: list, resultType: 'bool' });
    assert.ok(!(r instanceof CelCompileError), expr);
    assert.equal(evaluate(r, { self }), want, expr);
  }
});

test('a field the schema does not declare is still a compile error when other rules on the node name it', () => {
  const ok = compiled('self.size >= 0');
  assert.equal(evaluate(ok, { self: { size: 1 } }), true);
  const bad = compileRule('self.sizes >= 0', { selfType: node, resultType: 'bool' });
  assert.ok(bad instanceof CelCompileError);
  assert.match(bad.message, /undefined field 'sizes'/);
});
