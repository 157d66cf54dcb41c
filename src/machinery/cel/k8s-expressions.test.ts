// Kubernetes-shaped expressions over an admission-style Pod (plain JSON, no schema): field access, macros,
// optional types, the string and Kubernetes libraries, error absorption and overflow.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CelCompileError, CelEvalError, compileRule, evaluate } from './index.js';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'prod', labels: { app: 'web', tier: 'frontend' }, annotations: {} },
  spec: {
    replicas: 3,
    containers: [
      {
        name: 'app',
        image: 'registry.example.com/web:1.2.3',
        ports: [{ containerPort: 8080 }],
        resources: { limits: { memory: '512Mi', cpu: '500m' }, requests: { memory: '256Mi' } },
        securityContext: { runAsNonRoot: true, privileged: false },
      },
      { name: 'sidecar', image: 'docker.io/library/envoy:latest', ports: [{ containerPort: 9901 }], resources: { limits: { memory: '2Gi' } } },
    ],
    hostNetwork: false,
  },
};
const activation = {
  object: pod,
  oldObject: null,
  request: { operation: 'CREATE', userInfo: { username: 'alice', groups: ['dev'] }, namespace: 'prod', name: 'web-1' },
  params: { maxReplicas: 5, allowedRegistries: ['registry.example.com/'] },
  namespaceObject: { metadata: { name: 'prod', labels: { env: 'prod' } } },
};
const variables = { object: {}, oldObject: {}, request: {}, params: {}, namespaceObject: {} };

const cases: [string, string, unknown][] = [
  ['field access and ==', "object.metadata.name == 'web-1'", true],
  ['has() on a present map key', 'has(object.metadata.labels)', true],
  ['has() on a missing key', 'has(object.spec.nodeName)', false],
  ['in on a map', "'app' in object.metadata.labels", true],
  ['JSON whole number is an int (>)', 'object.spec.replicas > 2', true],
  ['JSON whole number is an int (==)', 'object.spec.replicas == 3', true],
  ['JSON number compared with a param', 'object.spec.replicas <= params.maxReplicas', true],
  ['JSON number arithmetic', 'object.spec.replicas + 1 == 4 && object.spec.replicas % 2 == 1', true],
  ['all() macro', 'object.spec.containers.all(c, has(c.resources.limits))', true],
  ['exists() macro', "object.spec.containers.exists(c, c.image.endsWith(':latest'))", true],
  ['exists_one() macro', "object.spec.containers.exists_one(c, c.name == 'app')", true],
  ['map() macro and size()', 'object.spec.containers.map(c, c.name).size() == 2', true],
  ['filter() macro', "object.spec.containers.filter(c, !has(c.securityContext)).map(c, c.name) == ['sidecar']", true],
  ['all() over map keys', "object.metadata.labels.all(k, k.matches('^[a-z]+$'))", true],
  ['nested macros', 'object.spec.containers.all(c, c.ports.all(p, p.containerPort > 1024))', true],
  ['startsWith with a params list', 'object.spec.containers.all(c, params.allowedRegistries.exists(r, c.image.startsWith(r)))', false],
  ['matches', "object.metadata.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')", true],
  ['string concatenation', "'container ' + object.spec.containers[1].name + ' uses :latest'", 'container sidecar uses :latest'],
  ['request.operation and a null oldObject', "request.operation == 'CREATE' && oldObject == null", true],
  ['namespaceObject', "namespaceObject.metadata.labels.env == 'prod'", true],
  ['size()', 'size(object.metadata.name) <= 63', true],
  ['int() and string()', "int('42') + 1 == 43 && string(7) == '7'", true],
  ['timestamp and duration', "timestamp('2024-01-01T00:00:00Z') + duration('1h') > timestamp('2024-01-01T00:30:00Z')", true],
  ['errors absorbed by ||', '(1/0 > 0) || true', true],
  ['lowerAscii', "'ABC'.lowerAscii() == 'abc'", true],
  ['split', "'a,b,c'.split(',').size() == 3", true],
  ['replace', "'a-b'.replace('-', '_') == 'a_b'", true],
  ['charAt', "'abc'.charAt(1) == 'b'", true],
  ['substring and indexOf', "'registry.example.com/web'.substring(0, 'registry.example.com/web'.indexOf('/')) == 'registry.example.com'", true],
  ['trim, join, upperAscii', "['a','b'].join('-') == 'a-b' && ' x '.trim() == 'x' && 'a'.upperAscii() == 'A'", true],
  ['format with mixed arguments', "'%s has %d containers'.format([object.metadata.name, 2]) == 'web-1 has 2 containers'", true],
  ['strings.quote', "strings.quote('a\"b') == '\"a\\\\\"b\"'", true],
  ['lists: sum, min, isSorted', '[1,2,3].sum() == 6 && [3,1,2].min() == 1 && [1,2,3].isSorted()', true],
  ['lists: indexOf', "['a','b'].indexOf('b') == 1", true],
  ['regex: find and findAll', "'abc 123 456'.find('[0-9]+') == '123' && 'a1b2'.findAll('[0-9]').size() == 2", true],
  ['url', "url('https://example.com:8443/p').getHost() == 'example.com:8443' && isURL('https://x.io')", true],
  ['quantity', "quantity(object.spec.containers[1].resources.limits.memory).isGreaterThan(quantity('1Gi'))", true],
  ['ip and cidr', "cidr('10.0.0.0/8').containsIP(ip('10.1.2.3'))", true],
  ['optional chaining with orValue', "object.metadata.?labels.?team.orValue('none') == 'none'", true],
  ['optional.of', 'optional.of(1).hasValue()', true],
  ['cel.bind', "cel.bind(c, object.spec.containers[0], c.name == 'app')", true],
  ['two-variable all() over a map', "object.metadata.labels.all(k, v, v != '')", true],
  ['sets.contains', 'sets.contains([1,2,3], [1,2])', true],
  ['math.greatest', 'math.greatest(1, 5, 3) == 5', true],
  ['base64.encode', "base64.encode(b'hi') == 'aGk='", true],
];

for (const [name, expr, want] of cases) {
  test(`k8s expression: ${name}`, () => {
    const rule = compileRule(expr, { variables, costLimit: Infinity });
    assert.ok(!(rule instanceof CelCompileError), rule instanceof CelCompileError ? rule.message : '');
    assert.deepEqual(evaluate(rule, activation), want);
  });
}

const errors: [string, string, string][] = [
  ['int overflow is an error', '9223372036854775807 + 1 > 0', 'integer overflow'],
  ['a missing field is an error', 'object.spec.nodeName == "x"', 'no such key: nodeName'],
  ['division by zero', '1 / 0 == 1', 'division by zero'],
  ['modulus by zero', '1 % 0 == 1', 'modulus by zero'],
  ['list index out of range', 'object.spec.containers[5].name == ""', "index '5' out of range in list size '2'"],
];
for (const [name, expr, message] of errors) {
  test(`k8s expression error: ${name}`, () => {
    const rule = compileRule(expr, { variables, costLimit: Infinity });
    assert.ok(!(rule instanceof CelCompileError), rule instanceof CelCompileError ? rule.message : '');
    const v = evaluate(rule, activation);
    assert.ok(v instanceof CelEvalError);
    assert.equal(v.message, message);
  });
}

test('authorizer is not part of this environment yet (an undeclared reference)', () => {
  const rule = compileRule("authorizer.group('').resource('pods').check('create').allowed()", { variables });
  assert.ok(rule instanceof CelCompileError);
  assert.match(rule.message, /undeclared reference to 'authorizer'/);
});
