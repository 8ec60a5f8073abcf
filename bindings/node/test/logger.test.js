'use strict';
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const ferrolog = require('..');
const { logfluxClient, luminalogClient, marker, sent, startCollector } = require('./collector');

let collector;
let client;
before(async () => {
  collector = await startCollector();
  client = luminalogClient(collector, { source: 'node-tests', environment: 'test' });
});
after(async () => {
  await client.shutdown();
  await collector.stop();
});

test('a log arrives with its level, message and attributes', async () => {
  const text = marker();
  assert.equal(client.logger().info(`${text} placed`, { order: 7, user: 'u-1', nested: { ok: true } }), 'ok');
  const [entry] = await sent(client, collector, { text });
  assert.equal(entry.kind, 'log');
  assert.equal(entry.level, 7);
  assert.equal(entry.message, `${text} placed`);
  assert.equal(entry.attributes.order, 7);
  assert.equal(entry.attributes.user, 'u-1');
  assert.deepEqual(entry.attributes.nested, { ok: true });
});

test('NaN and the infinities travel as null, as in every binding', async () => {
  const text = marker();
  client.logger().info(text, { ratio: Number.NaN, top: Number.POSITIVE_INFINITY });
  const [entry] = await sent(client, collector, { text });
  assert.deepEqual(entry.attributes, { ratio: null, top: null });
});

test('every level method logs at its level (LogFlux keeps all eight)', async () => {
  const text = marker();
  const logflux = logfluxClient(collector);
  const logger = logflux.logger();
  const expected = { emergency: 1, alert: 2, critical: 3, fatal: 3, error: 4, warning: 5, warn: 5, notice: 6, info: 7 };
  for (const method of Object.keys(expected)) logger[method](`${text} ${method}`);
  const entries = await sent(logflux, collector, { text });
  await logflux.shutdown();
  const levels = Object.fromEntries(entries.map((entry) => [entry.message.split(' ')[1], entry.level]));
  assert.deepEqual(levels, expected);
});

test('log takes a level by number or by either name set', async () => {
  const text = marker();
  const logger = client.logger();
  logger.log(4, `${text} number`);
  logger.log('WARN', `${text} name`);
  const entries = await sent(client, collector, { text });
  assert.deepEqual(entries.map((entry) => entry.level).sort(), [4, 5]);
});

test('the minimum level filters, and changes at run time', async () => {
  const text = marker();
  const logger = client.logger();
  client.setMinLevel('info');
  assert.equal(logger.enabled('debug'), false);
  assert.equal(logger.debug(`${text} hidden`), 'filtered');
  client.setMinLevel('debug');
  try {
    assert.equal(logger.enabled(8), true);
    assert.equal(logger.debug(`${text} shown`), 'ok');
  } finally {
    client.setMinLevel('debug');
  }
  const entries = await sent(client, collector, { text });
  assert.deepEqual(entries.map((entry) => entry.message), [`${text} shown`]);
});

test('a child carries its attributes and its parent\'s, an entry\'s own winning', async () => {
  const text = marker();
  const child = client.logger().child({ service: 'cart', region: 'eu' });
  const grandchild = child.child({ region: 'us', worker: 3 });
  grandchild.info(text, { worker: 4 });
  const [entry] = await sent(client, collector, { text });
  assert.equal(entry.attributes.service, 'cart');
  assert.equal(entry.attributes.region, 'us');
  assert.equal(entry.attributes.worker, 4);
});

test('text beyond ASCII travels as UTF-8', async () => {
  const text = marker();
  const message = `${text} Grüße, 東京 🚀`;
  client.logger().info(message, { city: 'Zürich' });
  const [entry] = await sent(client, collector, { text });
  assert.equal(entry.message, message);
  assert.equal(entry.attributes.city, 'Zürich');
});

test('a message larger than the scratch buffer arrives whole', async () => {
  const text = marker();
  const message = `${text} ${'é'.repeat(10_000)}`;
  client.logger().info(message, { long: 'x'.repeat(5000) });
  const [entry] = await sent(client, collector, { text });
  assert.equal(entry.message, message);
});

test('BigInt attributes travel as strings', async () => {
  const text = marker();
  client.logger().info(text, { big: 12345678901234567890n });
  const [entry] = await sent(client, collector, { text });
  assert.equal(entry.attributes.big, '12345678901234567890');
});

test('a scope carries its user, request, attributes and breadcrumbs', async () => {
  const text = marker();
  const scope = client.logger().scope();
  assert.ok(scope instanceof ferrolog.Scope);
  scope.setUser('usr_1');
  scope.setRequest('POST', '/checkout', 'req-9');
  scope.setAttribute('tenant', 'acme');
  scope.info(text);
  const [entry] = await sent(client, collector, { text });
  assert.equal(entry.attributes['user.id'], 'usr_1');
  assert.equal(entry.attributes['http.method'], 'POST');
  assert.equal(entry.attributes['http.path'], '/checkout');
  assert.equal(entry.attributes['http.request_id'], 'req-9');
  assert.equal(entry.attributes.tenant, 'acme');
});
