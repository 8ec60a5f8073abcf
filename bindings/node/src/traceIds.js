'use strict';
// Trace ids in LuminaLog's form, new or read from an incoming request's headers.

const { lib } = require('./native');
const { nonNullArray } = require('./handles');
const { EMPTY, headerArray, readString } = require('./text');

/** A new trace id: a random UUID v4. */
function generateTraceId() {
  return readString('ferrolog_generate_trace_id',
    (buf, capacity, needed) => lib.ferrolog_generate_trace_id(buf, capacity, needed));
}

/** `x-trace-id`, else `x-request-id`, else a valid `traceparent`'s trace id, else a new UUID. */
function traceIdFromHeaders(headers) {
  const structs = headerArray(headers);
  const array = nonNullArray(structs, { name: EMPTY, value: EMPTY });
  return readString('ferrolog_trace_id_from_headers',
    (buf, capacity, needed) => lib.ferrolog_trace_id_from_headers(array, structs.length, buf, capacity, needed));
}

module.exports = { generateTraceId, traceIdFromHeaders };
