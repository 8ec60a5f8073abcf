'use strict';
// The logger current in an asynchronous flow, carried by AsyncLocalStorage: it follows
// callbacks, promises and `await`, so concurrent requests never see each other's scope.

const { AsyncLocalStorage } = require('node:async_hooks');
const { Logger } = require('./logger');
const { typeName } = require('./text');

const current = new AsyncLocalStorage();

function requireLogger(logger) {
  if (!(logger instanceof Logger)) {
    throw new TypeError(`ferrolog: expected a Logger, not ${typeName(logger)}`);
  }
}

function requireFunction(fn) {
  if (typeof fn !== 'function') throw new TypeError(`ferrolog: expected a function, not ${typeName(fn)}`);
}

/** Runs `fn()` with `logger` current in everything it starts; returns what `fn` returns. */
function withLogger(logger, fn) {
  requireLogger(logger);
  requireFunction(fn);
  return current.run(logger, fn);
}

/** Runs `fn(scope)` with a new scope of `logger` current; returns what `fn` returns. */
function withScope(logger, fn) {
  requireLogger(logger);
  requireFunction(fn);
  const scope = logger.scope();
  return current.run(scope, fn, scope);
}

/** The logger current in this flow, else `fallback`. */
function currentLogger(fallback) {
  return current.getStore() ?? fallback;
}

module.exports = { currentLogger, withLogger, withScope };
