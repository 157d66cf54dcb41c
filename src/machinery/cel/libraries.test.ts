// Every library function kin adds: strings, lists, regex, url, quantity, ip/cidr, named formats, sets, math,
// base64 and the two-variable comprehensions; each case is an expression and its expected value or error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CelCompileError, CelEvalError, compileRule, evaluate } from './index.js';

const ok: [string, unknown][] = [
  // strings
  ["'héllo'.charAt(1)", 'é'],
  ["'abc'.charAt(3)", ''],
  ["'héllo wörld'.indexOf('o')", 4n],
  ["'hello'.indexOf('l', 3)", 3n],
  ["'hello'.indexOf('')", 0n],
  ["'hello'.lastIndexOf('l')", 3n],
  ["'hello'.lastIndexOf('l', 2)", 2n],
  ["'hello'.lastIndexOf('')", 5n],
  ["'ÀBc'.lowerAscii()", 'Àbc'],
  ["'àbC'.upperAscii()", 'àBC'],
  ["'aaa'.replace('a', 'b')", 'bbb'],
  ["'aaa'.replace('a', 'b', 2)", 'bba'],
  ["'a,b,c'.split(',')", ['a', 'b', 'c']],
  ["'a,b,c'.split(',', 2)", ['a', 'b,c']],
  ["'abc'.split('')", ['a', 'b', 'c']],
  ["['a', 'b'].join()", 'ab'],
  ["['a', 'b'].join(', ')", 'a, b'],
  ["'héllo'.substring(1)", 'éllo'],
  ["'héllo'.substring(1, 3)", 'él'],
  ["'\\t x \\n'.trim()", 'x'],
  ["'abc'.reverse()", 'cba'],
  ["strings.quote('a\\nb')", '"a\\nb"'],
  ["'%d-%s-%.2f-%e'.format([1, 'x', 1.5, 1000.0])", '1-x-1.50-1.000000e+03'],
  ["'%x %X %o %b'.format([255, 255, 8, 5])", 'ff FF 10 101'],
  ["'%s'.format([[1, 2]])", '[1, 2]'],
  ["'100%%'.format([])", '100%'],
  // lists
  ['[1, 2, 3].isSorted()', true],
  ["['b', 'a'].isSorted()", false],
  ['[1.5, 2.5].sum()', 4],
  ['[3, 1, 2].max()', 3n],
  ["['b', 'a'].min()", 'a'],
  ['[1, 2, 1].lastIndexOf(1)', 2n],
  ['[1, 2].indexOf(3)', -1n],
  // regex
  ["'abc123'.matches('[0-9]+')", true],
  ["'ABC'.matches('(?i)abc')", true],
  ["'abc'.find('x')", ''],
  ["'a1b22c333'.findAll('[0-9]+')", ['1', '22', '333']],
  ["'a1b22c333'.findAll('[0-9]+', 2)", ['1', '22']],
  ["matches('abc', '^a')", true],
  // url
  ["url('https://user@example.com:8443/a%20b?x=1&x=2&y').getScheme()", 'https'],
  ["url('https://example.com:8443/p').getHostname()", 'example.com'],
  ["url('https://[::1]:80/').getHostname()", '::1'],
  ["url('https://example.com:8443/p').getPort()", '8443'],
  ["url('https://example.com').getEscapedPath()", ''],
  ["url('/a%20b').getEscapedPath()", '/a%20b'],
  ["url('https://e.com/?x=1&x=2&y').getQuery()", new Map([['x', ['1', '2']], ['y', ['']]])],
  ["isURL('not a url')", false],
  ["isURL('/relative/path')", true],
  // quantity
  ["quantity('1Gi') == quantity('1024Mi')", true],
  ["quantity('500m').isLessThan(quantity('1'))", true],
  ["quantity('2').compareTo(quantity('1'))", 1n],
  ["quantity('1.5').add(quantity('500m')) == quantity('2')", true],
  ["quantity('1').sub(2).sign()", -1n],
  ["quantity('1k').asInteger()", 1000n],
  ["quantity('1.5').isInteger()", false],
  ["quantity('250m').asApproximateFloat()", 0.25],
  ["isQuantity('1Gi') && !isQuantity('1GiB')", true],
  // ip and cidr
  ["ip('192.168.0.1').family()", 4n],
  ["ip('::1').isLoopback() && ip('127.0.0.2').isLoopback()", true],
  ["ip('0.0.0.0').isUnspecified() && ip('::').isUnspecified()", true],
  ["ip('169.254.1.1').isLinkLocalUnicast() && ip('fe80::1').isLinkLocalUnicast()", true],
  ["ip('224.0.0.1').isLinkLocalMulticast() && ip('ff02::1').isLinkLocalMulticast()", true],
  ["ip('8.8.8.8').isGlobalUnicast() && !ip('255.255.255.255').isGlobalUnicast()", true],
  ["string(ip('2001:DB8:0:0:0:0:0:1'))", '2001:db8::1'],
  ["ip.isCanonical('2001:db8::1') && !ip.isCanonical('2001:DB8::1')", true],
  ["isIP('1.2.3.4') && !isIP('01.2.3.4') && !isIP('::ffff:1.2.3.4') && !isIP('fe80::1%eth0')", true],
  ["cidr('10.0.0.0/8').containsIP('10.255.0.1')", true],
  ["cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16') && !cidr('10.0.0.0/16').containsCIDR('10.0.0.0/8')", true],
  ["cidr('192.168.1.5/24').masked() == cidr('192.168.1.0/24')", true],
  ["cidr('192.168.1.5/24').ip() == ip('192.168.1.5')", true],
  ["cidr('2001:db8::/32').prefixLength()", 32n],
  ["string(cidr('10.0.0.0/8'))", '10.0.0.0/8'],
  ["isCIDR('10.0.0.0/33')", false],
  // named formats
  ["format.dns1123Label().validate('my-name').hasValue()", false],
  ["format.dns1123Label().validate('My_Name').value().size() > 0", true],
  ["format.named('uuid').value().validate('123e4567-e89b-12d3-a456-426614174000').hasValue()", false],
  ["format.named('nope').hasValue()", false],
  ["format.labelValue().validate('a'.format([]) + '-').hasValue()", true],
  // sets, math, base64
  ['sets.contains([1, 2, 3], [3, 1])', true],
  ['sets.equivalent([1, 2, 2], [2, 1])', true],
  ['sets.intersects([1, 2], [3])', false],
  ['math.greatest([1, 7, 3])', 7n],
  ['math.least(2.5, 1)', 1n],
  ['math.bitOr(1, 2) + math.bitAnd(3, 1) + math.bitXor(3, 1) + math.bitShiftLeft(1, 4) + math.bitShiftRight(16, 4)', 23n],
  ['math.abs(-5) == 5 && math.sign(-2.5) == -1.0 && math.ceil(1.2) == 2.0', true],
  ["base64.decode('aGk=') == b'hi' && base64.decode('aGk') == b'hi'", true],
  // two-variable comprehensions
  ["{'a': 1, 'b': 2}.exists(k, v, k == 'b' && v == 2)", true],
  ["[10, 20].all(i, v, v == (i + 1) * 10)", true],
  ["[1, 2, 3].existsOne(i, v, v > 2)", true],
  ['[1, 2, 3].transformList(i, v, v > 1, i)', [1n, 2n]],
  ["{'a': 1}.transformMap(k, v, v + 1)", new Map([['a', 2n]])],
];

for (const [expr, want] of ok) {
  test(`library: ${expr}`, () => {
    const rule = compileRule(expr, { costLimit: Infinity });
    assert.ok(!(rule instanceof CelCompileError), rule instanceof CelCompileError ? rule.message : '');
    const got = evaluate(rule, {});
    assert.ok(!(got instanceof CelEvalError), got instanceof CelEvalError ? got.message : '');
    assert.deepEqual(got, want);
  });
}

const failing: [string, RegExp][] = [
  ["'abc'.charAt(4)", /^index out of range: 4$/],
  ["'abc'.substring(2, 1)", /^invalid substring range\. start: 2, end: 1$/],
  ["quantity('1ki')", /^unable to parse quantity's suffix$/],
  ["quantity('1GiB')", /^quantities must match the regular expression/],
  ["quantity('1.5').asInteger()", /^cannot convert value to integer$/],
  ["ip('1.2.3')", /unable to parse IP/],
  ["ip('::ffff:1.2.3.4')", /IPv4-mapped IPv6 address/],
  ["url('example.com')", /invalid URI for request/],
  ['[].max()', /^max called on empty list$/],
  ["'x'.matches(dyn('(?<=a)b'))", /^error parsing regexp/],
  ["'%d'.format(['x'])", /^error during formatting: decimal clause can only be used on integers/],
];
for (const [expr, want] of failing) {
  test(`library error: ${expr}`, () => {
    const rule = compileRule(expr, { costLimit: Infinity });
    assert.ok(!(rule instanceof CelCompileError), rule instanceof CelCompileError ? rule.message : '');
    const got = evaluate(rule, {});
    assert.ok(got instanceof CelEvalError, `expected an error, got ${String(got)}`);
    assert.match(got.message, want);
  });
}
