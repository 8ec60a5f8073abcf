'use strict';
// Options, the environment, flush and shutdown as Promises, counters, and the closed client.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const ferrolog = require('..');
const { luminalogClient, marker, sent, startCollector } = require('./collector');

let collector;
before(async () => {
  collector = await startCollector();
});
after(async () => {
  await collector.stop();
});

test('options in camelCase or snake_case reach the core; a refused one names itself', async () => {
  const text = marker();
  const client = luminalogClient(collector, { environment: 'staging', project_id: 'p-1', batchSize: 10 });
  client.logger().info(text);
  const [entry] = await sent(client, collector, { text });
  assert.equal(entry.environment, 'staging');
  await client.shutdown();
  assert.throws(() => luminalogClient(collector, { batchSize: 'many' }), (error) => {
    assert.ok(error instanceof ferrolog.ConfigError);
    assert.equal(error.option, 'batch_size');
    assert.match(error.message, /batch_size.*whole number/);
    return true;
  });
  assert.throws(() => new ferrolog.Client({ apiKey: 'k', noSuchOption: '1' }), /no_such_option/);
  assert.throws(() => new ferrolog.Client({ endpoint: collector.url }), /api_key/);
  assert.throws(() => luminalogClient(collector, { batchSize: {} }), TypeError);
});

test('fromEnv reads the environment, explicit overrides winning', async () => {
  const text = marker();
  process.env.FERROLOG_API_KEY = 'env-key';
  process.env.FERROLOG_ENDPOINT = `${collector.url}/v1/logs`;
  process.env.FERROLOG_ENVIRONMENT = 'from-env';
  try {
    const client = ferrolog.Client.fromEnv({ release: 'r-2' });
    client.logger().info(text);
    const [entry] = await sent(client, collector, { text });
    assert.equal(entry.environment, 'from-env');
    await client.shutdown();
    process.env.FERROLOG_BATCH_SIZE = 'lots';
    assert.throws(() => ferrolog.Client.fromEnv(), /FERROLOG_BATCH_SIZE/);
  } finally {
    for (const name of ['FERROLOG_API_KEY', 'FERROLOG_ENDPOINT', 'FERROLOG_ENVIRONMENT', 'FERROLOG_BATCH_SIZE']) {
      delete process.env[name];
    }
  }
});

test('flush and shutdown are Promises that leave the event loop free', async () => {
  // An endpoint that accepts the connection and never answers: only the deadline ends the wait.
  const net = require('node:net');
  const sockets = new Set();
  const silent = net.createServer((socket) => sockets.add(socket));
  await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const client = new ferrolog.Client({
    apiKey: 'k', endpoint: `http://127.0.0.1:${silent.address().port}/v1/logs`, maxRetries: 0, httpTimeout: 5,
  });
  client.logger().info('owed');
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 10);
  const started = Date.now();
  const flushed = client.flush(400);
  assert.ok(flushed instanceof Promise);
  assert.equal(await flushed, false, 'the deadline came first');
  assert.ok(ticks >= 10, `timers ran while the flush waited (${ticks} ticks)`);
  assert.equal(typeof (await client.shutdown(300)), 'boolean');
  clearInterval(ticker);
  assert.ok(Date.now() - started < 3000, 'both calls kept their deadlines');
  for (const socket of sockets) socket.destroy();
  silent.close();
});

test('stats count what was accepted and sent', async () => {
  const client = luminalogClient(collector);
  for (let i = 0; i < 5; i++) client.logger().info(`stats ${i}`);
  assert.equal(await client.flush(5000), true);
  const stats = client.stats();
  assert.equal(stats.accepted, 5);
  assert.equal(stats.sent, 5);
  assert.equal(stats.dropped.queue_overflow, 0);
  await client.shutdown();
});

test('a shut-down client refuses work with a clear error; its loggers answer shut_down', async () => {
  const client = luminalogClient(collector);
  const logger = client.logger();
  assert.equal(await client.shutdown(), true);
  assert.equal(await client.shutdown(), true, 'a second shutdown does nothing');
  assert.equal(logger.info('late'), 'shut_down', 'logging during shutdown never throws');
  assert.equal(logger.counter('late'), 'shut_down');
  assert.throws(() => client.logger(), /has been shut down/);
  assert.throws(() => client.stats(), /has been shut down/);
  await assert.rejects(client.flush(), /has been shut down/);
});

test('a short program\'s last logs are flushed before it exits', async () => {
  const text = marker();
  const script = `
    const ferrolog = require(${JSON.stringify(path.resolve(__dirname, '..'))});
    const client = new ferrolog.Client({ apiKey: 'k', endpoint: ${JSON.stringify(`${collector.url}/v1/logs`)},
      flushInterval: 60 });
    client.logger().info(${JSON.stringify(text)});
  `;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(run.status, 0, run.stderr);
  const entries = await collector.entries({ text });
  assert.equal(entries.length, 1, 'sent by the beforeExit flush, not the 60 s timer');
});

test('the version and the ABI the package was written for', () => {
  assert.match(ferrolog.version, /^\d+\.\d+\.\d+/);
  assert.equal(ferrolog.EXPECTED_ABI_VERSION, 1);
});
