'use strict';
// The Node quickstart: logs, a child logger, a span with a child, and a captured error with its
// cause, sent to FERROLOG_ENDPOINT (the collector `scripts/demo.sh` starts) over LogFlux.

const ferrolog = require('../../bindings/node');

class OutOfStock extends Error {}

function reserve(sku) {
  try {
    throw new RangeError(`0 rows for ${sku}`);
  } catch (error) {
    throw new OutOfStock(`${sku} is out of stock`, { cause: error });
  }
}

async function main() {
  const client = new ferrolog.Client({
    apiKey: 'eu-lf_demo-key',
    endpoint: process.env.FERROLOG_ENDPOINT || 'http://127.0.0.1:4318',
    source: 'node-quickstart',
    keyPersistence: false,
  });
  const logger = client.logger();
  logger.info('node quickstart started', { pid: process.pid });

  const checkout = logger.child({ service: 'checkout' });
  checkout.warn('cart is large', { items: 42 });

  const span = checkout.span('POST /checkout', 'http.server');
  const traced = span.logger();
  traced.info('charging card', { order: 'o-7' });
  span.child('SELECT stock', 'db.query').end();
  try {
    reserve('sku-7');
  } catch (error) {
    traced.captureError(error, { attributes: { sku: 'sku-7' } });
    span.setError(error.message);
  }
  span.end();

  const delivered = await client.shutdown(10_000);
  console.log(`node quickstart: logs, a child logger, a span, an error with its cause (delivered: ${delivered})`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
