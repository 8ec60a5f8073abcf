'use strict';
// Clients still running when the event loop runs dry get a short flush, so that what a short
// program logged last is sent before it exits.

// Long enough to send what a short program logged last, short enough not to hold up its exit.
const EXIT_DEADLINE_MS = 500;

// Weak, so that tracking never keeps an abandoned client alive.
const running = new Set();
let hooked = false;

function flushRunning() {
  for (const ref of running) {
    const client = ref.deref();
    if (client === undefined) running.delete(ref);
    else client._flushNow(EXIT_DEADLINE_MS);
  }
}

function track(client) {
  client._lifecycleRef = new WeakRef(client);
  running.add(client._lifecycleRef);
  if (!hooked) {
    // Synchronous on purpose: scheduling work here would only raise 'beforeExit' again.
    process.on('beforeExit', flushRunning);
    hooked = true;
  }
}

function forget(client) {
  running.delete(client._lifecycleRef);
}

module.exports = { EXIT_DEADLINE_MS, forget, track };
