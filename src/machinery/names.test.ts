import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isValidPathSegmentName,
  isWildcardDNS1123Subdomain,
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  nameIsPathSegment,
} from './names.js';

const subdomainMsg =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const labelMsg =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const dns1035Msg =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

const cases: { name: string; check: (v: string) => string[]; value: string; errors: string[] }[] = [
  { name: 'subdomain accepts dots', check: isDNS1123Subdomain, value: 'example.com', errors: [] },
  { name: 'subdomain accepts digits first', check: isDNS1123Subdomain, value: '1-a.b2', errors: [] },
  { name: 'subdomain rejects capitals', check: isDNS1123Subdomain, value: 'Example', errors: [subdomainMsg] },
  { name: 'subdomain rejects a trailing dash', check: isDNS1123Subdomain, value: 'a-', errors: [subdomainMsg] },
  { name: 'subdomain rejects empty', check: isDNS1123Subdomain, value: '', errors: [subdomainMsg] },
  { name: 'subdomain of 253 characters is fine', check: isDNS1123Subdomain, value: 'a'.repeat(253), errors: [] },
  { name: 'subdomain of 254 characters is too long', check: isDNS1123Subdomain, value: 'a'.repeat(254), errors: ['must be no more than 253 characters'] },
  { name: 'label accepts a dash inside', check: isDNS1123Label, value: 'my-name', errors: [] },
  { name: 'label rejects dots with its own message', check: isDNS1123Label, value: 'a.b', errors: ['must not contain dots'] },
  { name: 'label rejects underscores', check: isDNS1123Label, value: 'a_b', errors: [labelMsg] },
  { name: 'label of 64 characters is too long', check: isDNS1123Label, value: 'a'.repeat(64), errors: ['must be no more than 63 characters'] },
  { name: 'DNS-1035 label must start with a letter', check: isDNS1035Label, value: '1abc', errors: [dns1035Msg] },
  { name: 'DNS-1035 label accepts my-svc', check: isDNS1035Label, value: 'my-svc', errors: [] },
  { name: 'wildcard subdomain accepts *.example.com', check: isWildcardDNS1123Subdomain, value: '*.example.com', errors: [] },
  { name: 'path segment rejects ..', check: isValidPathSegmentName, value: '..', errors: ["may not be '..'"] },
  { name: 'path segment rejects slash and percent', check: isValidPathSegmentName, value: 'a/b%c', errors: ["may not contain '/'", "may not contain '%'"] },
  { name: 'path segment accepts capitals and colons', check: isValidPathSegmentName, value: 'system:Admin', errors: [] },
];

for (const c of cases) {
  test(c.name, () => assert.deepEqual(c.check(c.value), c.errors));
}

test('generateName prefixes may end with a dash', () => {
  assert.deepEqual(nameIsDNSSubdomain('web-', true), []);
  assert.deepEqual(nameIsDNSLabel('web-', true), []);
  assert.deepEqual(nameIsDNS1035Label('web-', true), []);
  assert.deepEqual(nameIsDNSSubdomain('web-', false), [subdomainMsg]);
});

test('a one-character dash prefix is not masked', () => {
  assert.deepEqual(nameIsDNSSubdomain('-', true), [subdomainMsg]);
});

test('path segment prefixes may be . but not contain a slash', () => {
  assert.deepEqual(nameIsPathSegment('.', true), []);
  assert.deepEqual(nameIsPathSegment('a/', true), ["may not contain '/'"]);
});
