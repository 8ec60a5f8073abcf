'use strict';
// Spans timed by the core: children, attributes, errors, propagation headers, bound loggers.

const { lib } = require('./native');
const { newHandle, own } = require('./handles');
const { check, outcome } = require('./results');
const { readString, strArg, optionalStrArg } = require('./text');

const HEADER_KINDS = { traceparent: 1, logflux: 2 };
// The header names a request this span makes carries, for `inject`.
const HEADER_NAMES = { traceparent: 'traceparent', logflux: 'x-logflux-trace' };

class Span {
  /** @internal spans come from Logger#span, Logger#continueFromHeaders and Span#child. */
  constructor(handle, owner) {
    this._handle = handle;
    this._owner = owner; // keeps the client running while the span lives
    this._ended = false;
    own(this, handle, lib.ferrolog_span_free);
  }

  get ended() {
    return this._ended;
  }

  /** A child span: the same trace and sampling decision. */
  child(name, operation) {
    const nameArg = strArg('name', name);
    const operationArg = optionalStrArg('operation', operation);
    const handle = newHandle('ferrolog_span_start_child',
      (out) => lib.ferrolog_span_start_child(this._handle, nameArg, operationArg, out));
    return new Span(handle, this._owner);
  }

  setAttribute(key, value) {
    const keyArg = strArg('key', key);
    check('ferrolog_span_set_attribute',
      lib.ferrolog_span_set_attribute(this._handle, keyArg, strArg('value', value)));
  }

  /** Marks the span failed, with `message` as its `error.message`. */
  setError(message) {
    check('ferrolog_span_set_error', lib.ferrolog_span_set_error(this._handle, strArg('message', message)));
  }

  /** The propagation header's value for a request this span makes. */
  header(kind = 'traceparent') {
    if (!Object.hasOwn(HEADER_KINDS, kind)) {
      throw new TypeError(`ferrolog: header kind must be 'traceparent' or 'logflux', not ${String(kind)}`);
    }
    const number = HEADER_KINDS[kind];
    return readString('ferrolog_span_header',
      (buf, capacity, needed) => lib.ferrolog_span_header(this._handle, number, buf, capacity, needed));
  }

  /** Sets both propagation headers on `headers` (an object or a Headers) and returns it. */
  inject(headers = {}) {
    for (const [kind, name] of Object.entries(HEADER_NAMES)) {
      const value = this.header(kind);
      if (typeof headers.set === 'function') headers.set(name, value);
      else headers[name] = value;
    }
    return headers;
  }

  /** A logger that stamps this span's ids on every entry; its spans are children of this one. */
  logger() {
    const { Logger } = require('./logger'); // the two modules refer to each other
    const handle = newHandle('ferrolog_span_logger', (out) => lib.ferrolog_span_logger(this._handle, out));
    return new Logger(handle, this._owner);
  }

  /** Ends the span and sends its entry; a second end throws. */
  end() {
    const result = outcome('ferrolog_span_end', lib.ferrolog_span_end(this._handle));
    this._ended = true;
    return result;
  }

  /**
   * Runs `fn(span)` and ends the span when it returns or its promise settles; an error thrown
   * or rejected marks the span failed and propagates.
   */
  run(fn) {
    const fail = (error) => {
      this.setError(error instanceof Error ? error.message || error.name : String(error));
      this.end();
      throw error;
    };
    let value;
    try {
      value = fn(this);
    } catch (error) {
      fail(error);
    }
    if (value && typeof value.then === 'function') {
      return value.then((settled) => {
        this.end();
        return settled;
      }, fail);
    }
    this.end();
    return value;
  }
}

module.exports = { Span };
