'use strict';
// Spans: ids, parents, propagation headers in and out, errors and loggers bound to them.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const ferrolog = require('..');
const { luminalogClient, marker, sent, startCollector } = require('./collector');

let collector;
let client;
before(async () => {
  collector = await startCollector();
  client = luminalogClient(collector);
});
after(async () => {
  await client.shutdown();
  await collector.stop();
});

function traceparentIds(header) {
  const [version, traceId, spanId, flags] = header.split('-');
  assert.deepEqual([version, flags], ['00', '01']);
  return [traceId, spanId];
}

test('a span and its child share the trace; a span logger stamps its ids', async () => {
  const text = marker();
  const root = client.logger().span(`${text} root`, 'http.server');
  root.setAttribute('route', '/orders');
  const child = root.child(`${text} query`, 'db');
  child.logger().info(`${text} inside`);
  const [traceId, rootId] = traceparentIds(root.header('traceparent'));
  const [, childId] = traceparentIds(child.header());
  assert.equal(child.end(), 'ok');
  assert.equal(root.end(), 'ok');
  assert.ok(root.ended);
  const [inside, childEntry, rootEntry] = await sent(client, collector, { text });
  assert.deepEqual([rootEntry.kind, rootEntry.trace_id, rootEntry.span_id], ['trace', traceId, rootId]);
  assert.equal(rootEntry.parent_span_id, undefined);
  assert.equal(rootEntry.details.operation, 'http.server');
  assert.equal(rootEntry.details.status, 'ok');
  assert.deepEqual(rootEntry.attributes, { route: '/orders' });
  assert.deepEqual([childEntry.trace_id, childEntry.span_id, childEntry.parent_span_id], [traceId, childId, rootId]);
  assert.deepEqual([inside.kind, inside.trace_id, inside.span_id], ['log', traceId, childId]);
});

test('inject writes both propagation headers, into an object or a Headers', () => {
  const span = client.logger().span('inject');
  const [traceId, spanId] = traceparentIds(span.header());
  const plain = span.inject({ accept: '*/*' });
  assert.equal(plain.accept, '*/*');
  assert.equal(plain.traceparent, span.header('traceparent'));
  assert.ok(plain['x-logflux-trace'].startsWith(`${traceId}-${spanId}`));
  const headers = span.inject(new Headers());
  assert.equal(headers.get('traceparent'), plain.traceparent);
  span.end();
});

test('continueFromHeaders joins the caller\'s trace, from an object or a Headers', async () => {
  const text = marker();
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const parentId = '00f067aa0ba902b7';
  const value = `00-${traceId}-${parentId}-01`;
  client.logger().continueFromHeaders({ TraceParent: value, accept: ['a', 'b'] }, `${text} object`, 'http.server').end();
  client.logger().continueFromHeaders(new Headers({ traceparent: value }), `${text} headers`).end();
  const entries = await sent(client, collector, { text });
  assert.equal(entries.length, 2);
  for (const entry of entries) assert.deepEqual([entry.trace_id, entry.parent_span_id], [traceId, parentId]);
});

test('an injected span is continued downstream', async () => {
  const text = marker();
  const upstream = client.logger().span(`${text} up`);
  const downstream = client.logger().continueFromHeaders(upstream.inject(), `${text} down`);
  downstream.end();
  upstream.end();
  const [down, up] = await sent(client, collector, { text });
  assert.equal(down.trace_id, up.trace_id);
  assert.equal(down.parent_span_id, up.span_id);
});

test('without trace headers a new trace starts', async () => {
  const text = marker();
  client.logger().continueFromHeaders({}, text).end();
  const [entry] = await sent(client, collector, { text });
  assert.equal(entry.trace_id.length, 32);
  assert.equal(entry.parent_span_id, undefined);
});

test('run ends the span, and fails it with what was thrown or rejected', async () => {
  const text = marker();
  const logger = client.logger();
  assert.equal(logger.span(`${text} sync`).run((span) => span.ended), false);
  await assert.rejects(logger.span(`${text} async`).run(async () => { throw new Error('boom'); }), /boom/);
  assert.throws(() => logger.span(`${text} throws`).run(() => { throw new RangeError('bad'); }), RangeError);
  const entries = await sent(client, collector, { text });
  const byName = Object.fromEntries(entries.map((entry) => [entry.message.split(' ')[1], entry]));
  assert.equal(byName.sync.details.status, 'ok');
  assert.equal(byName.async.details.status, 'error');
  assert.equal(byName.async.attributes['error.message'], 'boom');
  assert.equal(byName.throws.attributes['error.message'], 'bad');
});

test('a span ends once', async () => {
  const text = marker();
  const span = client.logger().span(text);
  span.end();
  assert.throws(() => span.end(), ferrolog.FerrologError);
  assert.equal((await sent(client, collector, { text })).length, 1);
});

test('trace ids from incoming headers, in LuminaLog\'s order', () => {
  assert.equal(ferrolog.traceIdFromHeaders({ 'x-trace-id': 't-1', 'x-request-id': 'r-1' }), 't-1');
  assert.equal(ferrolog.traceIdFromHeaders({ 'x-request-id': 'r-1' }), 'r-1');
  assert.equal(ferrolog.traceIdFromHeaders({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }),
    '4bf92f3577b34da6a3ce929d0e0e4736');
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  assert.match(ferrolog.traceIdFromHeaders({}), uuid);
  assert.match(ferrolog.generateTraceId(), uuid);
  assert.notEqual(ferrolog.generateTraceId(), ferrolog.generateTraceId());
});
