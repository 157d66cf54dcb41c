import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUpFlags } from './up.js';

test('kin up --disable-admission-plugins leaves the named plugins out', () => {
  const f = parseUpFlags(['--disable-admission-plugins', 'ServiceAccount, LimitRanger'], { HOME: '/tmp/kin-home' });
  assert.notEqual(f, 'help');
  assert.deepEqual(f !== 'help' && f.disabledAdmissionPlugins, ['ServiceAccount', 'LimitRanger']);
});

test('kin up refuses an unknown admission plugin as kube-apiserver does', () => {
  assert.throws(() => parseUpFlags(['--disable-admission-plugins', 'Nope'], { HOME: '/tmp/kin-home' }), /disable-admission-plugins plugin "Nope" is unknown/);
});

test('kin up runs every admission plugin by default', () => {
  const f = parseUpFlags([], { HOME: '/tmp/kin-home' });
  assert.equal(f !== 'help' && f.disabledAdmissionPlugins, undefined);
});
