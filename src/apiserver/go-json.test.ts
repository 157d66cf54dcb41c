import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goJsonSyntaxError } from './go-json.js';

// Go 1.23's json.Unmarshal messages for each input.
const cases: [string, string | undefined][] = [
  ['{}', undefined],
  [' [1, -2.5e+3, "a\\n\\u00e9", true, false, null, {"k": []}] ', undefined],
  ['', 'unexpected end of JSON input'],
  ['   ', 'unexpected end of JSON input'],
  ['{', 'unexpected end of JSON input'],
  ['{"a":1', 'unexpected end of JSON input'],
  ['{"a', 'unexpected end of JSON input'],
  ['{bad}', `invalid character 'b' looking for beginning of object key string`],
  ['{"a" 1}', `invalid character '1' after object key`],
  ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
  ['{"a":1,}', `invalid character '}' looking for beginning of object key string`],
  ['[1 2]', `invalid character '2' after array element`],
  ['[1,]', `invalid character ']' looking for beginning of value`],
  ['{} x', `invalid character 'x' after top-level value`],
  ['x', `invalid character 'x' looking for beginning of value`],
  ["'a'", `invalid character '\\'' looking for beginning of value`],
  ['{"a":tru}', `invalid character '}' in literal true (expecting 'e')`],
  ['nul', 'unexpected end of JSON input'],
  ['{"a":nope}', `invalid character 'o' in literal null (expecting 'u')`],
  ['{"a":01}', `invalid character '1' after object key:value pair`],
  ['{"a":-}', `invalid character '}' in numeric literal`],
  ['{"a":1.}', `invalid character '}' after decimal point in numeric literal`],
  ['{"a":1e}', `invalid character '}' in exponent of numeric literal`],
  ['{"a":"x\ny"}', `invalid character '\\n' in string literal`],
  ['{"a":"\\q"}', `invalid character 'q' in string escape code`],
  ['{"a":"\\u12g4"}', `invalid character 'g' in \\u hexadecimal character escape`],
  ['{"a":\t\u0001}', `invalid character '\\x01' looking for beginning of value`],
];

for (const [input, want] of cases) {
  test(`Go's json error for ${JSON.stringify(input)}: ${want ?? 'valid'}`, () => {
    assert.equal(goJsonSyntaxError(Buffer.from(input)), want);
  });
}
