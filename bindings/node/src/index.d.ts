// Types of the ferrolog Node binding (src/index.js).

import type { IncomingMessage, ServerResponse } from 'node:http';

export type Attributes = Record<string, unknown>;
export type LevelName =
  | 'emergency' | 'alert' | 'critical' | 'fatal' | 'error' | 'warning' | 'warn' | 'notice' | 'info'
  | 'debug' | (string & {});
/** 1 emergency … 8 debug, or a name from either name set. */
export type Level = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | LevelName;
/** What a call that sends an entry answers; a shut-down client throws instead. */
export type Outcome = 'ok' | 'filtered' | 'dropped' | 'shut_down';
export type OptionValue = string | number | boolean | undefined;
/** Every option of the README's table, camelCase (`apiKey`) or snake_case (`api_key`). */
export type ClientOptions = Record<string, OptionValue>;
export type HeaderCarrier =
  | Record<string, string | string[] | undefined>
  | { entries(): Iterable<[string, string]> };

export const EXPECTED_ABI_VERSION: number;
export const version: string;

export const Result: Readonly<{
  OK: 0; FILTERED: 1; DROPPED: 2; SHUT_DOWN: 3; NULL_ARGUMENT: 4; INVALID_UTF8: 5; INVALID_JSON: 6;
  INVALID_ARGUMENT: 7; CONFIG_ERROR: 8; BUFFER_TOO_SMALL: 9; TIMEOUT: 10; PANIC: 11; TOO_LARGE: 12;
}>;

export class FerrologError extends Error {
  readonly call: string;
  readonly result: number;
  readonly resultName: string;
}

export class ConfigError extends FerrologError {
  /** The option refused, when one option was the reason. */
  readonly option: string | null | undefined;
}

export class Client {
  constructor(options?: ClientOptions);
  /** The environment (`FERROLOG_*`, `LOGFLUX_*`, …), then `overrides`, which win. */
  static fromEnv(overrides?: ClientOptions): Client;
  logger(): Logger;
  setMinLevel(level: Level): void;
  /** Resolves true when everything logged before was settled in time, false at the deadline. */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Resolves false when some of what was owed was in flight at the deadline. */
  shutdown(timeoutMs?: number): Promise<boolean>;
  stats(): Stats;
}

export interface Stats {
  accepted: number;
  sent: number;
  queued: number;
  requests: number;
  retried: number;
  attributes_dropped: number;
  values_truncated: number;
  dropped: Record<string, number>;
  last_error: string | null;
  [counter: string]: unknown;
}

export interface CaptureOptions {
  /** The entry's message; the error's text then travels as the attribute `error`. */
  message?: string;
  level?: Level;
  fingerprint?: string;
  attributes?: Attributes;
}

export interface MetricOptions {
  unit?: string;
  attributes?: Attributes;
}

export interface Audit {
  action: string;
  actor: string;
  actorType?: string;
  resource: string;
  resourceId?: string;
  /** Empty or left out: "success". */
  outcome?: string;
  attributes?: Attributes;
}

export interface Reading {
  name: string;
  value: number;
  unit?: string;
}

export interface Breadcrumb {
  category?: string;
  level?: Level;
  data?: Record<string, unknown>;
}

type LogAt = (message: string, attributes?: Attributes) => Outcome;

export class Logger {
  log(level: Level, message: string, attributes?: Attributes): Outcome;
  emergency: LogAt;
  alert: LogAt;
  critical: LogAt;
  fatal: LogAt;
  error: LogAt;
  warning: LogAt;
  warn: LogAt;
  notice: LogAt;
  info: LogAt;
  debug: LogAt;
  enabled(level: Level): boolean;
  child(attributes?: Attributes): Logger;
  scope(): Scope;
  addBreadcrumb(message: string, breadcrumb?: Breadcrumb): void;
  captureError(error: Error, options?: CaptureOptions): Outcome;
  metric(kind: 'counter' | 'gauge' | 'distribution', name: string, value: number, options?: MetricOptions): Outcome;
  counter(name: string, value?: number, options?: MetricOptions): Outcome;
  gauge(name: string, value: number, options?: MetricOptions): Outcome;
  distribution(name: string, value: number, options?: MetricOptions): Outcome;
  event(name: string, attributes?: Attributes): Outcome;
  audit(audit: Audit): Outcome;
  telemetry(deviceId: string, readings: Reading[], options?: { managed?: boolean; attributes?: Attributes }): Outcome;
  span(name: string, operation?: string): Span;
  continueFromHeaders(headers: HeaderCarrier, name: string, operation?: string): Span;
}

export class Scope extends Logger {
  setUser(userId: string): void;
  setRequest(method: string, path: string, requestId?: string): void;
  setAttribute(key: string, value: string): void;
}

export type HeaderKind = 'traceparent' | 'logflux';

export class Span {
  readonly ended: boolean;
  child(name: string, operation?: string): Span;
  setAttribute(key: string, value: string): void;
  setError(message: string): void;
  header(kind?: HeaderKind): string;
  /** Sets `traceparent` and `x-logflux-trace` on `headers` (an object or a Headers). */
  inject<T extends object = Record<string, string>>(headers?: T): T;
  logger(): Logger;
  end(): Outcome;
  /** Runs `fn(span)`, ending the span when it returns or settles; a throw fails the span. */
  run<T>(fn: (span: Span) => T): T;
}

export function currentLogger(): Logger | undefined;
export function currentLogger(fallback: Logger): Logger;
export function withLogger<T>(logger: Logger, fn: () => T): T;
export function withScope<T>(logger: Logger, fn: (scope: Scope) => T): T;
export function generateTraceId(): string;
export function traceIdFromHeaders(headers: HeaderCarrier): string;

type Next = (error?: unknown) => void;
export const express: {
  requestHandler(logger: Logger): (req: IncomingMessage, res: ServerResponse, next: Next) => void;
  errorHandler(logger: Logger): (error: unknown, req: IncomingMessage, res: ServerResponse, next: Next) => void;
};

declare module 'node:http' {
  interface IncomingMessage {
    /** The request's logger, set by `express.requestHandler`. */
    ferrolog?: Logger;
  }
}
