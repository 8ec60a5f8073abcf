'use strict';
// ferrolog for Node: the Rust telemetry core through koffi. Loading the package opens the core
// library (target/release/libferrolog.so of this checkout, or FERROLOG_LIBRARY) and refuses
// one of another C ABI.

const { EXPECTED_ABI_VERSION, lib } = require('./native');
const { Client } = require('./client');
const { Logger, Scope } = require('./logger');
const { Span } = require('./span');
const { ConfigError, FerrologError, Result } = require('./results');
const { currentLogger, withLogger, withScope } = require('./context');
const { generateTraceId, traceIdFromHeaders } = require('./traceIds');
const express = require('./express');

module.exports = {
  EXPECTED_ABI_VERSION,
  version: lib.ferrolog_version(),
  Client,
  ConfigError,
  FerrologError,
  Logger,
  Result,
  Scope,
  Span,
  currentLogger,
  express,
  generateTraceId,
  traceIdFromHeaders,
  withLogger,
  withScope,
};
