import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatLabelSelector,
  labelSelectorFromObject,
  labelSelectorToObject,
  labelSelectorToString,
  matchesLabels,
  nothing,
  parseLabelSelector,
  requiresExactMatch,
  selectorFromSet,
  tryLabelSelectorFromObject,
  tryParseLabelSelector,
  validateLabelSelector,
  type LabelSelectorObject,
} from './labels.js';
import { fieldErrorMessage } from './field-errors.js';
import { StatusError } from './errors.js';

const labelValueRule =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const nameRule =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

const goodSelectors: { input: string; printed: string }[] = [
  { input: '', printed: '' },
  { input: 'x=a,y=b,z=c', printed: 'x=a,y=b,z=c' },
  { input: 'z=c,x=a', printed: 'x=a,z=c' },
  { input: 'x!=a,y=b', printed: 'x!=a,y=b' },
  { input: 'x==a', printed: 'x==a' },
  { input: 'x=', printed: 'x=' },
  { input: 'x= ', printed: 'x=' },
  { input: 'x=,z= ', printed: 'x=,z=' },
  { input: '!x', printed: '!x' },
  { input: 'x', printed: 'x' },
  { input: 'x>1', printed: 'x>1' },
  { input: 'x>1,z<5', printed: 'x>1,z<5' },
  { input: ' x in ( b , a ) ', printed: 'x in (a,b)' },
  { input: 'x notin (a)', printed: 'x notin (a)' },
  { input: 'x in ()', printed: 'x in ()' },
  { input: 'x in (a,,b)', printed: 'x in (,a,b)' },
  { input: 'x in (in,notin)', printed: 'x in (in,notin)' },
  { input: 'example.com/app=web,tier in (a,b)', printed: 'example.com/app=web,tier in (a,b)' },
  { input: '\tx=a\n', printed: 'x=a' },
];

for (const c of goodSelectors) {
  test(`label selector ${JSON.stringify(c.input)} parses and prints as ${JSON.stringify(c.printed)}`, () => {
    assert.equal(labelSelectorToString(parseLabelSelector(c.input)), c.printed);
  });
}

const badSelectors: { input: string; message: string }[] = [
  { input: 'x=a||y=b', message: `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${labelValueRule}` },
  { input: 'x==a==b', message: "found '==', expected: ',' or 'end of string'" },
  { input: '!x=a', message: "found '=', expected: ',' or 'end of string'" },
  { input: 'x<a', message: `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer` },
  { input: 'x>-1', message: `unable to parse requirement: values[0][x]: Invalid value: "-1": ${labelValueRule}` },
  { input: 'a b', message: "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt" },
  { input: 'a_=b', message: `unable to parse requirement: <nil>: Invalid value: "a_": ${nameRule}` },
  { input: ',a', message: "found ',', expected: !, identifier, or 'end of string'" },
  { input: 'a,', message: "found '', expected: identifier after ','" },
  { input: 'a in b', message: "unable to parse requirement: found 'b' expected: '('" },
  { input: 'a in (b', message: "unable to parse requirement: found '', expected: ',' or ')'" },
  { input: 'a in (b c)', message: "unable to parse requirement: found 'c', expected: ',' or ')'" },
  { input: '!', message: "unable to parse requirement: found '', expected: identifier" },
  { input: 'a=(b)', message: "unable to parse requirement: found '(', expected: identifier" },
];

for (const c of badSelectors) {
  test(`label selector ${JSON.stringify(c.input)} is rejected with Kubernetes' message`, () => {
    assert.equal(tryParseLabelSelector(c.input), c.message);
    assert.throws(
      () => parseLabelSelector(c.input),
      (e: unknown) => e instanceof StatusError && e.code === 400 && e.reason === 'BadRequest' && e.message === c.message,
    );
  });
}

const matchCases: { selector: string; labels: Record<string, string> | undefined; matches: boolean }[] = [
  { selector: '', labels: { x: 'y' }, matches: true },
  { selector: 'x=y', labels: { x: 'y' }, matches: true },
  { selector: 'x=z', labels: { x: 'y' }, matches: false },
  { selector: 'x=', labels: { x: '' }, matches: true },
  { selector: 'x=', labels: {}, matches: false },
  { selector: 'x!=z', labels: { x: 'y' }, matches: true },
  { selector: 'x!=z', labels: {}, matches: true },
  { selector: 'x!=y', labels: { x: 'y' }, matches: false },
  { selector: 'x in (a,y)', labels: { x: 'y' }, matches: true },
  { selector: 'x notin (a,y)', labels: { x: 'y' }, matches: false },
  { selector: 'x notin (a)', labels: undefined, matches: true },
  { selector: 'x', labels: { x: '' }, matches: true },
  { selector: 'x', labels: { y: 'x' }, matches: false },
  { selector: '!x', labels: { y: 'x' }, matches: true },
  { selector: '!x', labels: { x: 'z' }, matches: false },
  { selector: 'x>1', labels: { x: '2' }, matches: true },
  { selector: 'x>1', labels: { x: '1' }, matches: false },
  { selector: 'x<1', labels: { x: '-5' }, matches: true },
  { selector: 'x>1', labels: { x: 'abc' }, matches: false },
  { selector: 'x>1', labels: {}, matches: false },
  { selector: 'x>9223372036854775806', labels: { x: '9223372036854775807' }, matches: true },
  { selector: 'x=y,z', labels: { x: 'y', z: '1' }, matches: true },
  { selector: 'x=y,z', labels: { x: 'y' }, matches: false },
  { selector: 'toString', labels: {}, matches: false },
];

for (const c of matchCases) {
  test(`selector ${JSON.stringify(c.selector)} ${c.matches ? 'matches' : 'does not match'} ${JSON.stringify(c.labels)}`, () => {
    assert.equal(matchesLabels(parseLabelSelector(c.selector), c.labels), c.matches);
  });
}

test('the nothing selector matches no labels, even empty ones', () => {
  assert.equal(matchesLabels(nothing, {}), false);
  assert.equal(matchesLabels(labelSelectorFromObject(undefined), { a: 'b' }), false);
});

test('an empty metav1.LabelSelector matches everything', () => {
  assert.equal(matchesLabels(labelSelectorFromObject({}), { a: 'b' }), true);
  assert.equal(matchesLabels(labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] }), {}), true);
});

const formatCases: { name: string; selector: LabelSelectorObject | undefined; text: string }[] = [
  { name: 'absent selector', selector: undefined, text: '<none>' },
  { name: 'empty selector', selector: {}, text: '<none>' },
  { name: 'matchLabels only', selector: { matchLabels: { tier: 'fe', app: 'web' } }, text: 'app=web,tier=fe' },
  {
    name: 'labels and expressions, values sorted',
    selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] },
    text: 'app=web,tier in (a,b)',
  },
  {
    name: 'every expression operator',
    selector: {
      matchExpressions: [
        { key: 'd', operator: 'DoesNotExist' },
        { key: 'c', operator: 'Exists' },
        { key: 'b', operator: 'NotIn', values: ['x'] },
        { key: 'a', operator: 'In', values: ['y'] },
      ],
    },
    text: 'a in (y),b notin (x),c,!d',
  },
  { name: 'unknown operator', selector: { matchExpressions: [{ key: 'a', operator: 'Foo' }] }, text: '<error>' },
];

for (const c of formatCases) {
  test(`formatLabelSelector prints ${c.name} as ${c.text}`, () => {
    assert.equal(formatLabelSelector(c.selector), c.text);
  });
}

const objectErrorCases: { name: string; selector: LabelSelectorObject; message: string }[] = [
  { name: 'unknown operator', selector: { matchExpressions: [{ key: 'a', operator: 'Foo' }] }, message: '"Foo" is not a valid label selector operator' },
  {
    name: 'In without values',
    selector: { matchExpressions: [{ key: 'a', operator: 'In' }] },
    message: "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
  },
  {
    name: 'Exists with values',
    selector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] },
    message: `values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist`,
  },
  {
    name: 'bad key and bad value together',
    selector: { matchLabels: { 'a/b/c': 'ok' } },
    message:
      "key: Invalid value: \"a/b/c\": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
  },
  {
    name: 'invalid value',
    selector: { matchLabels: { a: 'b c' } },
    message: `values[0][a]: Invalid value: "b c": ${labelValueRule}`,
  },
];

for (const c of objectErrorCases) {
  test(`labelSelectorFromObject rejects ${c.name} with Kubernetes' message`, () => {
    assert.equal(tryLabelSelectorFromObject(c.selector), c.message);
    assert.throws(() => labelSelectorFromObject(c.selector), (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === c.message);
  });
}

test('labelSelectorToObject splits equality into matchLabels and the rest into expressions', () => {
  assert.deepEqual(labelSelectorToObject(parseLabelSelector('a=1,b in (y,x),!c,d')), {
    matchLabels: { a: '1' },
    matchExpressions: [
      { key: 'b', operator: 'In', values: ['x', 'y'] },
      { key: 'c', operator: 'DoesNotExist' },
      { key: 'd', operator: 'Exists' },
    ],
  });
  assert.throws(() => labelSelectorToObject(parseLabelSelector('a>1')), /gt is not a valid label selector operator/);
});

test('selectorFromSet requires each label by equality, sorted by key', () => {
  const sel = selectorFromSet({ b: '2', a: '1' });
  assert.equal(labelSelectorToString(sel), 'a=1,b=2');
  assert.equal(matchesLabels(sel, { a: '1', b: '2', c: '3' }), true);
  assert.equal(matchesLabels(selectorFromSet(undefined), {}), true);
});

test('requiresExactMatch finds equality and single-value in requirements', () => {
  const sel = parseLabelSelector('a=1,b in (2),c in (3,4),d!=5');
  assert.equal(requiresExactMatch(sel, 'a'), '1');
  assert.equal(requiresExactMatch(sel, 'b'), '2');
  assert.equal(requiresExactMatch(sel, 'c'), undefined);
  assert.equal(requiresExactMatch(sel, 'd'), undefined);
  assert.equal(requiresExactMatch(sel, 'e'), undefined);
});

test('validateLabelSelector reports each problem of a spec selector at its path', () => {
  const errs = validateLabelSelector(
    {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'a', operator: 'In' },
        { key: 'b', operator: 'Exists', values: ['x'] },
        { key: 'c', operator: 'Foo' },
        { key: 'd', operator: 'NotIn', values: ['bad value'] },
      ],
    },
    {},
    'spec.selector',
  ).map(fieldErrorMessage);
  assert.deepEqual(errs.slice(0, 3), [
    "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    'spec.selector.matchExpressions[2].operator: Invalid value: "Foo": not a valid selector operator',
  ]);
  assert.match(errs[3] ?? '', /^spec\.selector\.matchExpressions\[3\]\.values\[0\]: Invalid value: "bad value": a valid label must be/);
  assert.equal(errs.length, 4);
  assert.deepEqual(validateLabelSelector({ matchExpressions: [{ key: 'd', operator: 'In', values: ['bad value'] }] }, { allowInvalidLabelValueInSelector: true }, 'spec.selector'), []);
});
