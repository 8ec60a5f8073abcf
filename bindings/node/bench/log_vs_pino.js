'use strict';
// The caller's cost of one info log with three attributes: ferrolog beside pino writing to
// /dev/null, in the same run. FERROLOG_BENCH_ENDPOINT names where ferrolog sends (a collector
// started with --discard, say); without it, an address where nothing listens.

const pino = require('pino');
const ferrolog = require('..');

const CALLS = Number(process.env.FERROLOG_BENCH_CALLS || 200_000);
const ROUNDS = 5;
const TARGET_NS = 2000;

function roundNs(log) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) log(i);
  return Number(process.hrtime.bigint() - start) / CALLS;
}

/** The best round of each, the rounds alternating so that both see the same machine. */
function bestOfAlternating(ours, theirs) {
  for (let i = 0; i < 10_000; i++) { ours(i); theirs(i); } // warm-up: let the JIT settle
  const best = { ours: Infinity, theirs: Infinity };
  for (let round = 0; round < ROUNDS; round++) {
    best.ours = Math.min(best.ours, roundNs(ours));
    best.theirs = Math.min(best.theirs, roundNs(theirs));
  }
  return best;
}

async function main() {
  const endpoint = process.env.FERROLOG_BENCH_ENDPOINT || 'http://127.0.0.1:9/v1/logs';
  // A queue that holds a whole round, so that the caller's cost is measured, not drops.
  const client = new ferrolog.Client({
    apiKey: 'bench-key', endpoint, queueSize: 1_000_000, queueMaxBytes: 1 << 30, maxRetries: 0,
  });
  const logger = client.logger();
  const destination = pino.destination({ dest: '/dev/null', sync: true });
  const peer = pino(destination);

  const { ours, theirs } = bestOfAlternating(
    (i) => logger.info('order placed', { order: i, user: 'u-42', region: 'eu' }),
    (i) => peer.info({ order: i, user: 'u-42', region: 'eu' }, 'order placed'),
  );
  await client.shutdown(5000);

  console.log(`== Node ${process.version}: info log with 3 attributes, best of ${ROUNDS} alternating rounds of ${CALLS} calls`);
  console.log(`ferrolog (koffi → core queue)   ${ours.toFixed(0).padStart(6)} ns/call`);
  console.log(`pino → /dev/null                 ${theirs.toFixed(0).padStart(6)} ns/call`);
  console.log(`ratio ferrolog / pino             ${(ours / theirs).toFixed(2).padStart(6)}`);
  console.log(`target ≤ ${TARGET_NS} ns/call: ${ours <= TARGET_NS ? 'met' : 'missed'}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
