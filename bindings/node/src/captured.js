'use strict';
// A JS error as the core's captured error: type, message, frames from the V8 stack, and the
// `cause` chain.

const { types } = require('node:util');
const { strArg } = require('./text');

// The core keeps at most this many links, the error itself included.
const MAX_CHAIN = 10;

// "    at fn (file:line:column)", "    at file:line:column", "    at async fn (…)", "    at new C (…)"
const FRAME_WITH_LOCATION = /^\s*at (?:(.+?) \()?(.+?):(\d+):\d+\)?$/;
const FRAME_WITHOUT_LOCATION = /^\s*at (.+?)(?: \((?:native|<anonymous>)\))?$/;

function isError(value) {
  return value instanceof Error || types.isNativeError(value);
}

/** The error's type: its `name`, or its class when it kept the plain "Error". */
function errorType(value) {
  if (!isError(value)) return value === null ? 'null' : typeof value;
  const name = typeof value.name === 'string' ? value.name : '';
  const className = value.constructor && value.constructor.name;
  if ((name === '' || name === 'Error') && className) return className;
  return name || 'Error';
}

function errorMessage(value) {
  if (isError(value)) return typeof value.message === 'string' ? value.message : String(value.message);
  try {
    return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  } catch {
    return String(value);
  }
}

/** The frames of a V8 stack, innermost (the one that threw) first, as V8 lists them. */
function parseStack(stack) {
  if (typeof stack !== 'string') return [];
  const frames = [];
  for (const line of stack.split('\n')) {
    if (!/^\s*at /.test(line)) continue;
    const located = FRAME_WITH_LOCATION.exec(line);
    if (located) {
      frames.push({ function: located[1] || '<anonymous>', module: located[2], line: Number(located[3]) });
      continue;
    }
    const bare = FRAME_WITHOUT_LOCATION.exec(line);
    if (bare) frames.push({ function: bare[1], module: '', line: 0 });
  }
  return frames;
}

/** The values beneath `error`, outward through `cause`, without cycles. */
function causeChain(error) {
  const chain = [];
  const seen = new Set([error]);
  let current = error;
  while (chain.length < MAX_CHAIN - 1 && isError(current) && 'cause' in current) {
    const below = current.cause;
    if (below === undefined || seen.has(below)) break;
    seen.add(below);
    chain.push(below);
    current = below;
  }
  return chain;
}

function frameStruct(frame) {
  return {
    function: strArg('frame function', frame.function),
    module: strArg('frame module', frame.module),
    line: frame.line >>> 0,
  };
}

function causeStruct(value) {
  return {
    error_type: strArg('cause type', errorType(value)),
    message: strArg('cause message', errorMessage(value)),
  };
}

module.exports = { causeChain, causeStruct, errorMessage, errorType, frameStruct, isError, parseStack };
