'use strict';
// Result codes of the core and the errors that carry them.

const { lib } = require('./native');

/** ferrolog_result: stable numbers, never renumbered. */
const Result = Object.freeze({
  OK: 0,
  FILTERED: 1,
  DROPPED: 2,
  SHUT_DOWN: 3,
  NULL_ARGUMENT: 4,
  INVALID_UTF8: 5,
  INVALID_JSON: 6,
  INVALID_ARGUMENT: 7,
  CONFIG_ERROR: 8,
  BUFFER_TOO_SMALL: 9,
  TIMEOUT: 10,
  PANIC: 11,
  TOO_LARGE: 12,
});

// What a call that sends an entry answers when nothing is wrong with its arguments. A call
// after shutdown is one of those: logging during an app's own shutdown must not throw.
const OUTCOMES = ['ok', 'filtered', 'dropped', 'shut_down'];

/** A call into the core failed; `result` is its code, `resultName` the core's description. */
class FerrologError extends Error {
  constructor(call, result, detail) {
    const resultName = lib.ferrolog_result_str(result);
    super(`ferrolog: ${call}: ${detail || resultName}`);
    this.name = 'FerrologError';
    this.call = call;
    this.result = result;
    this.resultName = resultName;
  }
}

/** An option was refused; `option` names it when one option was the reason. */
class ConfigError extends FerrologError {
  constructor(call, result, detail, option) {
    super(call, result, detail);
    this.name = 'ConfigError';
    this.option = option;
  }
}

function check(call, result) {
  if (result !== Result.OK) throw new FerrologError(call, result);
}

/** The outcome of a call that sends an entry: 'ok', 'filtered', 'dropped' or 'shut_down';
 * an argument the core refused throws. */
function outcome(call, result) {
  if (result <= Result.SHUT_DOWN) return OUTCOMES[result];
  throw new FerrologError(call, result);
}

/** The message of a core error object, which is freed. */
function takeErrorMessage(error) {
  try {
    return lib.ferrolog_error_message(error) || '';
  } finally {
    lib.ferrolog_error_free(error);
  }
}

module.exports = { Result, FerrologError, ConfigError, check, outcome, takeErrorMessage };
