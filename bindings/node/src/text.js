'use strict';
// Values crossing into the core: UTF-8 bytes with their lengths, attributes as JSON, strings
// the core writes back into a buffer.

const koffi = require('koffi');
const { FerrologError, Result, check } = require('./results');

const EMPTY = Object.freeze({ ptr: null, len: 0 });

function typeName(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

function requireString(name, value) {
  if (typeof value !== 'string') {
    throw new TypeError(`ferrolog: ${name} must be a string, not ${typeName(value)}`);
  }
}

/** A required string argument as a ferrolog_str. */
function strArg(name, value) {
  requireString(name, value);
  if (value.length === 0) return EMPTY;
  const bytes = Buffer.from(value, 'utf8');
  return { ptr: bytes, len: bytes.length };
}

/** An optional string argument (undefined: empty) as a ferrolog_str. */
function optionalStrArg(name, value) {
  return value === undefined ? EMPTY : strArg(name, value);
}

function bigintAsString(_key, value) {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** One JSON object, or '' for none; values JSON has no form for (BigInt) travel as strings. */
function attributesJson(attributes) {
  if (attributes === undefined) return '';
  if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes)) {
    throw new TypeError(`ferrolog: attributes must be an object, not ${typeName(attributes)}`);
  }
  try {
    return JSON.stringify(attributes);
  } catch (first) {
    try {
      return JSON.stringify(attributes, bigintAsString);
    } catch {
      throw new TypeError(`ferrolog: attributes cannot be sent as JSON: ${first.message}`);
    }
  }
}

function jsonArg(attributes) {
  const text = attributesJson(attributes);
  return text === '' ? EMPTY : strArg('attributes', text);
}

/**
 * The hot path's reusable buffer: the core copies the bytes before a log call returns, so one
 * buffer serves every call on this thread. Its bytes are passed by address (a plain number,
 * which koffi marshals several times faster than a Buffer); the buffer is off the V8 heap, so
 * the address holds while `buffer` is referenced.
 */
class Scratch {
  constructor() {
    this.reserve(4096);
  }

  /** Makes room for `units` UTF-16 code units, which never take more than 3 UTF-8 bytes each. */
  reserve(units) {
    const size = units * 3;
    if (this.buffer !== undefined && size <= this.buffer.length) return;
    this.buffer = Buffer.allocUnsafeSlow(Math.max(size, 4096));
    this.address = Number(koffi.address(this.buffer));
  }
}

/** Reads a string the core copies into a caller buffer, growing the buffer once if needed. */
function readString(call, write) {
  const needed = [0];
  let capacity = 256;
  for (let attempt = 0; attempt < 2; attempt++) {
    const buffer = Buffer.alloc(capacity);
    const result = write(buffer, capacity, needed);
    if (result !== Result.BUFFER_TOO_SMALL) {
      check(call, result);
      return buffer.toString('utf8', 0, Number(needed[0]) - 1);
    }
    capacity = Number(needed[0]);
  }
  throw new FerrologError(call, Result.BUFFER_TOO_SMALL);
}

/** Node's header object (values a string or a list of them) as ferrolog_header structs. */
function headerArray(headers) {
  if (headers === null || typeof headers !== 'object') {
    throw new TypeError(`ferrolog: headers must be an object, not ${typeName(headers)}`);
  }
  const pairs = typeof headers.entries === 'function' && !Array.isArray(headers)
    ? Array.from(headers.entries())
    : Object.entries(headers);
  const array = [];
  for (const [name, value] of pairs) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    array.push({ name: strArg('header name', name), value: strArg(`header ${name}`, text) });
  }
  return array;
}

module.exports = {
  EMPTY,
  Scratch,
  attributesJson,
  headerArray,
  jsonArg,
  optionalStrArg,
  readString,
  requireString,
  strArg,
  typeName,
};
