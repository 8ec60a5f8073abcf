'use strict';
// Core objects owned by JS objects: created through an out-parameter, freed once, when the
// JS object is collected.

const { check } = require('./results');

const owned = new FinalizationRegistry(({ handle, free }) => free(handle));

/** Runs a call whose last argument receives a new handle, and returns the handle. */
function newHandle(call, invoke) {
  const out = [null];
  check(call, invoke(out));
  return out[0];
}

/** Frees `handle` with `free` once `owner` is garbage-collected. */
function own(owner, handle, free) {
  owned.register(owner, { handle, free });
}

/**
 * A C array argument that is never NULL, even when empty: the core reads NULL frames as "take
 * the native stack". `filler` pads an empty list; the count passed beside it stays 0.
 */
function nonNullArray(items, filler) {
  return items.length > 0 ? items : [filler];
}

module.exports = { newHandle, nonNullArray, own };
