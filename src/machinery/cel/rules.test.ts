// CRD-style rules compiled against a schema: typed integers, list-type semantics, transition rules, optional
// oldSelf, property escaping, formats, Kubernetes' compile error wording, and both cost limits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CelCompileError, CelEvalError, celToJson, compileRule, evaluate, type CelSchema, type CompileOptions } from './index.js';

const schema: CelSchema = {
  type: 'object',
  properties: {
    replicas: { type: 'integer' },
    ratio: { type: 'number' },
    name: { type: 'string', maxLength: 63 },
    tags: { type: 'array', maxItems: 10, 'x-kubernetes-list-type': 'set', items: { type: 'string', maxLength: 10 } },
    plain: { type: 'array', maxItems: 10, items: { type: 'string', maxLength: 10 } },
    ports: {
      type: 'array',
      maxItems: 10,
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
      items: { type: 'object', properties: { name: { type: 'string', maxLength: 10 }, port: { type: 'integer' } } },
    },
    labels: { type: 'object', maxProperties: 10, additionalProperties: { type: 'string', maxLength: 63 } },
    when: { type: 'string', format: 'date-time' },
    timeout: { type: 'string', format: 'duration' },
    data: { type: 'string', format: 'byte' },
    port: { 'x-kubernetes-int-or-string': true },
    'my-field': { type: 'integer' },
    namespace: { type: 'string' },
    template: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', properties: { x: { type: 'integer' } } } } },
    unbounded: { type: 'array', items: { type: 'string' } },
  },
};

const self = {
  replicas: 3,
  ratio: 0.5,
  name: 'web',
  tags: ['a', 'b'],
  plain: ['a', 'b'],
  ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }],
  labels: { app: 'x' },
  when: '2024-01-01T00:00:00Z',
  timeout: '1m30s',
  data: 'aGk=',
  port: 8080,
  'my-field': 7,
  namespace: 'ns',
  template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { hidden: 'yes' } }, spec: { x: 1 } },
  unbounded: ['x'],
};
const oldSelf = { ...self, tags: ['b', 'a'], plain: ['b', 'a'], ports: [{ name: 'https', port: 443 }, { name: 'http', port: 80 }], replicas: 2 };

function run(expr: string, opts: CompileOptions = {}, act: Record<string, unknown> = { self, oldSelf }): unknown {
  const rule = compileRule(expr, { selfType: schema, oldSelf: true, ...opts });
  if (rule instanceof CelCompileError) return rule;
  return evaluate(rule, act);
}

const values: [string, string, unknown][] = [
  ['schema integers are ints: arithmetic works', 'self.replicas + 1 == 4 && self.replicas % 2 == 1 && self.replicas / 2 == 1', true],
  ['schema integers index lists', "['a','b','c','d'][self.replicas] == 'd'", true],
  ['numbers stay doubles', 'self.ratio * 2.0 == 1.0', true],
  ['int and double compare across types', 'self.replicas > 2.5 && self.ratio < 1', true],
  ['set lists compare regardless of order', 'self.tags == oldSelf.tags', true],
  ['atomic lists compare in order', 'self.plain == oldSelf.plain', false],
  ['map lists compare by key', 'self.ports == oldSelf.ports', true],
  ['objects compare field by field', 'self.ports[0] == oldSelf.ports[1]', true],
  ['set list + takes the union', "self.tags + ['c', 'a'] == ['a', 'b', 'c']", true],
  ['a transition rule sees oldSelf', 'self.replicas >= oldSelf.replicas', true],
  ['additionalProperties is a map', "self.labels.app == 'x' && 'app' in self.labels && self.labels.size() == 1", true],
  ['date-time is a timestamp', "self.when < timestamp('2025-01-01T00:00:00Z') && self.when.getFullYear() == 2024", true],
  ['duration format is a duration', "self.timeout == duration('90s')", true],
  ['byte format is bytes', "self.data == b'hi'", true],
  ['int-or-string holds an int', 'type(self.port) == int && self.port + 1 == 8081', true],
  ['dashes escape to __dash__', 'self.my__dash__field == 7', true],
  ['keywords escape to __keyword__', "self.__namespace__ == 'ns'", true],
  ['embedded resources expose kind and metadata.name', "self.template.kind == 'Pod' && self.template.metadata.name == 'p' && self.template.spec.x == 1", true],
  ['has() on a set field', 'has(self.name) && !has(self.template.metadata.generateName)', true],
  ['optional field selection', "self.?name.orValue('') == 'web'", true],
];
for (const [name, expr, want] of values) {
  test(`rule: ${name}`, () => {
    const v = run(expr);
    assert.ok(!(v instanceof Error), v instanceof Error ? v.message : '');
    assert.deepEqual(v, want);
  });
}

test('a rule with optionalOldSelf sees none on create and the value on update', () => {
  const opts: CompileOptions = { optionalOldSelf: true };
  const expr = '!oldSelf.hasValue() || self.replicas >= oldSelf.value().replicas';
  assert.equal(run(expr, opts, { self }), true);
  assert.equal(run(expr, opts, { self, oldSelf: { ...self, replicas: 9 } }), false);
});

test('compiled rules report whether they are transition rules', () => {
  const a = compileRule('self.replicas == oldSelf.replicas', { selfType: schema, oldSelf: true });
  const b = compileRule('self.replicas > 0', { selfType: schema, oldSelf: true });
  assert.ok(!(a instanceof CelCompileError) && !(b instanceof CelCompileError));
  assert.equal(a.usesOldSelf, true);
  assert.equal(b.usesOldSelf, false);
});

test('the root of a resource exposes apiVersion, kind and metadata.name but not other metadata', () => {
  const root: CelSchema = { type: 'object', properties: { metadata: { type: 'object' }, spec: { type: 'object', properties: { a: { type: 'integer' } } } } };
  const obj = { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'n', namespace: 'd' }, spec: { a: 1 } };
  const ok = compileRule("self.metadata.name == 'n' && self.kind == 'X' && self.spec.a == 1", { selfType: root, isResourceRoot: true });
  assert.ok(!(ok instanceof CelCompileError));
  assert.equal(evaluate(ok, { self: obj }), true);
  const hidden = compileRule('self.metadata.namespace == "d"', { selfType: root, isResourceRoot: true });
  assert.ok(hidden instanceof CelCompileError);
  assert.match(hidden.message, /undefined field 'namespace'/);
});

const compileErrors: [string, string, string][] = [
  ['an unknown field', 'self.foo == 1', "compilation failed: ERROR: <input>:1:5: undefined field 'foo'\n | self.foo == 1\n | ....^"],
  ['an operator on wrong types', 'self.replicas + "x" == 1', "compilation failed: ERROR: <input>:1:15: found no matching overload for '_+_' applied to '(int, string)'\n | self.replicas + \"x\" == 1\n | ..............^"],
  ['an undeclared variable', 'x > 1', "compilation failed: ERROR: <input>:1:1: undeclared reference to 'x' (in container '')\n | x > 1\n | ^"],
  ['a heterogeneous list literal', "[1, 'a'].size() == 2", "compilation failed: ERROR: <input>:1:5: expected type 'int' but found 'string'\n | [1, 'a'].size() == 2\n | ....^"],
  ['a constant regex RE2 refuses', "self.name.matches('a(?=b)')", 'compilation failed: ERROR: <input>:1:19: error parsing regexp: invalid or unsupported Perl syntax: `(?=`\n | self.name.matches(\'a(?=b)\')\n | ..................^'],
];
for (const [name, expr, message] of compileErrors) {
  test(`compile error wording: ${name}`, () => {
    const r = compileRule(expr, { selfType: schema });
    assert.ok(r instanceof CelCompileError);
    assert.equal(r.message, message);
  });
}

test('a syntax error is a compile error of kind syntax', () => {
  const r = compileRule('self.name ==', { selfType: schema });
  assert.ok(r instanceof CelCompileError);
  assert.equal(r.kind, 'syntax');
  assert.match(r.message, /^compilation failed: ERROR: <input>:1:\d+: Syntax error: /);
});

test('a rule must be a bool and a messageExpression a string', () => {
  const a = compileRule('self.name', { selfType: schema, resultType: 'bool' });
  assert.ok(a instanceof CelCompileError);
  assert.equal(a.message, 'cel expression must evaluate to a bool');
  const b = compileRule("'replicas: ' + string(self.replicas)", { selfType: schema, resultType: 'string' });
  assert.ok(!(b instanceof CelCompileError));
  assert.equal(evaluate(b, { self }), 'replicas: 3');
});

test('a nested loop over an unbounded list is refused with Kubernetes cost message', () => {
  const r = compileRule('self.unbounded.all(x, self.unbounded.all(y, x == y))', { selfType: schema });
  assert.ok(r instanceof CelCompileError);
  assert.equal(r.kind, 'cost');
  assert.equal(
    r.message,
    'estimated rule cost exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)',
  );
});

test('the same nested loop over a list with maxItems is accepted', () => {
  const r = compileRule('self.tags.all(x, self.tags.all(y, x == y || x != y))', { selfType: schema });
  assert.ok(!(r instanceof CelCompileError), r instanceof CelCompileError ? r.message : '');
  assert.ok(r.estimatedCost < 10_000);
});

test('the cardinality of a rule multiplies its estimate', () => {
  const r = compileRule('self.unbounded.all(x, x.size() < 10)', { selfType: schema, cardinality: 10 });
  assert.ok(r instanceof CelCompileError);
  assert.match(r.message, /^estimated rule cost exceeds budget by factor of \d+\.\dx/);
});

test('evaluation stops at the runtime cost limit with cel-go message', () => {
  const big = Array.from({ length: 2000 }, (_, i) => `v${i}`);
  const r = compileRule('self.unbounded.exists(x, self.unbounded.exists(y, y == x + "!"))', { selfType: schema, costLimit: Infinity });
  assert.ok(!(r instanceof CelCompileError));
  const v = evaluate(r, { self: { unbounded: big } });
  assert.ok(v instanceof CelEvalError);
  assert.equal(v.kind, 'cost');
  assert.equal(v.message, 'operation cancelled: actual cost limit exceeded');
});

test('the cost an evaluation used is reported', () => {
  const r = compileRule('self.tags.all(x, x != "")', { selfType: schema });
  assert.ok(!(r instanceof CelCompileError));
  const cost = { cost: 0 };
  assert.equal(evaluate(r, { self }, { cost }), true);
  assert.ok(cost.cost > 0 && cost.cost < 50);
});

test('results convert back to JSON: ints to numbers, objects to plain objects', () => {
  const r = compileRule('self.ports.map(p, p)', { selfType: schema });
  assert.ok(!(r instanceof CelCompileError));
  assert.deepEqual(celToJson(evaluate(r, { self })), self.ports);
  const t = compileRule('[dyn(self.replicas), dyn(self.when)]', { selfType: schema, costLimit: Infinity });
  assert.ok(!(t instanceof CelCompileError), t instanceof CelCompileError ? t.message : '');
  assert.deepEqual(celToJson(evaluate(t, { self })), [3, '2024-01-01T00:00:00Z']);
});

test('an operator refused at runtime by an int-or-string value reads "no such overload", as cel-go words it', () => {
  const r = compileRule('self.port > 5', { selfType: schema, costLimit: Infinity });
  assert.ok(!(r instanceof CelCompileError));
  const v = evaluate(r, { self: { ...self, port: 'http' } });
  assert.ok(v instanceof CelEvalError);
  assert.equal(v.message, 'no such overload');
});
