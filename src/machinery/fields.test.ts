import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkFieldSelector,
  defaultSelectableFields,
  escapeFieldValue,
  fieldSelectorToString,
  matchesFields,
  parseFieldSelector,
  requiresExactFieldMatch,
  tryParseFieldSelector,
} from './fields.js';
import { StatusError } from './errors.js';

const good: { input: string; printed: string }[] = [
  { input: '', printed: '' },
  { input: 'metadata.name=web', printed: 'metadata.name=web' },
  { input: 'metadata.name==web', printed: 'metadata.name=web' },
  { input: 'status.phase!=Running,metadata.name=web', printed: 'metadata.name=web,status.phase!=Running' },
  { input: 'a=b,,c=d', printed: 'a=b,c=d' },
  { input: 'a=', printed: 'a=' },
  { input: 'a=b\\,c', printed: 'a=b\\,c' },
  { input: 'a=b\\=c\\\\', printed: 'a=b\\=c\\\\' },
  { input: 'x=a b', printed: 'x=a b' },
];

for (const c of good) {
  test(`field selector ${JSON.stringify(c.input)} parses and prints as ${JSON.stringify(c.printed)}`, () => {
    assert.equal(fieldSelectorToString(parseFieldSelector(c.input)), c.printed);
  });
}

test('escaped values are unescaped for matching', () => {
  const sel = parseFieldSelector('a=b\\,c\\=d');
  assert.equal(requiresExactFieldMatch(sel, 'a'), 'b,c=d');
  assert.equal(escapeFieldValue('b,c=d\\'), 'b\\,c\\=d\\\\');
});

const bad: { input: string; message: string }[] = [
  { input: 'abc', message: "invalid selector: 'abc'; can't understand 'abc'" },
  { input: 'b=1,abc', message: "invalid selector: 'b=1,abc'; can't understand 'abc'" },
  { input: 'a=b=c', message: 'invalid field selector: unescaped character in value: 61' },
  { input: 'a=b\\x', message: 'invalid field selector: invalid escape sequence: \\x' },
  { input: 'a=b\\', message: 'invalid field selector: invalid escape sequence: \\' },
];

for (const c of bad) {
  test(`field selector ${JSON.stringify(c.input)} is rejected with Kubernetes' message`, () => {
    assert.equal(tryParseFieldSelector(c.input), c.message);
    assert.throws(() => parseFieldSelector(c.input), (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === c.message);
  });
}

const matches: { selector: string; fields: Record<string, string>; want: boolean }[] = [
  { selector: '', fields: {}, want: true },
  { selector: 'metadata.name=web', fields: { 'metadata.name': 'web' }, want: true },
  { selector: 'metadata.name=web', fields: { 'metadata.name': 'db' }, want: false },
  { selector: 'metadata.name!=web', fields: { 'metadata.name': 'db' }, want: true },
  { selector: 'spec.nodeName=', fields: {}, want: true },
  { selector: 'spec.nodeName!=', fields: { 'spec.nodeName': 'n1' }, want: true },
  { selector: 'a=1,b=2', fields: { a: '1', b: '3' }, want: false },
];

for (const c of matches) {
  test(`field selector ${JSON.stringify(c.selector)} ${c.want ? 'matches' : 'does not match'} ${JSON.stringify(c.fields)}`, () => {
    assert.equal(matchesFields(parseFieldSelector(c.selector), c.fields), c.want);
  });
}

test('unknown keys are refused with the default wording for kinds without their own conversion', () => {
  assert.throws(
    () => checkFieldSelector(parseFieldSelector('metadata.name=a,spec.foo=b'), { supported: defaultSelectableFields, wording: 'default' }),
    (e: unknown) =>
      e instanceof StatusError && e.code === 400 && e.message === '"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"',
  );
});

test('unknown keys are refused with the field-label wording for kinds that have a conversion', () => {
  assert.throws(
    () => checkFieldSelector(parseFieldSelector('foo=bar'), { supported: ['metadata.name', 'status.phase'], wording: 'label' }),
    (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === 'field label not supported: foo',
  );
});

test('the first unknown key in sorted order is the one reported', () => {
  assert.throws(() => checkFieldSelector(parseFieldSelector('zz=1,aa=2'), { supported: [], wording: 'label' }), /field label not supported: aa/);
});

test('aliases are rewritten to their current names', () => {
  const sel = checkFieldSelector(parseFieldSelector('spec.host=n1'), { supported: ['spec.nodeName'], wording: 'label', aliases: { 'spec.host': 'spec.nodeName' } });
  assert.equal(fieldSelectorToString(sel), 'spec.nodeName=n1');
});
