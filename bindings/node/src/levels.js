'use strict';
// Levels as the core numbers them (1 emergency … 8 debug), from a number or either name set.

const { lib } = require('./native');
const { Result } = require('./results');
const { typeName } = require('./text');

const byName = new Map();

function levelNumber(level) {
  if (typeof level === 'number') {
    if (!Number.isInteger(level) || level < 1 || level > 8) {
      throw new RangeError(`ferrolog: a level number is an integer 1-8, not ${level}`);
    }
    return level;
  }
  if (typeof level !== 'string') {
    throw new TypeError(`ferrolog: a level is a number or a name, not ${typeName(level)}`);
  }
  let number = byName.get(level);
  if (number === undefined) {
    const name = Buffer.from(level, 'utf8');
    const out = [0];
    if (lib.ferrolog_level_from_name(name, name.length, out) !== Result.OK) {
      throw new RangeError(`ferrolog: unknown level ${JSON.stringify(level)}`);
    }
    number = out[0];
    byName.set(level, number);
  }
  return number;
}

// The logger's shorthand methods, each with its level.
const LEVEL_METHODS = ['emergency', 'alert', 'critical', 'fatal', 'error', 'warning', 'warn',
  'notice', 'info', 'debug'];

module.exports = { LEVEL_METHODS, levelNumber };
