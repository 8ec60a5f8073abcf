'use strict';
// Loggers and scopes: levelled logs, captured errors, metrics, events, audits, telemetry, spans.

const { lib } = require('./native');
const { newHandle, nonNullArray, own } = require('./handles');
const { check, outcome } = require('./results');
const { LEVEL_METHODS, levelNumber } = require('./levels');
const { causeChain, causeStruct, errorMessage, errorType, frameStruct, isError, parseStack } =
  require('./captured');
const {
  EMPTY, Scratch, attributesJson, headerArray, jsonArg, optionalStrArg, requireString, strArg, typeName,
} = require('./text');
const { Span } = require('./span');

const METRIC_KINDS = { counter: 1, gauge: 2, distribution: 3 };
const NO_FRAME = { function: EMPTY, module: EMPTY, line: 0 };
const NO_CAUSE = { error_type: EMPTY, message: EMPTY };

const scratch = new Scratch();

function finiteNumber(name, value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`ferrolog: ${name} must be a finite number, not ${typeName(value)} ${String(value)}`);
  }
  return value;
}

function options(value) {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object') {
    throw new TypeError(`ferrolog: options must be an object, not ${typeName(value)}`);
  }
  return value;
}

class Logger {
  /** @internal loggers come from Client#logger, Logger#child, Logger#scope and Span#logger. */
  constructor(handle, owner) {
    this._handle = handle;
    this._owner = owner; // keeps the client running while a logger of it lives
    own(this, handle, lib.ferrolog_logger_free);
  }

  /** Logs `message` at `level` (1–8 or a name) with `attributes`: 'ok', 'filtered', 'dropped' or
   * 'shut_down'. */
  log(level, message, attributes) {
    return this._log(levelNumber(level), message, attributes);
  }

  _log(level, message, attributes) {
    requireString('message', message);
    const json = attributesJson(attributes);
    scratch.reserve(message.length + json.length);
    const { buffer, address } = scratch;
    const messageLength = buffer.write(message, 0);
    const jsonLength = json === '' ? 0 : buffer.write(json, messageLength);
    const result = lib.ferrolog_log(this._handle, level, address, messageLength,
      jsonLength === 0 ? 0 : address + messageLength, jsonLength);
    return outcome('ferrolog_log', result);
  }

  /** Whether an entry at `level` would pass the minimum level. */
  enabled(level) {
    return lib.ferrolog_logger_enabled(this._handle, levelNumber(level));
  }

  /** A logger with this logger's attributes and `attributes` on top. */
  child(attributes) {
    const json = attributesJson(attributes);
    const data = Buffer.from(json, 'utf8');
    const handle = newHandle('ferrolog_logger_child',
      (out) => lib.ferrolog_logger_child(this._handle, data.length ? data : null, data.length, out));
    return new Logger(handle, this._owner);
  }

  /** A scope for one request: its own user, request, attributes and breadcrumb trail. */
  scope() {
    const handle = newHandle('ferrolog_logger_scope', (out) => lib.ferrolog_logger_scope(this._handle, out));
    return new Scope(handle, this._owner);
  }

  /** Adds a breadcrumb to this logger's trail; `data` values travel as strings. */
  addBreadcrumb(message, { category, level, data } = {}) {
    const strings = {};
    for (const [key, value] of Object.entries(data ?? {})) strings[key] = String(value);
    check('ferrolog_logger_add_breadcrumb', lib.ferrolog_logger_add_breadcrumb(
      this._handle,
      optionalStrArg('category', category),
      strArg('message', message),
      level === undefined ? 0 : levelNumber(level),
      jsonArg(strings),
    ));
  }

  /**
   * Sends `error` with its type, message, V8 stack frames (innermost first) and `cause` chain.
   * `message`, when given, is the entry's message; the error's text then travels as the
   * attribute `error`. `level` defaults to error; `fingerprint` is a grouping key of yours.
   */
  captureError(error, captureOptions) {
    if (!isError(error)) {
      throw new TypeError(`ferrolog: captureError takes an Error, not ${typeName(error)}`);
    }
    const { message, level, fingerprint, attributes } = options(captureOptions);
    const entryOptions = {};
    if (message !== undefined) requireString('message', (entryOptions.message = message));
    if (level !== undefined) entryOptions.level = levelNumber(level);
    if (fingerprint !== undefined) requireString('fingerprint', (entryOptions.fingerprint = fingerprint));
    const frames = parseStack(error.stack).map(frameStruct);
    const causes = causeChain(error).map(causeStruct);
    const result = lib.ferrolog_capture_error(
      this._handle,
      strArg('error type', errorType(error)),
      strArg('error message', errorMessage(error)),
      nonNullArray(frames, NO_FRAME),
      frames.length,
      nonNullArray(causes, NO_CAUSE),
      causes.length,
      jsonArg(attributes),
      jsonArg(entryOptions),
    );
    return outcome('ferrolog_capture_error', result);
  }

  /** Records a metric; `kind` is 'counter', 'gauge' or 'distribution'. */
  metric(kind, name, value, { unit, attributes } = {}) {
    if (!Object.hasOwn(METRIC_KINDS, kind)) {
      throw new TypeError(`ferrolog: metric kind must be counter, gauge or distribution, not ${String(kind)}`);
    }
    const result = lib.ferrolog_metric(this._handle, METRIC_KINDS[kind], strArg('name', name),
      finiteNumber('value', value), optionalStrArg('unit', unit), jsonArg(attributes));
    return outcome('ferrolog_metric', result);
  }

  counter(name, value = 1, metricOptions) {
    return this.metric('counter', name, value, metricOptions);
  }

  gauge(name, value, metricOptions) {
    return this.metric('gauge', name, value, metricOptions);
  }

  distribution(name, value, metricOptions) {
    return this.metric('distribution', name, value, metricOptions);
  }

  event(name, attributes) {
    return outcome('ferrolog_event', lib.ferrolog_event(this._handle, strArg('name', name), jsonArg(attributes)));
  }

  /** Records that `actor` did `action` to `resource`; never sampled. No `outcome` is success. */
  audit({ action, actor, actorType, resource, resourceId, outcome: result, attributes } = {}) {
    return outcome('ferrolog_audit', lib.ferrolog_audit(
      this._handle,
      strArg('action', action),
      strArg('actor', actor),
      optionalStrArg('actorType', actorType),
      strArg('resource', resource),
      optionalStrArg('resourceId', resourceId),
      optionalStrArg('outcome', result),
      jsonArg(attributes),
    ));
  }

  /** Records readings `[{ name, value, unit? }]` from device `deviceId`. */
  telemetry(deviceId, readings, { managed = false, attributes } = {}) {
    if (!Array.isArray(readings)) {
      throw new TypeError(`ferrolog: readings must be an array, not ${typeName(readings)}`);
    }
    if (typeof managed !== 'boolean') {
      throw new TypeError(`ferrolog: managed must be a boolean, not ${typeName(managed)}`);
    }
    const structs = readings.map((reading) => ({
      name: strArg('reading name', reading?.name),
      value: finiteNumber('reading value', reading?.value),
      unit: optionalStrArg('reading unit', reading?.unit),
    }));
    const noReading = { name: EMPTY, value: 0, unit: EMPTY };
    return outcome('ferrolog_telemetry', lib.ferrolog_telemetry(this._handle, strArg('deviceId', deviceId),
      nonNullArray(structs, noReading), structs.length, managed, jsonArg(attributes)));
  }

  /** Starts a span: a child of the span this logger is bound to, else a new trace's root. */
  span(name, operation) {
    const nameArg = strArg('name', name);
    const operationArg = optionalStrArg('operation', operation);
    const handle = newHandle('ferrolog_span_start',
      (out) => lib.ferrolog_span_start(this._handle, nameArg, operationArg, out));
    return new Span(handle, this._owner);
  }

  /**
   * Starts a span continuing the trace an incoming request's headers carry (`traceparent`,
   * else `X-LogFlux-Trace`), or a new trace without a valid one.
   */
  continueFromHeaders(headers, name, operation) {
    const structs = headerArray(headers);
    const nameArg = strArg('name', name);
    const operationArg = optionalStrArg('operation', operation);
    const handle = newHandle('ferrolog_span_continue_from_headers',
      (out) => lib.ferrolog_span_continue_from_headers(this._handle,
        nonNullArray(structs, { name: EMPTY, value: EMPTY }), structs.length, nameArg, operationArg, out));
    return new Span(handle, this._owner);
  }
}

for (const method of LEVEL_METHODS) {
  const level = levelNumber(method);
  Object.defineProperty(Logger.prototype, method, {
    value: function logAt(message, attributes) {
      return this._log(level, message, attributes);
    },
    writable: true,
    configurable: true,
  });
}

/** A logger for one request, whose user, request and attributes can change. */
class Scope extends Logger {
  setUser(userId) {
    check('ferrolog_logger_set_user', lib.ferrolog_logger_set_user(this._handle, strArg('userId', userId)));
  }

  setRequest(method, path, requestId) {
    check('ferrolog_logger_set_request', lib.ferrolog_logger_set_request(this._handle,
      strArg('method', method), strArg('path', path), optionalStrArg('requestId', requestId)));
  }

  setAttribute(key, value) {
    const keyArg = strArg('key', key);
    check('ferrolog_logger_set_attribute',
      lib.ferrolog_logger_set_attribute(this._handle, keyArg, strArg('value', value)));
  }
}

module.exports = { Logger, Scope };
