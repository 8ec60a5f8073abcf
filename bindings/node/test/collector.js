'use strict';
// The real collector, started once per test file on an ephemeral port, and clients sending to it.

const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { randomUUID } = require('node:crypto');
const ferrolog = require('..');

const COLLECTOR = process.env.FERROLOG_COLLECTOR ||
  path.resolve(__dirname, '../../../target/release/ferrolog-collector');
const LISTENING = 'ferrolog-collector listening on ';

async function startCollector() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ferrolog-node-'));
  const child = spawn(COLLECTOR, ['--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  const first = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the collector did not start within 10 s')), 10_000);
    lines.once('line', (line) => { clearTimeout(timer); resolve(line.trim()); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the collector exited with ${code}`)); });
  });
  lines.on('line', () => {}); // keep draining its stdout
  if (!first.startsWith(LISTENING)) throw new Error(`the collector said ${JSON.stringify(first)}`);
  const url = first.slice(LISTENING.length);
  return {
    url,
    async entries(filters = {}) {
      const query = new URLSearchParams(filters).toString();
      const answer = await fetch(`${url}/api/entries?${query}`, { signal: AbortSignal.timeout(5000) });
      if (!answer.ok) throw new Error(`the collector answered ${answer.status}: ${await answer.text()}`);
      return answer.json();
    },
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A LuminaLog client: the protocol of a plain key. */
function luminalogClient(collector, options = {}) {
  return new ferrolog.Client({ apiKey: 'test-key', endpoint: `${collector.url}/v1/logs`, ...options });
}

/** A LogFlux client: its wire carries an error's whole cause chain and structured frames. */
function logfluxClient(collector, options = {}) {
  return new ferrolog.Client({ apiKey: 'eu-lf_test-key', endpoint: collector.url, keyPersistence: false, ...options });
}

/** What the collector stored, once the client has delivered everything logged so far. */
async function sent(client, collector, filters) {
  if (!(await client.flush(5000))) throw new Error('the client did not deliver within 5 s');
  return collector.entries(filters);
}

/** A text no other test logs, to find one test's entries. */
function marker() {
  return randomUUID().replaceAll('-', '');
}

module.exports = { logfluxClient, luminalogClient, marker, sent, startCollector };
