'use strict';
// Wrong arguments throw clear TypeErrors or Errors; none reaches the core as garbage.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const ferrolog = require('..');
const { libraryPath, loadLibrary } = require('../src/native');
const { luminalogClient, startCollector } = require('./collector');

let collector;
let client;
let logger;
before(async () => {
  collector = await startCollector();
  client = luminalogClient(collector);
  logger = client.logger();
});
after(async () => {
  await client.shutdown();
  await collector.stop();
});

test('a message that is not a string', () => {
  for (const message of [undefined, null, 42, {}, Buffer.from('x'), Symbol('s')]) {
    assert.throws(() => logger.info(message), { name: 'TypeError', message: /message must be a string/ });
  }
});

test('attributes that are not one JSON object', () => {
  assert.throws(() => logger.info('x', 'flat'), /attributes must be an object, not string/);
  assert.throws(() => logger.info('x', [1, 2]), /attributes must be an object, not an array/);
  assert.throws(() => logger.info('x', null), /attributes must be an object, not null/);
  const circular = {};
  circular.self = circular;
  assert.throws(() => logger.info('x', circular), /cannot be sent as JSON/);
  assert.throws(() => logger.child(5), TypeError);
});

test('levels out of range or unknown', () => {
  assert.throws(() => logger.log(0, 'x'), RangeError);
  assert.throws(() => logger.log(9, 'x'), RangeError);
  assert.throws(() => logger.log(2.5, 'x'), RangeError);
  assert.throws(() => logger.log('loud', 'x'), /unknown level "loud"/);
  assert.throws(() => logger.log(true, 'x'), /a level is a number or a name/);
  assert.throws(() => client.setMinLevel('nope'), RangeError);
});

test('entries with wrong fields', () => {
  assert.throws(() => logger.counter(5), /name must be a string/);
  assert.throws(() => logger.gauge('g', Number.NaN), /value must be a finite number/);
  assert.throws(() => logger.gauge('g', '3'), TypeError);
  assert.throws(() => logger.metric('histogram', 'h', 1), /counter, gauge or distribution/);
  assert.throws(() => logger.event({}), TypeError);
  assert.throws(() => logger.audit({ action: 'a', actor: 'b' }), /resource must be a string/);
  assert.throws(() => logger.telemetry('d', 'readings'), /readings must be an array/);
  assert.throws(() => logger.telemetry('d', [null]), /reading name must be a string/);
  assert.throws(() => logger.telemetry('d', [{ name: 't', value: Infinity }]), /finite number/);
  assert.throws(() => logger.telemetry('d', [], { managed: 'yes' }), /managed must be a boolean/);
});

test('captureError takes an Error', () => {
  for (const value of ['boom', 42, { message: 'x' }, null]) {
    assert.throws(() => logger.captureError(value), { name: 'TypeError', message: /captureError takes an Error/ });
  }
  assert.throws(() => logger.captureError(new Error('x'), { message: 5 }), /message must be a string/);
  assert.throws(() => logger.captureError(new Error('x'), 'opts'), /options must be an object/);
});

test('spans, headers and scopes with wrong arguments', () => {
  assert.throws(() => logger.span(), /name must be a string/);
  assert.throws(() => logger.span('s', 7), /operation must be a string/);
  assert.throws(() => logger.continueFromHeaders('traceparent', 'x'), /headers must be an object/);
  assert.throws(() => logger.continueFromHeaders({ traceparent: 5 }, 'x'), /header traceparent must be a string/);
  const span = logger.span('s');
  assert.throws(() => span.header('b3'), /'traceparent' or 'logflux'/);
  assert.throws(() => span.setAttribute('k', 1), /value must be a string/);
  span.end();
  assert.throws(() => logger.scope().setUser(42), /userId must be a string/);
});

test('timeouts and options with wrong types reject or throw', async () => {
  await assert.rejects(client.flush(-1), TypeError);
  await assert.rejects(client.flush('soon'), TypeError);
  assert.throws(() => new ferrolog.Client('key'), /options must be an object/);
  assert.throws(() => new ferrolog.Client({ apiKey: 'k', batchSize: Number.NaN }), TypeError);
});

test('a library of another ABI is refused with a clear message', () => {
  assert.throws(() => loadLibrary(libraryPath(), 999), (error) => {
    assert.equal(error.message,
      `ferrolog: the core library ${libraryPath()} implements C ABI version 1, but this Node ` +
      'package was written for version 999; rebuild the library so that both come from the same checkout');
    return true;
  });
});

test('a library that is not there is refused with what to do', () => {
  const missing = path.join(__dirname, 'no-such-libferrolog.so');
  assert.throws(() => loadLibrary(missing), /cannot load the core library .*no-such-libferrolog\.so.*make build.*FERROLOG_LIBRARY/);
});
