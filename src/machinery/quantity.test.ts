import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addQuantities,
  canonicalizeQuantity,
  compareQuantities,
  formatQuantity,
  newMilliQuantity,
  newQuantity,
  parseQuantity,
  quantitiesEqual,
  quantityFormatErrorMessage,
  quantityFromJSON,
  quantityMilliValue,
  quantityValue,
  QuantityError,
  subtractQuantities,
} from './quantity.js';

const canonical: { input: string; output: string }[] = [
  { input: '1000m', output: '1' },
  { input: '1024Mi', output: '1Gi' },
  { input: '0.5', output: '500m' },
  { input: '1.5Gi', output: '1536Mi' },
  { input: '1.5', output: '1500m' },
  { input: '100m', output: '100m' },
  { input: '1500m', output: '1500m' },
  { input: '1e3', output: '1e3' },
  { input: '1e1', output: '10' },
  { input: '1.2e3', output: '1200' },
  { input: '1000M', output: '1G' },
  { input: '50k', output: '50k' },
  { input: '128974848', output: '128974848' },
  { input: '129e6', output: '129e6' },
  { input: '129M', output: '129M' },
  { input: '123Mi', output: '123Mi' },
  { input: '3072Ki', output: '3Mi' },
  { input: '1000Ki', output: '1000Ki' },
  { input: '0.5Ki', output: '512' },
  { input: '.001Ki', output: '1024m' },
  { input: '.000000000001Ki', output: '2n' },
  { input: '1Ei', output: '1Ei' },
  { input: '9Ei', output: '9223372036854775807' },
  { input: '3.001n', output: '4n' },
  { input: '0.00000012345', output: '124n' },
  { input: '0', output: '0' },
  { input: '0Ki', output: '0' },
  { input: '-0.0', output: '0' },
  { input: '-1.5', output: '-1500m' },
  { input: '-1Ki', output: '-1Ki' },
  { input: '.', output: '0' },
  { input: '0.1m', output: '100u' },
  // Kubernetes 1.32 has no DecimalSI suffix past E and drops the exponent; kin serializes the same bytes.
  { input: '2000000000000000000000', output: '2' },
  { input: '1000E', output: '1' },
  { input: '10.0350G', output: '10035M' },
];

for (const c of canonical) {
  test(`quantity ${c.input} serializes as ${c.output}`, () => {
    assert.equal(canonicalizeQuantity(c.input), c.output);
  });
}

// Kubernetes keeps the input string when it is already in a form it accepts as canonical, quirks included.
const keptAsWritten = ['+1', '01', '1.', '12Ki', '1e3', '1E6', '10.035M', '100m', '-5'];
for (const s of keptAsWritten) {
  test(`quantity ${s} is echoed back exactly as written`, () => assert.equal(formatQuantity(parseQuantity(s)), s));
}

const invalid: { input: string; message: string }[] = [
  { input: '', message: quantityFormatErrorMessage },
  { input: '1.1.M', message: quantityFormatErrorMessage },
  { input: '1+1.0M', message: quantityFormatErrorMessage },
  { input: 'aoeu', message: quantityFormatErrorMessage },
  { input: ' 1', message: quantityFormatErrorMessage },
  { input: '1 ', message: quantityFormatErrorMessage },
  { input: '0.1mi', message: "unable to parse quantity's suffix" },
  { input: '1i', message: "unable to parse quantity's suffix" },
  { input: '-3.01e-', message: "unable to parse quantity's suffix" },
  { input: '1K', message: "unable to parse quantity's suffix" },
  { input: '.e-10', message: 'unable to parse numeric part of quantity' },
];

for (const c of invalid) {
  test(`quantity ${JSON.stringify(c.input)} is rejected with "${c.message}"`, () => {
    assert.throws(() => parseQuantity(c.input), (e: unknown) => e instanceof QuantityError && e.message === c.message);
  });
}

test('the format error quotes the regular expression as Kubernetes does', () => {
  assert.equal(quantityFormatErrorMessage, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
});

test('quantities from JSON accept numbers and ignore surrounding spaces', () => {
  assert.equal(formatQuantity(quantityFromJSON(' 1')), '1');
  assert.equal(formatQuantity(quantityFromJSON(0.25)), '250m');
  assert.equal(formatQuantity(quantityFromJSON(-1)), '-1');
});

const comparisons: { a: string; b: string; want: -1 | 0 | 1 }[] = [
  { a: '1', b: '1000m', want: 0 },
  { a: '1Gi', b: '1024Mi', want: 0 },
  { a: '1G', b: '1Gi', want: -1 },
  { a: '100m', b: '0.1', want: 0 },
  { a: '-1', b: '0', want: -1 },
  { a: '1e100', b: '1', want: 1 },
  { a: '1e-5', b: '-1e100', want: 1 },
];

for (const c of comparisons) {
  test(`comparing ${c.a} with ${c.b} gives ${c.want}`, () => {
    assert.equal(compareQuantities(parseQuantity(c.a), parseQuantity(c.b)), c.want);
    assert.equal(compareQuantities(parseQuantity(c.b), parseQuantity(c.a)), c.want === 0 ? 0 : -c.want);
  });
}

test('adding and subtracting is exact and keeps the first format', () => {
  assert.equal(formatQuantity(addQuantities(parseQuantity('100m'), parseQuantity('900m'))), '1');
  assert.equal(formatQuantity(addQuantities(parseQuantity('1Gi'), parseQuantity('512Mi'))), '1536Mi');
  assert.equal(formatQuantity(addQuantities(parseQuantity('0.1'), parseQuantity('0.2'))), '300m');
  assert.equal(formatQuantity(subtractQuantities(parseQuantity('1'), parseQuantity('250m'))), '750m');
  assert.equal(formatQuantity(subtractQuantities(parseQuantity('1Ki'), parseQuantity('1Ki'))), '0');
  assert.ok(quantitiesEqual(addQuantities(parseQuantity('1'), parseQuantity('-1')), parseQuantity('0')));
});

test('adding to zero takes the format of the other operand', () => {
  assert.equal(formatQuantity(addQuantities(parseQuantity('0'), parseQuantity('2Ki'))), '2Ki');
  assert.equal(formatQuantity(subtractQuantities(parseQuantity('0'), parseQuantity('2Ki'))), '-2Ki');
});

test('value and milli-value round up to whole units', () => {
  assert.equal(quantityValue(parseQuantity('1500m')), 2);
  assert.equal(quantityValue(parseQuantity('2Ki')), 2048);
  assert.equal(quantityMilliValue(parseQuantity('0.5')), 500);
  assert.equal(quantityMilliValue(parseQuantity('1n')), 1);
  assert.equal(quantityValue(parseQuantity('-1500m')), -2);
});

test('constructed quantities print canonically', () => {
  assert.equal(formatQuantity(newMilliQuantity(250)), '250m');
  assert.equal(formatQuantity(newQuantity(2048, 'BinarySI')), '2Ki');
  assert.equal(formatQuantity(newQuantity(5, 'BinarySI')), '5');
  assert.equal(formatQuantity(newQuantity(3000, 'DecimalExponent')), '3e3');
});
