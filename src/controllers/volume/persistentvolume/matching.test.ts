import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findVolumeFor, type Claim, type Volume } from './matching.js';

const pv = (name: string, size: string, extra: Partial<NonNullable<Volume['spec']>> = {}, labels?: Record<string, string>): Volume => ({
  metadata: { name, ...(labels ? { labels } : {}) },
  spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', ...extra },
});
const claim = (extra: Partial<NonNullable<Claim['spec']>> = {}): Claim => ({
  metadata: { name: 'data', namespace: 'default', uid: 'u1' },
  spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'manual', resources: { requests: { storage: '1Gi' } }, ...extra },
});

const cases: { name: string; claim: Claim; volumes: Volume[]; want: string | undefined }[] = [
  { name: 'the smallest volume that fits wins', claim: claim(), volumes: [pv('big', '10Gi'), pv('small', '2Gi'), pv('tiny', '500Mi')], want: 'small' },
  { name: 'a volume of another class is skipped', claim: claim(), volumes: [pv('other', '1Gi', { storageClassName: 'fast' })], want: undefined },
  { name: 'a volume lacking an access mode is skipped', claim: claim({ accessModes: ['ReadWriteMany'] }), volumes: [pv('rwo', '1Gi')], want: undefined },
  { name: 'a volume bound to another claim is skipped', claim: claim(), volumes: [pv('taken', '1Gi', { claimRef: { namespace: 'default', name: 'other', uid: 'u2' } })], want: undefined },
  { name: 'a volume pre-bound to the claim wins over a smaller free one', claim: claim(), volumes: [pv('free', '1Gi'), pv('mine', '5Gi', { claimRef: { namespace: 'default', name: 'data' } })], want: 'mine' },
  { name: 'the selector must match the volume labels', claim: claim({ selector: { matchLabels: { tier: 'db' } } }), volumes: [pv('a', '1Gi', {}, { tier: 'web' }), pv('b', '3Gi', {}, { tier: 'db' })], want: 'b' },
  { name: 'a claim naming a volume takes only that one', claim: claim({ volumeName: 'named' }), volumes: [pv('small', '1Gi'), pv('named', '8Gi')], want: 'named' },
  { name: 'a claim with no class matches volumes with no class', claim: claim({ storageClassName: '' }), volumes: [pv('classless', '1Gi', { storageClassName: '' })], want: 'classless' },
  { name: 'a released volume is not reused', claim: claim(), volumes: [{ ...pv('old', '1Gi'), status: { phase: 'Released' } }], want: undefined },
];

for (const c of cases) {
  test(`matching: ${c.name}`, () => {
    assert.equal(findVolumeFor(c.claim, c.volumes)?.metadata?.name, c.want);
  });
}
