'use strict';
// The client: options in, the core started, flush, shutdown and counters out.

const { lib } = require('./native');
const { newHandle, own } = require('./handles');
const { ConfigError, FerrologError, Result, check, takeErrorMessage } = require('./results');
const { levelNumber } = require('./levels');
const { readString, typeName } = require('./text');
const { Logger } = require('./logger');
const lifecycle = require('./lifecycle');

const DEFAULT_TIMEOUT_MS = 2000;

/** An option's key as the core names it: `apiKey` and `api_key` are both `api_key`. */
function optionKey(key) {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** An option's string form, as `ferrolog_config_set` and the environment take it. */
function optionText(key, value) {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return String(value);
  throw new TypeError(`ferrolog: option ${key} must be a string, boolean or finite number, not ${typeName(value)}`);
}

function milliseconds(timeoutMs) {
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new TypeError(`ferrolog: timeoutMs must be a finite number >= 0, not ${typeName(timeoutMs)} ${String(timeoutMs)}`);
  }
  return Math.round(timeoutMs);
}

/** Runs a call that may answer an error object, throwing it as a ConfigError. */
function configCall(call, option, invoke) {
  const error = [null];
  const result = invoke(error);
  if (result !== Result.OK) {
    const detail = error[0] ? takeErrorMessage(error[0]) : '';
    throw new ConfigError(call, result, detail, option);
  }
}

function setOption(config, key, value) {
  const keyBytes = Buffer.from(key, 'utf8');
  const valueBytes = Buffer.from(value, 'utf8');
  configCall('ferrolog_config_set', key, (error) => lib.ferrolog_config_set(
    config, keyBytes, keyBytes.length, valueBytes, valueBytes.length, error));
}

function configured(options, fromEnv) {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`ferrolog: options must be an object, not ${typeName(options)}`);
  }
  const texts = [];
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) texts.push([optionKey(key), optionText(key, value)]);
  }
  const config = newHandle('ferrolog_config_new', (out) => lib.ferrolog_config_new(out));
  try {
    if (fromEnv) configCall('ferrolog_config_apply_env', null, (error) => lib.ferrolog_config_apply_env(config, error));
    for (const [key, value] of texts) setOption(config, key, value);
    const out = [null];
    configCall('ferrolog_client_new', null, (error) => lib.ferrolog_client_new(config, out, error));
    return out[0];
  } finally {
    lib.ferrolog_config_free(config);
  }
}

/** A running ferrolog client: `new Client({ apiKey: '…', endpoint: '…' })`. */
class Client {
  /** Every option of the README's table, camelCase or snake_case; values strings, booleans or numbers. */
  constructor(options = {}) {
    this._start(options, false);
  }

  /** A client configured from the environment (`FERROLOG_*`, `LOGFLUX_*`, …), then `overrides`. */
  static fromEnv(overrides = {}) {
    const client = Object.create(Client.prototype);
    client._start(overrides, true);
    return client;
  }

  _start(options, fromEnv) {
    this._handle = configured(options, fromEnv);
    this._closed = false;
    own(this, this._handle, lib.ferrolog_client_free);
    lifecycle.track(this);
  }

  _open(call) {
    if (this._closed) throw new FerrologError(call, Result.SHUT_DOWN, 'the client has been shut down');
    return this._handle;
  }

  /** The root logger, with no attributes of its own. */
  logger() {
    const handle = newHandle('ferrolog_client_logger',
      (out) => lib.ferrolog_client_logger(this._open('ferrolog_client_logger'), out));
    return new Logger(handle, this);
  }

  /** Changes the minimum level at run time. */
  setMinLevel(level) {
    check('ferrolog_client_set_min_level',
      lib.ferrolog_client_set_min_level(this._open('ferrolog_client_set_min_level'), levelNumber(level)));
  }

  /**
   * Sends everything logged before the call, on a worker thread; resolves true when all of
   * it was settled in time, false when `timeoutMs` passed first.
   */
  flush(timeoutMs = DEFAULT_TIMEOUT_MS) {
    return this._settle('ferrolog_client_flush', lib.ferrolog_client_flush, timeoutMs);
  }

  /**
   * Stops the client, delivering what is owed within `timeoutMs`; resolves false when some
   * of it was still in flight at the deadline. Later calls on the client throw.
   */
  shutdown(timeoutMs = DEFAULT_TIMEOUT_MS) {
    // A second shutdown is the core's to answer: it does nothing and reports as the first did.
    const settled = this._settle('ferrolog_client_shutdown', lib.ferrolog_client_shutdown, timeoutMs,
      this._handle);
    this._closed = true;
    lifecycle.forget(this);
    return settled;
  }

  /** @internal the exit hook's flush: synchronous, because nothing else runs by then. */
  _flushNow(timeoutMs) {
    return lib.ferrolog_client_flush(this._handle, timeoutMs, null) === Result.OK;
  }

  _settle(call, fn, timeoutMs, handle) {
    let ms;
    try {
      handle ??= this._open(call);
      ms = milliseconds(timeoutMs);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      fn.async(handle, ms, null, (error, result) => {
        if (error) reject(error);
        else if (result === Result.TIMEOUT) resolve(false);
        else if (result === Result.OK) resolve(true);
        else reject(new FerrologError(call, result));
      });
    });
  }

  /** The client's counters (`accepted`, `sent`, `dropped`, drop reasons, …). */
  stats() {
    const stats = newHandle('ferrolog_client_stats',
      (out) => lib.ferrolog_client_stats(this._open('ferrolog_client_stats'), out));
    try {
      return JSON.parse(readString('ferrolog_stats_json',
        (buf, capacity, needed) => lib.ferrolog_stats_json(stats, buf, capacity, needed)));
    } finally {
      lib.ferrolog_stats_free(stats);
    }
  }
}

module.exports = { Client, optionKey };
