'use strict';
// Errors captured with their type, message, V8 frames, cause chain and breadcrumbs (LogFlux
// carries all of them).
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { logfluxClient, marker, sent, startCollector } = require('./collector');

let collector;
let client;
before(async () => {
  collector = await startCollector();
  client = logfluxClient(collector);
});
after(async () => {
  await client.shutdown();
  await collector.stop();
});

class PaymentDeclined extends Error {}

function charge(card) {
  throw new RangeError(`no card ${card}`);
}

function checkout(card) {
  try {
    charge(card);
  } catch (error) {
    throw new PaymentDeclined('card refused', { cause: error });
  }
}

function caught(fn, ...args) {
  try {
    fn(...args);
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

test('an error travels with its type, message, frames and cause chain', async () => {
  const text = marker();
  const error = caught(checkout, '4111');
  assert.equal(client.logger().captureError(error, { message: text, attributes: { order: 'o-1' } }), 'ok');
  const [entry] = await sent(client, collector, { text });
  assert.equal(entry.level, 4);
  assert.equal(entry.error.type, 'PaymentDeclined');
  assert.equal(entry.attributes.error, 'card refused');
  assert.equal(entry.attributes.order, 'o-1');
  assert.deepEqual(entry.error.error_chain, [
    { type: 'PaymentDeclined', message: 'card refused' },
    { type: 'RangeError', message: 'no card 4111' },
  ]);
  const [innermost, next] = entry.error.stack_trace;
  assert.equal(innermost.function, 'checkout', 'innermost first');
  assert.equal(innermost.file, __filename);
  assert.equal(innermost.line, 29, 'the line of `throw new PaymentDeclined`');
  assert.equal(next.function, 'caught');
});

test('without a message the error\'s text is the entry\'s; level and fingerprint are the caller\'s', async () => {
  const text = marker();
  client.logger().captureError(new TypeError(text), { level: 'critical', fingerprint: 'fp-1' });
  const [entry] = await sent(client, collector, { text });
  assert.equal(entry.message, text);
  assert.equal(entry.level, 3);
  assert.equal(entry.error.type, 'TypeError');
  assert.equal(entry.attributes['error.fingerprint'], 'fp-1');
  assert.equal(entry.error.error_chain, undefined);
});

test('a cause that is not an Error, and a cycle of causes, end the chain cleanly', async () => {
  const text = marker();
  const looped = new Error(text);
  const middle = new Error('middle', { cause: looped });
  looped.cause = middle;
  const withString = new Error(`${text} string`, { cause: 'disk full' });
  const logger = client.logger();
  logger.captureError(looped);
  logger.captureError(withString);
  const entries = await sent(client, collector, { text });
  const chains = Object.fromEntries(entries.map((entry) => [entry.message, entry.error.error_chain]));
  assert.deepEqual(chains[text].map((link) => link.message), [text, 'middle']);
  assert.deepEqual(chains[`${text} string`][1], { type: 'string', message: 'disk full' });
});

test('an error without a stack has no frames', async () => {
  const text = marker();
  const error = new Error(text);
  error.stack = undefined;
  client.logger().captureError(error);
  const [entry] = await sent(client, collector, { text });
  assert.equal(entry.error.stack_trace, undefined);
});

test('breadcrumbs travel with a captured error', async () => {
  const text = marker();
  const scope = client.logger().scope();
  scope.addBreadcrumb('opened the cart', { category: 'ui', level: 'info', data: { items: 3 } });
  scope.captureError(new Error(text));
  const [entry] = await sent(client, collector, { text });
  const crumbs = entry.error.breadcrumbs;
  assert.deepEqual(crumbs.map((crumb) => [crumb.message, crumb.category]), [['opened the cart', 'ui']]);
  assert.deepEqual(crumbs[0].data, { items: '3' });
});
