'use strict';
// Metrics, events, audits and telemetry.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { luminalogClient, logfluxClient, marker, sent, startCollector } = require('./collector');

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

test('counters, gauges and distributions', async () => {
  const text = marker();
  const logger = client.logger();
  assert.equal(logger.counter(`${text}.hits`, 2, { unit: '1', attributes: { route: '/a' } }), 'ok');
  logger.counter(`${text}.hits`);
  logger.gauge(`${text}.temperature`, 21.5, { unit: 'C' });
  logger.metric('distribution', `${text}.latency`, 12, { unit: 'ms' });
  const entries = await sent(client, collector, { kind: 'metric', text });
  assert.deepEqual(entries.map((entry) => entry.details), [
    { kind: 'counter', name: `${text}.hits`, unit: '1', value: 2 },
    { kind: 'counter', name: `${text}.hits`, value: 1 },
    { kind: 'gauge', name: `${text}.temperature`, unit: 'C', value: 21.5 },
    { kind: 'distribution', name: `${text}.latency`, unit: 'ms', value: 12 },
  ]);
  assert.deepEqual(entries[0].attributes, { route: '/a' });
});

test('events and audits', async () => {
  const text = marker();
  const logger = client.logger();
  assert.equal(logger.event(`${text}.signup`, { plan: 'pro' }), 'ok');
  assert.equal(logger.audit({
    action: `${text}.delete`, actor: 'alice', actorType: 'user', resource: 'document',
    resourceId: 'doc-9', outcome: 'failure', attributes: { why: 'test' },
  }), 'ok');
  logger.audit({ action: `${text}.view`, actor: 'bob', resource: 'account' });
  const [event, audit, succeeded] = await sent(client, collector, { text });
  assert.equal(event.kind, 'event');
  assert.deepEqual(event.details, { event: `${text}.signup` });
  assert.deepEqual(event.attributes, { plan: 'pro' });
  assert.equal(audit.kind, 'audit');
  assert.deepEqual(audit.details, {
    action: `${text}.delete`, actor: 'alice', actor_type: 'user', resource: 'document',
    resource_id: 'doc-9', outcome: 'failure',
  });
  assert.equal(audit.attributes.why, 'test');
  assert.equal(succeeded.details.outcome, 'success');
});

test('telemetry readings, plain and managed (LogFlux)', async () => {
  const device = marker();
  const logflux = logfluxClient(collector);
  const logger = logflux.logger();
  assert.equal(logger.telemetry(device, [{ name: 'temp', value: 21.5, unit: 'C' }, { name: 'humidity', value: 40 }],
    { attributes: { site: 'lab' } }), 'ok');
  assert.equal(logger.telemetry(device, [{ name: 'volts', value: 3.3 }], { managed: true }), 'ok');
  await sent(logflux, collector);
  await logflux.shutdown();
  const plain = (await collector.entries({ kind: 'telemetry' })).filter((entry) => entry.details.device_id === device);
  const managed = (await collector.entries({ kind: 'telemetry_managed' }))
    .filter((entry) => entry.details.device_id === device);
  assert.equal(plain.length, 1);
  assert.deepEqual(plain[0].details.readings.map((reading) => [reading.name, reading.value]),
    [['temp', 21.5], ['humidity', 40]]);
  assert.equal(plain[0].attributes.site, 'lab');
  assert.equal(managed.length, 1);
});
