'use strict';
// The Express middleware against a listening app and real HTTP requests.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { setTimeout: sleep } = require('node:timers/promises');
const express = require('express');
const ferrolog = require('..');
const { luminalogClient, marker, sent, startCollector } = require('./collector');

let collector;
let client;
let server;
let base;
before(async () => {
  collector = await startCollector();
  client = luminalogClient(collector, { queueSize: 10_000 });
  const root = client.logger();
  const app = express();
  app.use(ferrolog.express.requestHandler(root));
  app.get('/orders/:id', async (req, res) => {
    req.ferrolog.info(`${req.query.m} loading`, { order: req.params.id });
    await sleep(Number(req.query.wait || 0));
    ferrolog.currentLogger(root).info(`${req.query.m} loaded`, { order: req.params.id });
    res.status(req.params.id === 'missing' ? 404 : 200).json({ id: req.params.id });
  });
  app.get('/fail', (req) => {
    throw new Error(`${req.query.m} exploded`, { cause: new RangeError('deeper') });
  });
  app.use(ferrolog.express.errorHandler(root));
  await new Promise((resolve) => { server = app.listen(0, '127.0.0.1', resolve); });
  base = `http://127.0.0.1:${server.address().port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await client.shutdown();
  await collector.stop();
});

test('a request gets a scope, a span continued from its headers, status and duration', async () => {
  const text = marker();
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const answer = await fetch(`${base}/orders/o-7?m=${text}`, {
    headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01`, 'x-request-id': 'req-42' },
  });
  assert.equal(answer.status, 200);
  assert.deepEqual(await answer.json(), { id: 'o-7' });
  const entries = await sent(client, collector, { trace_id: traceId });
  const byMessage = Object.fromEntries(entries.map((entry) => [entry.message, entry]));
  const span = byMessage['GET /orders/o-7'];
  assert.equal(span.kind, 'trace');
  assert.equal(span.parent_span_id, '00f067aa0ba902b7');
  assert.equal(span.attributes['http.status_code'], '200');
  assert.equal(span.details.status, 'ok');
  for (const message of [`${text} loading`, `${text} loaded`]) {
    const entry = byMessage[message];
    assert.equal(entry.span_id, span.span_id, `${message} is logged under the request's span`);
    assert.equal(entry.attributes['http.method'], 'GET');
    assert.equal(entry.attributes['http.path'], '/orders/o-7');
    assert.equal(entry.attributes['http.request_id'], 'req-42');
  }
  const done = byMessage['GET /orders/o-7 200'];
  assert.equal(done.level, 7);
  assert.equal(done.attributes['http.status_code'], 200);
  assert.ok(done.attributes.duration_ms > 0);
});

test('a 404 is logged as a warning', async () => {
  const answer = await fetch(`${base}/orders/missing?m=${marker()}`);
  assert.equal(answer.status, 404);
  const [done] = await sent(client, collector, { text: 'GET /orders/missing 404' });
  assert.equal(done.level, 5);
});

test('an error a handler throws is captured, fails the span, and Express answers 500', async () => {
  const text = marker();
  const answer = await fetch(`${base}/fail?m=${text}`);
  assert.equal(answer.status, 500);
  const [captured] = await sent(client, collector, { text: `${text} exploded` });
  assert.equal(captured.level, 4);
  assert.equal(captured.attributes['http.path'], '/fail');
  const spans = await collector.entries({ trace_id: captured.trace_id, kind: 'trace' });
  assert.equal(spans.length, 1);
  assert.equal(spans[0].details.status, 'error');
  assert.equal(spans[0].attributes['http.status_code'], '500');
  assert.equal(spans[0].span_id, captured.span_id);
});

test('many concurrent requests keep their scopes apart', async () => {
  const text = marker();
  const ids = Array.from({ length: 100 }, (_, index) => `o-${index}`);
  const answers = await Promise.all(ids.map((id, index) => fetch(`${base}/orders/${id}?m=${text}&wait=${index % 7}`, {
    headers: { 'x-request-id': `req-${id}` },
  })));
  assert.deepEqual(answers.map((answer) => answer.status), ids.map(() => 200));
  const entries = await sent(client, collector, { text, limit: '1000' });
  assert.equal(entries.length, 200);
  for (const entry of entries) {
    assert.equal(entry.attributes['http.request_id'], `req-${entry.attributes.order}`);
    assert.equal(entry.attributes['http.path'], `/orders/${entry.attributes.order}`);
  }
  const traces = new Set(entries.map((entry) => entry.trace_id));
  assert.equal(traces.size, 100, 'one trace per request');
});

test('the middleware needs a logger', () => {
  assert.throws(() => ferrolog.express.requestHandler({}), /needs a Logger/);
});
