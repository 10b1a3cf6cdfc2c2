import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertWebhookUrl, isPrivateAddress } from './address-guard.ts';
import { assertEventTypes, changeTypesOf } from './event-types.ts';
import { backoffMs, retryAfterMs } from './retry-schedule.ts';
import { eventIdOf, newSecret, signatureHeader } from './signing.ts';

test('signatures match the Standard Webhooks test vector', () => {
  const header = signatureHeader(['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
  assert.equal(header, 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  assert.equal(signatureHeader([newSecret(), newSecret()], 'msg_1', 1, '{}').split(' ').length, 2);
  assert.match(newSecret(), /^whsec_[A-Za-z0-9+/]{43}=$/);
});

test('webhook ids are stable per account and position, and differ across accounts', () => {
  assert.equal(eventIdOf('a', 7), eventIdOf('a', 7));
  assert.notEqual(eventIdOf('a', 7), eventIdOf('b', 7));
  assert.notEqual(eventIdOf('a', 7), eventIdOf('a', 8));
});

test('private, loopback, link-local, CGNAT, unspecified and mapped addresses are refused; public ones pass', () => {
  for (const address of ['127.0.0.1', '127.255.0.1', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:a9fe:a9fe', '224.0.0.1']) {
    assert.equal(isPrivateAddress(address), true, address);
  }
  for (const address of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8']) assert.equal(isPrivateAddress(address), false, address);
  assert.throws(() => assertWebhookUrl('http://[::ffff:127.0.0.1]/', false), /url/);
  assert.throws(() => assertWebhookUrl('ftp://example.com/', false), /http or https/);
  assert.throws(() => assertWebhookUrl('http://user:pw@example.com/', false), /credentials/);
  assert.doesNotThrow(() => assertWebhookUrl('http://127.0.0.1:9/', true));
  assert.doesNotThrow(() => assertWebhookUrl('https://hooks.example.com/x', false));
});

test('the retry schedule has jitter within ±20 % and repeats its last step; Retry-After reads seconds and dates', () => {
  const schedule = [5, 300, 1800];
  assert.equal(backoffMs(schedule, 1, () => 0), 4000);
  assert.equal(backoffMs(schedule, 1, () => 1), 6000);
  assert.equal(backoffMs(schedule, 2, () => 0.5), 300_000);
  assert.equal(backoffMs(schedule, 9, () => 0.5), 1_800_000);
  assert.equal(retryAfterMs('3'), 3000);
  const now = Date.parse('2026-12-06T10:00:00Z');
  assert.equal(retryAfterMs('Sun, 06 Dec 2026 10:00:30 GMT', now), 30_000);
  assert.equal(retryAfterMs('soon'), undefined);
  assert.equal(retryAfterMs(null), undefined);
});

test('event types: the issue\'s list and object wildcards; anything else names its index', () => {
  assert.doesNotThrow(() => assertEventTypes(['contact.created', 'contact.*', 'group.*', 'import.completed']));
  assert.throws(() => assertEventTypes(['contact.created', 'webhook.*']), /event_types\[1\]/);
  assert.throws(() => assertEventTypes([]), /event_types/);
  assert.deepEqual(changeTypesOf(['group.*']).sort(), ['group.created', 'group.deleted', 'group.merged', 'group.purged', 'group.restored', 'group.unmerged', 'group.updated']);
});
