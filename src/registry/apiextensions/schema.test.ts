// Rule failures of custom resources worded as Kubernetes' CEL validator words them: trimmed messages, the default
// message, messageExpression results and their fallbacks, reasons, fieldPath, evaluation errors naming the rule's
// message, the per-call cost limit and the per-object budget that stop further rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/index.js';
import { fieldErrorMessage } from '../../machinery/index.js';
import type { JSONSchemaProps } from '../../machinery/structural/index.js';
import { compileCustomSchema } from './schema.js';

function rootWith(spec: JSONSchemaProps): JSONSchemaProps {
  return { type: 'object', properties: { spec } };
}

function errorsOf(schema: JSONSchemaProps, spec: unknown, opts: { costBudget?: number; old?: unknown } = {}): string[] {
  const c = compileCustomSchema(schema, opts.costBudget === undefined ? {} : { costBudget: opts.costBudget });
  const obj = { apiVersion: 'kin.dev/v1', kind: 'Pot', metadata: { name: 'p' }, spec } as KubeObject;
  const old = opts.old === undefined ? undefined : ({ ...obj, spec: opts.old } as KubeObject);
  return c.validate(obj, old).map(fieldErrorMessage);
}

const sized = (rules: NonNullable<JSONSchemaProps['x-kubernetes-validations']>): JSONSchemaProps =>
  rootWith({ type: 'object', properties: { size: { type: 'integer' }, m: { type: 'object', additionalProperties: { type: 'integer' } } }, 'x-kubernetes-validations': rules });

const cases: { name: string; schema: JSONSchemaProps; spec: unknown; want: string[] }[] = [
  {
    name: 'the message is trimmed',
    schema: sized([{ rule: 'self.size < 3', message: '  too big  ' }]),
    spec: { size: 5 },
    want: ['spec: Invalid value: "object": too big'],
  },
  {
    name: 'without a message, the trimmed rule is named',
    schema: sized([{ rule: ' self.size < 3 ' }]),
    spec: { size: 5 },
    want: ['spec: Invalid value: "object": failed rule: self.size < 3'],
  },
  {
    name: 'a messageExpression gives the message, trimmed',
    schema: sized([{ rule: 'self.size < 3', message: 'fallback', messageExpression: "' size ' + string(self.size) + ' is too big '" }]),
    spec: { size: 5 },
    want: ['spec: Invalid value: "object": size 5 is too big'],
  },
  {
    name: 'an empty messageExpression result falls back to the message',
    schema: sized([{ rule: 'self.size < 3', message: 'fallback', messageExpression: "'  '" }]),
    spec: { size: 5 },
    want: ['spec: Invalid value: "object": fallback'],
  },
  {
    name: 'a messageExpression result with a line break falls back to the message',
    schema: sized([{ rule: 'self.size < 3', message: 'fallback', messageExpression: "'a\\nb'" }]),
    spec: { size: 5 },
    want: ['spec: Invalid value: "object": fallback'],
  },
  {
    name: 'a failing messageExpression falls back to the default message',
    schema: sized([{ rule: 'self.size < 3', messageExpression: "string(self.m['x'])" }]),
    spec: { size: 5, m: {} },
    want: ['spec: Invalid value: "object": failed rule: self.size < 3'],
  },
  {
    name: 'reason Duplicate prints only the type, reason Forbidden and Required keep the message',
    schema: sized([
      { rule: 'self.size < 3', message: 'dup', reason: 'FieldValueDuplicate' },
      { rule: 'self.size < 4', message: 'no', reason: 'FieldValueForbidden' },
      { rule: 'self.size < 5', message: 'need', reason: 'FieldValueRequired' },
    ]),
    spec: { size: 5 },
    want: ['spec: Duplicate value: "object"', 'spec: Forbidden: no', 'spec: Required value: need'],
  },
  {
    name: 'fieldPath is normalized and appended to the node path',
    schema: sized([{ rule: "self.m['app'] < 3", message: 'app too big', fieldPath: ".m['app']" }]),
    spec: { m: { app: 7 } },
    want: ['spec.m[app]: Invalid value: "object": app too big'],
  },
  {
    name: 'an evaluation error names the rule by its message',
    schema: sized([{ rule: "self.m['x'] == 1", message: 'x must be one' }]),
    spec: { m: {} },
    want: ['spec: Invalid value: "object": no such key: x evaluating rule: x must be one'],
  },
  {
    name: 'a rule on an untyped int-or-string node prints an empty type',
    schema: rootWith({ type: 'object', properties: { port: { 'x-kubernetes-int-or-string': true, 'x-kubernetes-validations': [{ rule: 'type(self) == int', message: 'a number' }] } } }),
    spec: { port: 'http' },
    want: ['spec.port: Invalid value: "": a number'],
  },
  {
    name: 'an operator applied to the wrong runtime type is reported as a signature mismatch',
    schema: rootWith({ type: 'object', properties: { port: { 'x-kubernetes-int-or-string': true, 'x-kubernetes-validations': [{ rule: 'self > 5' }] } } }),
    spec: { port: 'http' },
    want: ["spec.port: Invalid value: \"\": 'no such overload': call arguments did not match a supported operator, function or macro signature for rule: self > 5"],
  },
];

for (const c of cases) {
  test(c.name, () => assert.deepEqual(errorsOf(c.schema, c.spec), c.want));
}

const bigList: JSONSchemaProps = rootWith({
  type: 'object',
  properties: { xs: { type: 'array', items: { type: 'integer' } } },
  'x-kubernetes-validations': [
    { rule: 'self.xs.all(a, self.xs.all(b, a >= 0))', message: 'pairs' },
    { rule: 'false', message: 'never reached' },
  ],
});

test('a rule over its per-call cost limit stops every further rule', () => {
  const xs = Array.from({ length: 1200 }, (_, i) => i);
  assert.deepEqual(errorsOf(bigList, { xs }), [
    "spec: Invalid value: \"object\": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: pairs",
  ]);
});

test('the per-object budget running out stops every further rule', () => {
  const perItem: JSONSchemaProps = rootWith({
    type: 'array',
    items: { type: 'object', properties: { n: { type: 'integer' } }, 'x-kubernetes-validations': [{ rule: 'self.n >= 0' }] },
  });
  const spec = Array.from({ length: 50 }, () => ({ n: -1 }));
  const errs = errorsOf(perItem, spec, { costBudget: 40 });
  assert.ok(errs.length > 1 && errs.length < 50, `${errs.length} errors`);
  assert.equal(errs[errs.length - 1], `spec[${errs.length - 1}]: Invalid value: "object": validation failed due to running out of cost budget, no further validation rules will be run`);
  assert.ok(errs.slice(0, -1).every((e) => e.endsWith('failed rule: self.n >= 0')));
});

test('an unchanged invalid value is not reported again on update (ratcheting), a changed one is', () => {
  const schema = sized([{ rule: 'self.size < 3', message: 'too big' }]);
  assert.deepEqual(errorsOf(schema, { size: 5 }, { old: { size: 5 } }), []);
  assert.deepEqual(errorsOf(schema, { size: 6 }, { old: { size: 5 } }), ['spec: Invalid value: "object": too big']);
});
