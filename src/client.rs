//! The front door: the level gate, sampling, and the hand-off to the pipeline.

use std::sync::atomic::{AtomicU8, Ordering::Relaxed};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde_json::{Map, Value};

use crate::breadcrumbs::{Breadcrumb, Trail};
use crate::capture::{release_symbol_cache, Admission, CapturedError, StormConfig, StormGuard};
use crate::capture_call::{CaptureOptions, ERROR_TEXT_ATTRIBUTE};
use crate::config::{Config, ConfigError};
use crate::context::Context;
use crate::diagnostics::{self, Diagnostics};
use crate::entry::{
    now_unix_nanos, parse_json_object, EntryKind, ErrorReport, Payload, Record, RecordError, Scalar,
};
use crate::fork::Forkable;
use crate::hooks::{HookGate, Hooked, Hooks};
use crate::level::Level;
use crate::pipeline::refused::RefusedKinds;
use crate::pipeline::stats::{DropReason, Stats};
use crate::pipeline::{FlushReport, Pipeline, Pushed, Settings, SpoolSettings};
use crate::protocols;
use crate::sampling::Sampler;
use crate::scrub::{ScrubOptions, Scrubber};
use crate::span::ActiveSpan;
use crate::trace::{self, FinishedSpan, OpenSpan, TraceContext};

/// What became of one log call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogStatus {
    Accepted,
    /// Below the minimum level, left out by sampling, or dropped by a before-send hook.
    Filtered,
    /// The queue was full; counted as `queue_overflow`.
    Dropped,
    ShutDown,
}

/// Whether an entry's sampling decision is still to be drawn or was made already (a span's,
/// at the start of its trace).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sampling {
    Draw,
    Decided,
}

/// The attributes a scope's setters write.
pub const USER_ID: &str = "user.id";
pub const HTTP_METHOD: &str = "http.method";
pub const HTTP_PATH: &str = "http.path";
pub const HTTP_REQUEST_ID: &str = "http.request_id";

/// How long a shutdown waits, at least, for before-send hooks still running: a hook that began
/// as the client closed takes microseconds, unless its host runtime has to schedule it.
const HOOK_GRACE: Duration = Duration::from_millis(100);

/// How long a shutdown waits for its diagnostic lines to be written: microseconds, unless
/// stderr is a pipe nobody reads, which must not hold the host's exit.
const DIAGNOSTICS_GRACE: Duration = Duration::from_millis(250);

/// How long dropping the last handle waits for queued entries to go out.
const DROP_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(2);

struct Inner {
    min_level: AtomicU8,
    /// Kinds the endpoint refused for good; entries of those kinds are dropped at once.
    refused: Arc<RefusedKinds>,
    sampler: Sampler,
    hooks: Hooks,
    hook_gate: HookGate,
    /// The client-wide breadcrumb trail, for loggers outside any scope.
    trail: Trail,
    /// Folds storms of identical errors; `None` when folding is off.
    storm: Option<StormGuard>,
    /// How long a storm's window lasts: the end of the client closes every window.
    storm_window: Duration,
    /// This process's pipeline: a forked child starts its own on its first call.
    pipeline: Forkable<Pipeline>,
}

impl Inner {
    #[inline]
    fn pipeline(&self) -> &Pipeline {
        self.pipeline.get()
    }

    /// The end of the client closes every storm's window.
    fn send_final_storm_summaries(&self) {
        self.send_storm_summaries(Instant::now() + self.storm_window);
    }

    /// Queues one "repeated N times" entry per error storm whose window closed by `now` (every
    /// storm, at the end of the client), straight to the pipeline: summaries are the client's
    /// own entries, neither sampled nor offered to hooks.
    fn send_storm_summaries(&self, now: Instant) {
        let Some(storm) = &self.storm else {
            return;
        };
        for summary in storm.take_summaries(now) {
            let attributes = serde_json::json!({
                "error.fingerprint": summary.fingerprint,
                "error.type": summary.error_type,
                "error.repeated": summary.folded,
            })
            .to_string();
            let context = Arc::new(Context::default());
            if let Ok(record) =
                Record::with_json(Level::Error, &summary.to_string(), &attributes, context)
            {
                self.pipeline().push(record);
            }
        }
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        // In a forked child that never logged, the pipeline is the parent's: not this
        // process's to send from or to stop.
        if self.pipeline.owned().is_none() {
            return;
        }
        self.send_final_storm_summaries();
        self.pipeline().shutdown(DROP_SHUTDOWN_TIMEOUT);
        diagnostics::written(DIAGNOSTICS_GRACE);
        // The workers have stopped, and with them every symbol resolution of this client.
        release_symbol_cache();
    }
}

/// A running client. Cheap to clone; every clone is the same client.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

/// Logs with a context. Cheap to clone, safe to share across threads.
#[derive(Clone)]
pub struct Logger {
    inner: Arc<Inner>,
    source: Source,
}

/// Where a logger's context comes from.
#[derive(Clone)]
enum Source {
    /// Fixed when the logger was made; a logger made from a scope (a child, one bound to a
    /// span) still adds to, and captures with, that scope's breadcrumb trail.
    Fixed {
        context: Arc<Context>,
        scope: Option<Arc<Scope>>,
    },
    /// A scope's, which its setters change for every holder of the scope.
    Scope(Arc<Scope>),
}

impl Source {
    fn fixed(context: Context, scope: Option<Arc<Scope>>) -> Source {
        Source::Fixed {
            context: Arc::new(context),
            scope,
        }
    }

    /// The scope whose trail this source's entries use, if any.
    fn scope(&self) -> Option<&Arc<Scope>> {
        match self {
            Source::Fixed { scope, .. } => scope.as_ref(),
            Source::Scope(scope) => Some(scope),
        }
    }
}

/// How many attributes a scope holds, inherited ones included, before it refuses new keys.
pub const MAX_SCOPE_ATTRIBUTES: usize = 128;

/// Why a scope setter changed nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeError {
    /// The logger is not a scope; only a scope's attributes change after it is made.
    NotAScope,
    /// The key is new and the scope already holds [`MAX_SCOPE_ATTRIBUTES`].
    Full,
}

/// A scope: a context that changes as the request it follows learns more, and a breadcrumb
/// trail of its own.
struct Scope {
    context: Mutex<Arc<Context>>,
    trail: Trail,
}

impl Scope {
    fn context(&self) -> Arc<Context> {
        Arc::clone(&self.context.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Sets `added` over the scope's attributes, unless its new keys would take them past
    /// [`MAX_SCOPE_ATTRIBUTES`]: a scope that lives long and is given ever new keys would
    /// otherwise grow without bound, every setter copying all it holds. Keys it holds can
    /// always take new values.
    fn set(&self, added: Map<String, Value>) -> Result<(), ScopeError> {
        let mut context = self.context.lock().unwrap_or_else(PoisonError::into_inner);
        let held = context.attributes();
        let new_keys = added.keys().filter(|key| !held.contains_key(*key)).count();
        if new_keys > 0 && held.len() + new_keys > MAX_SCOPE_ATTRIBUTES {
            return Err(ScopeError::Full);
        }
        *context = Arc::new(context.child(added));
        Ok(())
    }
}

impl Client {
    /// Validates `config` and starts the workers. Nothing touches the network here.
    pub fn new(config: Config) -> Result<Client, ConfigError> {
        let diagnostics = Diagnostics::new(config.debug);
        let refused = Arc::new(RefusedKinds::default());
        let pipeline = start_pipeline(&config, diagnostics, &refused)?;
        let renew = {
            let (config, refused) = (config.clone(), Arc::clone(&refused));
            move || {
                start_pipeline(&config, diagnostics, &refused)
                    .map_err(|error| std::io::Error::other(error.to_string()))
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                min_level: AtomicU8::new(config.min_level.number()),
                refused,
                sampler: Sampler::new(&config),
                hooks: config.hooks.clone(),
                hook_gate: HookGate::default(),
                trail: Trail::new(config.max_breadcrumbs),
                storm: (config.error_storm_limit > 0).then(|| {
                    StormGuard::new(StormConfig {
                        max_per_window: config.error_storm_limit,
                        window: config.error_storm_window,
                        ..StormConfig::default()
                    })
                }),
                storm_window: config.error_storm_window,
                pipeline: Forkable::new(pipeline, renew),
            }),
        })
    }

    /// The root logger: no attributes of its own.
    pub fn logger(&self) -> Logger {
        Logger {
            inner: Arc::clone(&self.inner),
            source: Source::fixed(Context::default(), None),
        }
    }

    pub fn set_min_level(&self, level: Level) {
        self.inner.min_level.store(level.number(), Relaxed);
    }

    pub fn min_level(&self) -> Level {
        Level::from_number(self.inner.min_level.load(Relaxed)).unwrap_or(Level::Debug)
    }

    /// Sends everything logged before the call, waiting at most `timeout`; storms of errors
    /// whose window has closed are summarized first.
    pub fn flush(&self, timeout: Duration) -> FlushReport {
        self.inner.send_storm_summaries(Instant::now());
        self.inner.pipeline.get_checked().flush(timeout)
    }

    /// Stops accepting entries and delivers what is owed within `timeout`, every error storm's
    /// summary included; later calls do nothing. No before-send hook runs afterwards, and the
    /// call returns only once those under way on other threads have ended (waiting at least
    /// [`HOOK_GRACE`]): a host runtime about to tear down (Python at exit) must find no thread
    /// inside one. Its diagnostic lines are written before it returns (waiting at most
    /// [`DIAGNOSTICS_GRACE`]).
    pub fn shutdown(&self, timeout: Duration) -> FlushReport {
        let deadline = Instant::now() + timeout;
        self.inner.send_final_storm_summaries();
        let report = self.inner.pipeline.get_checked().shutdown(timeout);
        // After the pipeline closed: an entry that slips past the gate is refused as shut
        // down, so no entry leaves unhooked.
        let left = deadline.saturating_duration_since(Instant::now());
        self.inner.hook_gate.close(left.max(HOOK_GRACE));
        // What shutdown reported reaches stderr even when the process exits right after.
        diagnostics::written(DIAGNOSTICS_GRACE);
        report
    }

    pub fn stats(&self) -> Stats {
        self.inner.pipeline.get_checked().stats()
    }

    /// Bytes held by queued entries, for memory-bound checks.
    pub fn queued_bytes(&self) -> usize {
        self.inner.pipeline().queued_bytes()
    }
}

/// Validates the protocol options and starts a pipeline with workers and encoders of its own:
/// at client creation, and again in a forked child.
fn start_pipeline(
    config: &Config,
    diagnostics: Diagnostics,
    refused: &Arc<RefusedKinds>,
) -> Result<Pipeline, ConfigError> {
    let protocol = protocols::Choice::new(config, diagnostics, Arc::clone(refused))?;
    let batch_size = protocol.batch_size(config.batch_size);
    let settings = Settings {
        batch_size,
        flush_interval: config.flush_interval,
        queue_size: config.queue_size,
        queue_max_bytes: config.queue_max_bytes,
        overflow: config.overflow,
        block_timeout: config.block_timeout,
        worker_count: config.worker_count,
        max_retries: config.max_retries,
        retry_backoff: config.retry_backoff,
        http_timeout: config.http_timeout,
        scrubber: (!config.privacy_mode).then(|| Arc::new(Scrubber::new(ScrubOptions::default()))),
        diagnostics,
        spool: config.spool_dir.as_ref().map(|dir| SpoolSettings {
            dir: dir.into(),
            max_bytes: config.spool_max_bytes,
        }),
    };
    Pipeline::start(settings, || protocol.encoder())
        .map_err(|e| ConfigError::new("worker_count", format!("cannot start a worker: {e}")))
}

impl Logger {
    /// A logger whose context is this one's with `attributes` on top; this one is unchanged.
    pub fn child(&self, attributes: Map<String, Value>) -> Logger {
        self.with_context(self.context().child(attributes))
    }

    fn with_context(&self, context: Context) -> Logger {
        Logger {
            inner: Arc::clone(&self.inner),
            source: Source::fixed(context, self.source.scope().cloned()),
        }
    }

    /// A child whose added attributes are one JSON object (empty text for none), nested at
    /// most [`crate::entry::MAX_ATTRIBUTE_DEPTH`] levels.
    pub fn child_json(&self, attributes: &str) -> Result<Logger, RecordError> {
        Ok(self.child(parse_json_object(attributes)?))
    }

    /// A child whose added attributes are string pairs given as bytes that must be UTF-8, as
    /// they come from C.
    pub fn child_utf8_pairs<'a>(
        &self,
        attributes: impl Iterator<Item = (&'a [u8], &'a [u8])>,
    ) -> Result<Logger, RecordError> {
        let text = |bytes| std::str::from_utf8(bytes).map(str::to_owned);
        let attributes = attributes
            .map(|(key, value)| Ok((text(key)?, Value::String(text(value)?))))
            .collect::<Result<Map<String, Value>, std::str::Utf8Error>>()
            .map_err(|_| RecordError::InvalidUtf8)?;
        Ok(self.child(attributes))
    }

    /// The context entries logged now would carry.
    pub fn context(&self) -> Arc<Context> {
        match &self.source {
            Source::Fixed { context, .. } => Arc::clone(context),
            Source::Scope(scope) => scope.context(),
        }
    }

    /// This logger bound to the span `trace` names: its entries carry the span's ids.
    pub(crate) fn bound_to(&self, trace: TraceContext) -> Logger {
        self.with_context(self.context().with_trace(trace))
    }

    /// A scope: a logger whose context starts as this one's and then changes with
    /// [`Logger::set_attribute`], [`Logger::set_user`] and [`Logger::set_request`], with a
    /// breadcrumb trail of its own that starts as a copy of this logger's. Scopes nest.
    pub fn scope(&self) -> Logger {
        let scope = Scope {
            context: Mutex::new(self.context()),
            trail: self.trail().fork(),
        };
        Logger {
            inner: Arc::clone(&self.inner),
            source: Source::Scope(Arc::new(scope)),
        }
    }

    /// Whether this logger is a scope, whose setters change what it logs.
    pub fn is_scope(&self) -> bool {
        matches!(self.source, Source::Scope(_))
    }

    /// Sets a default attribute of every later entry of this scope; an entry's own attributes
    /// win over it.
    pub fn set_attribute(&self, key: &str, value: impl Into<Value>) -> Result<(), ScopeError> {
        self.set_on_scope(Map::from_iter([(key.to_owned(), value.into())]))
    }

    /// The scope's user: `user.id`.
    pub fn set_user(&self, id: &str) -> Result<(), ScopeError> {
        self.set_attribute(USER_ID, id)
    }

    /// The scope's request: `http.method`, `http.path` and, when not empty, `http.request_id`.
    pub fn set_request(
        &self,
        method: &str,
        path: &str,
        request_id: &str,
    ) -> Result<(), ScopeError> {
        let mut added = Map::new();
        added.insert(HTTP_METHOD.to_owned(), method.into());
        added.insert(HTTP_PATH.to_owned(), path.into());
        if !request_id.is_empty() {
            added.insert(HTTP_REQUEST_ID.to_owned(), request_id.into());
        }
        self.set_on_scope(added)
    }

    fn set_on_scope(&self, added: Map<String, Value>) -> Result<(), ScopeError> {
        match &self.source {
            Source::Scope(scope) => scope.set(added),
            Source::Fixed { .. } => Err(ScopeError::NotAScope),
        }
    }

    /// The trail this logger's entries add to and its captured errors carry: its scope's
    /// (the one it was made from), or the client's.
    fn trail(&self) -> &Trail {
        self.source
            .scope()
            .map_or(&self.inner.trail, |scope| &scope.trail)
    }

    /// Adds a breadcrumb by hand.
    pub fn add_breadcrumb(
        &self,
        category: Option<&str>,
        message: &str,
        level: Option<Level>,
        data: Vec<(String, String)>,
    ) {
        let crumb = Breadcrumb::new(now_unix_nanos(), category, message, level, data);
        self.trail().add(crumb);
    }

    /// The breadcrumbs a captured error logged now would carry, oldest first.
    pub fn breadcrumbs(&self) -> Vec<Breadcrumb> {
        self.trail().snapshot()
    }

    /// Starts a span: a child of the span this logger is bound to, else the root of a new
    /// trace, kept or left out whole as the traces sampling rate decides.
    pub fn start_span(&self, name: &str, operation: &str) -> ActiveSpan {
        let open = match self.context().trace() {
            Some(parent) => OpenSpan::child_of(parent, name, operation),
            None => {
                let mut root = OpenSpan::root(name, operation);
                root.set_sampled(self.inner.sampler.keeps(EntryKind::Trace));
                root
            }
        };
        ActiveSpan::start(self.clone(), open)
    }

    /// Starts a span continuing the trace that `headers` carry (`traceparent`, else
    /// `X-LogFlux-Trace`) with its sampling decision; without a valid one, as
    /// [`Logger::start_span`].
    pub fn continue_from_headers<K: AsRef<str>, V: AsRef<str>>(
        &self,
        headers: &[(K, V)],
        name: &str,
        operation: &str,
    ) -> ActiveSpan {
        match trace::extract(headers) {
            Some(remote) => ActiveSpan::start(
                self.clone(),
                OpenSpan::continue_from(&remote, name, operation),
            ),
            None => self.start_span(name, operation),
        }
    }

    /// Sends a finished span's Trace entry, unless its trace is not sampled.
    pub(crate) fn send_span(&self, finished: FinishedSpan) -> LogStatus {
        if !finished.sampled {
            self.inner.pipeline().refuse(DropReason::Sampled);
            return LogStatus::Filtered;
        }
        let attributes = finished.attributes;
        let payload = Payload::Span(finished.span);
        let level = payload.default_level();
        let name = finished.name;
        // The span's own attributes are one object and its name a string, so only an entry
        // too large to hold can fail, which counts as a drop.
        self.submit_kind(EntryKind::Trace, Sampling::Decided, |context| {
            Record::with_attributes(level, &name, attributes, context)
                .map(|r| r.with_payload(payload))
        })
        .unwrap_or(LogStatus::Dropped)
    }

    /// Whether an entry at `level` would pass the level gate; one atomic load.
    #[inline]
    pub fn enabled(&self, level: Level) -> bool {
        level.number() <= self.inner.min_level.load(Relaxed)
    }

    /// Logs with string attributes.
    #[inline]
    pub fn log<K: AsRef<str>, V: AsRef<str>>(
        &self,
        level: Level,
        message: &str,
        attributes: &[(K, V)],
    ) -> LogStatus {
        let pairs = attributes.iter().map(|(k, v)| (k.as_ref(), v.as_ref()));
        self.log_pairs(level, message, pairs)
    }

    /// Logs with string attributes from any re-iterable source, without collecting them.
    #[inline]
    pub fn log_pairs<'a>(
        &self,
        level: Level,
        message: &str,
        attributes: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    ) -> LogStatus {
        if !self.enabled(level) {
            return LogStatus::Filtered;
        }
        // String pairs cannot be malformed; only an entry beyond 4 GiB is refused, as a drop.
        self.submit(|context| Record::with_pairs(level, message, attributes, context))
            .unwrap_or(LogStatus::Dropped)
    }

    /// Logs with string attributes given as bytes that must be UTF-8, as they come from C;
    /// everything is checked in one pass over the record's buffer.
    pub fn log_utf8_pairs<'a>(
        &self,
        level: Level,
        message: &[u8],
        attributes: impl Iterator<Item = (&'a [u8], &'a [u8])> + Clone,
    ) -> Result<LogStatus, RecordError> {
        let scalars = attributes.map(|(key, value)| (key, Scalar::Text(value)));
        self.log_utf8_scalars(level, message, scalars)
    }

    /// As [`Logger::log_utf8_pairs`], with values of any scalar type: numbers and bools stay
    /// numbers and bools, and no JSON is written or checked on the caller's thread.
    pub fn log_utf8_scalars<'a>(
        &self,
        level: Level,
        message: &[u8],
        attributes: impl Iterator<Item = (&'a [u8], Scalar<'a>)> + Clone,
    ) -> Result<LogStatus, RecordError> {
        if !self.enabled(level) {
            return Ok(LogStatus::Filtered);
        }
        self.submit(|context| Record::with_utf8_scalars(level, message, attributes, context))
    }

    /// Logs with attributes given as one JSON object; an empty string means none.
    pub fn log_json(
        &self,
        level: Level,
        message: &str,
        attributes: &str,
    ) -> Result<LogStatus, RecordError> {
        if !self.enabled(level) {
            return Ok(LogStatus::Filtered);
        }
        self.submit(|context| Record::with_json(level, message, attributes, context))
    }

    /// Logs with attributes given as one JSON object (blank for none), message and object as
    /// bytes that must be UTF-8, as they come from C; both are checked in one pass over the
    /// record's buffer.
    pub fn log_utf8_json(
        &self,
        level: Level,
        message: &[u8],
        attributes: &[u8],
    ) -> Result<LogStatus, RecordError> {
        if !self.enabled(level) {
            return Ok(LogStatus::Filtered);
        }
        self.submit(|context| Record::with_utf8_json(level, message, attributes, context))
    }

    /// Sends a non-log entry whose name-like member is `name` (the metric's or event's name,
    /// the span's name, the audit action, the device id) and whose attributes are the JSON
    /// object `attributes` (empty for none). Non-log entries are not held to the minimum
    /// level; audit entries are never sampled. `level` defaults to the type's own.
    pub fn emit(
        &self,
        level: Option<Level>,
        name: &str,
        attributes: &str,
        payload: Payload,
    ) -> Result<LogStatus, RecordError> {
        if !payload.is_finite() {
            return Err(RecordError::NotFinite);
        }
        let level = level.unwrap_or_else(|| payload.default_level());
        self.submit_kind(payload.kind(), Sampling::Draw, |context| {
            Record::with_json(level, name, attributes, context).map(|r| r.with_payload(payload))
        })
    }

    fn submit(
        &self,
        build: impl FnOnce(Arc<Context>) -> Result<Record, RecordError>,
    ) -> Result<LogStatus, RecordError> {
        self.submit_kind(EntryKind::Log, Sampling::Draw, build)
    }

    /// Refuses entries after shutdown, kinds the endpoint refused for good and samples, all
    /// before any work on the entry; then builds and queues it. After shutdown no hook runs:
    /// a host runtime tearing down (Python at exit) may no longer be able to run one.
    fn submit_kind(
        &self,
        kind: EntryKind,
        sampling: Sampling,
        build: impl FnOnce(Arc<Context>) -> Result<Record, RecordError>,
    ) -> Result<LogStatus, RecordError> {
        let inner = &*self.inner;
        if inner.pipeline().is_closed() {
            return Ok(LogStatus::ShutDown);
        }
        if inner.refused.refuses(kind) {
            inner.pipeline().refuse(DropReason::QuotaExceeded);
            return Ok(LogStatus::Dropped);
        }
        if sampling == Sampling::Draw && !inner.sampler.keeps(kind) {
            inner.pipeline().refuse(DropReason::Sampled);
            return Ok(LogStatus::Filtered);
        }
        let mut record = build(self.context())?;
        if inner.hooks.wants(kind) {
            if let Some(_pass) = inner.hook_gate.enter() {
                match inner.hooks.offer(record)? {
                    Hooked::Send(hooked) => record = hooked,
                    Hooked::Dropped => {
                        inner.pipeline().refuse(DropReason::BeforeSend);
                        return Ok(LogStatus::Filtered);
                    }
                }
            }
        }
        self.leave_breadcrumb(&record);
        Ok(match inner.pipeline().push(record) {
            Pushed::Accepted => LogStatus::Accepted,
            Pushed::Dropped => LogStatus::Dropped,
            Pushed::ShutDown => LogStatus::ShutDown,
        })
    }

    /// Sends a captured error with this logger's attributes and breadcrumb trail. Errors are
    /// not held to the minimum level, and are sampled only at `errors_sample_rate`; beyond the
    /// storm limit, identical ones (by fingerprint) are folded, counted as `folded`, into one
    /// "repeated N times" entry when their window closes. Without `options.native_stack` the
    /// fingerprint is the error's; with it, the stack is resolved on the worker and the storm
    /// guard groups by type and message meanwhile.
    pub fn capture_error(
        &self,
        error: CapturedError,
        options: &CaptureOptions<'_>,
    ) -> Result<LogStatus, RecordError> {
        let inner = &*self.inner;
        if !inner.sampler.keeps_error() {
            inner.pipeline().refuse(DropReason::Sampled);
            return Ok(LogStatus::Filtered);
        }
        if let Some(storm) = &inner.storm {
            let now = Instant::now();
            inner.send_storm_summaries(now);
            if storm.admit(&error, now) == Admission::Fold {
                inner.pipeline().refuse(DropReason::Folded);
                return Ok(LogStatus::Filtered);
            }
        }
        let mut attributes = parse_json_object(options.attributes)?;
        let message = match options.message {
            Some(message) => {
                attributes.insert(ERROR_TEXT_ATTRIBUTE.to_owned(), error.message().into());
                message.to_owned()
            }
            None => error.message().to_owned(),
        };
        let mut report = ErrorReport::new(error, self.breadcrumbs());
        report.supplied_fingerprint = options.fingerprint.map(str::to_owned);
        if options.native_stack {
            report = report.with_native_stack();
        }
        let payload = Payload::Error(Box::new(report));
        let level = options.level.unwrap_or_else(|| payload.default_level());
        self.submit_kind(EntryKind::Log, Sampling::Decided, |context| {
            Record::with_attributes(level, &message, attributes, context)
                .map(|r| r.with_payload(payload))
        })
    }

    /// [`Logger::capture_error`] under the name the LuminaLog API uses.
    pub fn capture_exception(
        &self,
        error: CapturedError,
        options: &CaptureOptions<'_>,
    ) -> Result<LogStatus, RecordError> {
        self.capture_error(error, options)
    }

    /// Logs at info or more severe, and events, leave a breadcrumb as they are logged; a
    /// captured error does not.
    fn leave_breadcrumb(&self, record: &Record) {
        let category = match record.kind() {
            EntryKind::Log if record.error_report().is_some() => return,
            EntryKind::Log if record.level <= Level::Info => "log",
            EntryKind::Event => "event",
            _ => return,
        };
        self.trail().add_logged(
            record.timestamp_ns,
            category,
            record.message(),
            record.level,
        );
    }

    pub fn debug(&self, message: &str) -> LogStatus {
        self.log::<&str, &str>(Level::Debug, message, &[])
    }

    pub fn info(&self, message: &str) -> LogStatus {
        self.log::<&str, &str>(Level::Info, message, &[])
    }

    pub fn warn(&self, message: &str) -> LogStatus {
        self.log::<&str, &str>(Level::Warning, message, &[])
    }

    pub fn error(&self, message: &str) -> LogStatus {
        self.log::<&str, &str>(Level::Error, message, &[])
    }
}
