'use strict';
// Express middleware: each request gets its own scope and a span continued from the caller's
// trace headers, current for every handler through AsyncLocalStorage; its end logs the status
// and duration. The error handler captures what a handler threw.

const { Logger } = require('./logger');
const { withLogger } = require('./context');
const { typeName } = require('./text');

const REQUEST_SPAN = Symbol('ferrolog request span');

function requireLogger(logger) {
  if (!(logger instanceof Logger)) {
    throw new TypeError(`ferrolog: the Express middleware needs a Logger, not ${typeName(logger)}`);
  }
}

function firstHeader(value) {
  return Array.isArray(value) ? value[0] : value;
}

function levelOf(status) {
  if (status >= 500) return 'error';
  return status >= 400 ? 'warning' : 'info';
}

/**
 * `app.use(requestHandler(logger))`: `req.ferrolog` is the request's logger (its scope, bound
 * to its span), and `currentLogger()` returns it in every handler and what they await.
 */
function requestHandler(logger) {
  requireLogger(logger);
  return function ferrologRequest(req, res, next) {
    const started = process.hrtime.bigint();
    const path = (req.originalUrl || req.url || '/').split('?')[0];
    const scope = logger.scope();
    scope.setRequest(req.method, path, firstHeader(req.headers['x-request-id']) ?? '');
    const span = scope.continueFromHeaders(req.headers, `${req.method} ${path}`, 'http.server');
    const requestLogger = span.logger();
    req.ferrolog = requestLogger;
    req[REQUEST_SPAN] = span;
    const finish = () => {
      if (span.ended) return;
      const aborted = !res.writableFinished;
      const status = res.statusCode;
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      span.setAttribute('http.status_code', String(status));
      if (aborted) span.setError('the connection closed before the response was sent');
      else if (status >= 500) span.setError(`HTTP ${status}`);
      requestLogger.log(aborted ? 'warning' : levelOf(status), `${req.method} ${path} ${status}`,
        { 'http.status_code': status, duration_ms: durationMs, aborted });
      span.end();
    };
    res.once('finish', finish);
    res.once('close', finish);
    withLogger(requestLogger, next);
  };
}

/**
 * `app.use(errorHandler(logger))`, after the routes: captures the error with the request's
 * logger (else `logger`), fails its span, and passes the error on to Express.
 */
function errorHandler(logger) {
  requireLogger(logger);
  return function ferrologError(error, req, _res, next) {
    const requestLogger = req.ferrolog ?? logger;
    if (error instanceof Error) requestLogger.captureError(error);
    else requestLogger.error(`a handler failed with ${String(error)}`);
    req[REQUEST_SPAN]?.setError(error instanceof Error ? error.message || error.name : String(error));
    next(error);
  };
}

module.exports = { errorHandler, requestHandler };
