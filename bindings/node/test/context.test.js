'use strict';
// Scopes carried by AsyncLocalStorage: many concurrent flows, each logging with its own.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setTimeout: sleep } = require('node:timers/promises');
const ferrolog = require('..');
const { luminalogClient, marker, sent, startCollector } = require('./collector');

let collector;
let client;
before(async () => {
  collector = await startCollector();
  client = luminalogClient(collector, { queueSize: 10_000 });
});
after(async () => {
  await client.shutdown();
  await collector.stop();
});

test('outside any scope, currentLogger gives the fallback', () => {
  const root = client.logger();
  assert.equal(ferrolog.currentLogger(root), root);
  assert.equal(ferrolog.currentLogger(), undefined);
});

test('two hundred concurrent async flows each keep their own scope across awaits', async () => {
  const text = marker();
  const root = client.logger();
  const flows = Array.from({ length: 200 }, (_, index) => ferrolog.withScope(root, async (scope) => {
    scope.setUser(`user-${index}`);
    scope.setAttribute('flow', String(index));
    await sleep(Math.random() * 20);
    ferrolog.currentLogger(root).info(`${text} first`, { index });
    await Promise.resolve();
    await sleep(Math.random() * 20);
    await new Promise((resolve) => setImmediate(resolve));
    ferrolog.currentLogger(root).info(`${text} second`, { index });
    return index;
  }));
  assert.deepEqual(await Promise.all(flows), Array.from({ length: 200 }, (_, index) => index));
  const entries = await sent(client, collector, { text, limit: '1000' });
  assert.equal(entries.length, 400);
  for (const entry of entries) {
    assert.equal(entry.attributes['user.id'], `user-${entry.attributes.index}`);
    assert.equal(entry.attributes.flow, String(entry.attributes.index));
  }
});

test('withLogger makes any logger current, and nests', () => {
  const outer = client.logger().child({ layer: 'outer' });
  const inner = client.logger().child({ layer: 'inner' });
  ferrolog.withLogger(outer, () => {
    assert.equal(ferrolog.currentLogger(), outer);
    ferrolog.withLogger(inner, () => assert.equal(ferrolog.currentLogger(), inner));
    assert.equal(ferrolog.currentLogger(), outer);
  });
  assert.equal(ferrolog.currentLogger(), undefined);
});

test('scopes refuse what is not a logger or a function', () => {
  assert.throws(() => ferrolog.withScope({}, () => {}), /expected a Logger/);
  assert.throws(() => ferrolog.withLogger(client.logger(), 'nope'), /expected a function/);
});
