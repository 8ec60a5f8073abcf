//! Options: defaults, validation, clamping and the string-keyed setter.
//!
//! Every option has one string form, parsed in one place: the C setter, the bindings' keyword
//! options and the `FERROLOG_*` environment variables all go through [`Config::set`], so a value
//! means the same thing however it arrives and a bad one gets the same error naming the option.

use std::fmt;
use std::time::Duration;

use crate::hooks::Hooks;
use crate::level::Level;

/// The wire protocol a client speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    LuminaLog,
    LogFlux,
    Otlp,
}

impl Protocol {
    fn parse(value: &str) -> Option<Protocol> {
        match value.to_ascii_lowercase().as_str() {
            "luminalog" => Some(Protocol::LuminaLog),
            "logflux" => Some(Protocol::LogFlux),
            "otlp" => Some(Protocol::Otlp),
            _ => None,
        }
    }

    /// The protocol an API key's shape implies: `<region>-lf_…` is LogFlux.
    pub fn for_api_key(api_key: &str) -> Protocol {
        match api_key.split_once('-') {
            Some((_, rest)) if rest.starts_with("lf_") => Protocol::LogFlux,
            _ => Protocol::LuminaLog,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Protocol::LuminaLog => "luminalog",
            Protocol::LogFlux => "logflux",
            Protocol::Otlp => "otlp",
        }
    }
}

/// What a full queue does with the next entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overflow {
    /// Refuse the new entry (the default: the caller never waits).
    DropNewest,
    /// Evict the oldest queued entry to make room.
    DropOldest,
    /// Wait for room up to `block_timeout`, then refuse.
    Block,
}

/// A configuration error: which option, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub key: String,
    pub reason: String,
}

impl ConfigError {
    pub(crate) fn new(key: &str, reason: impl Into<String>) -> ConfigError {
        ConfigError {
            key: key.to_owned(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "option `{}`: {}", self.key, self.reason)
    }
}

impl std::error::Error for ConfigError {}

/// Client options. Create with [`Config::new`], adjust with [`Config::set`] or the fields, and
/// hand to [`crate::Client::new`], which validates the whole.
#[derive(Clone, PartialEq)]
pub struct Config {
    pub api_key: String,
    pub environment: Option<String>,
    pub release: Option<String>,
    pub source: Option<String>,
    /// The host or node name: LogFlux's `source` when no source is set.
    pub node: Option<String>,
    pub project_id: Option<String>,
    pub endpoint: Option<String>,
    /// `None`: chosen from the API key's shape.
    pub protocol: Option<Protocol>,
    pub batch_size: usize,
    pub flush_interval: Duration,
    pub queue_size: usize,
    pub queue_max_bytes: usize,
    pub overflow: Overflow,
    pub block_timeout: Duration,
    pub worker_count: usize,
    /// Retries after the first attempt; `None`: the protocol's default.
    pub max_retries: Option<u32>,
    /// The first retry delay; later ones double, with jitter, up to 30 s.
    pub retry_backoff: Duration,
    /// The limit on one HTTP request, connect to last byte; `None`: the protocol's default.
    pub http_timeout: Option<Duration>,
    pub min_level: Level,
    pub privacy_mode: bool,
    /// The share of entries kept, for every signal whose own rate is unset (audit entries
    /// are never sampled).
    pub sample_rate: f64,
    /// Per-signal rates: logs; metrics and telemetry; spans; events. `None`: `sample_rate`.
    pub logs_sample_rate: Option<f64>,
    pub metrics_sample_rate: Option<f64>,
    pub traces_sample_rate: Option<f64>,
    pub events_sample_rate: Option<f64>,
    /// Captured errors are all kept unless this is set.
    pub errors_sample_rate: Option<f64>,
    /// Identical errors (by fingerprint) sent per window before the rest are folded into one
    /// "repeated N times" entry; 0 turns folding off.
    pub error_storm_limit: u32,
    pub error_storm_window: Duration,
    pub max_breadcrumbs: usize,
    pub compression: bool,
    /// The gzip level, 1 (fastest) to 9 (smallest), when `compression` is on.
    pub compression_level: u32,
    pub debug: bool,
    /// For the bindings: `false` makes SDK errors raise in the host language instead of being
    /// counted and reported. The core never panics into its host either way.
    pub failsafe: bool,
    /// LogFlux: keep the session key on disk and reuse it across restarts.
    pub key_persistence: bool,
    /// LogFlux: where session files live; `None`: `~/.ferrolog/sessions`.
    pub key_persistence_path: Option<String>,
    /// LogFlux: replace a session older than this many days (0: never).
    pub key_rotation_days: u32,
    /// Before-send hooks by entry type; set in code, they have no string form.
    pub hooks: Hooks,
    /// LogFlux: the discovery service asked for the base URL when no endpoint is set, with
    /// `{region}` standing for the API key's region; `None`: go straight to the template.
    pub discovery_url: Option<String>,
    /// Where batches that cannot be delivered are kept and replayed from; `None`: dropped.
    pub spool_dir: Option<String>,
    /// The most the spool may hold on disk; the oldest batches are evicted beyond it.
    pub spool_max_bytes: u64,
}

impl fmt::Debug for Config {
    // Written by hand so that the API key never reaches a log line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("api_key", &"<redacted>")
            .field("environment", &self.environment)
            .field("endpoint", &self.endpoint)
            .field("protocol", &self.protocol)
            .field("batch_size", &self.batch_size)
            .field("flush_interval", &self.flush_interval)
            .field("queue_size", &self.queue_size)
            .field("overflow", &self.overflow)
            .field("min_level", &self.min_level)
            .finish_non_exhaustive()
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            api_key: String::new(),
            environment: None,
            release: None,
            source: None,
            node: None,
            project_id: None,
            endpoint: None,
            protocol: None,
            batch_size: 100,
            flush_interval: Duration::from_secs(5),
            // Large enough that a burst of tens of thousands of entries from one thread is held
            // while the worker catches up; the byte bound is what caps memory.
            queue_size: 65_536,
            queue_max_bytes: 32 << 20,
            overflow: Overflow::DropNewest,
            block_timeout: Duration::from_millis(100),
            worker_count: 1,
            max_retries: None,
            retry_backoff: Duration::from_secs(1),
            http_timeout: None,
            min_level: Level::Debug,
            privacy_mode: false,
            sample_rate: 1.0,
            logs_sample_rate: None,
            metrics_sample_rate: None,
            traces_sample_rate: None,
            events_sample_rate: None,
            errors_sample_rate: None,
            error_storm_limit: 10,
            error_storm_window: Duration::from_secs(60),
            max_breadcrumbs: 100,
            compression: false,
            compression_level: DEFAULT_COMPRESSION_LEVEL,
            debug: false,
            failsafe: true,
            key_persistence: true,
            key_persistence_path: None,
            key_rotation_days: 0,
            discovery_url: Some(DEFAULT_DISCOVERY_URL.to_owned()),
            hooks: Hooks::default(),
            spool_dir: None,
            spool_max_bytes: crate::spool::DEFAULT_MAX_BYTES,
        }
    }
}

/// Every key [`Config::set`] accepts, in the order the documentation lists them.
pub const KEYS: &[&str] = &[
    "api_key",
    "environment",
    "release",
    "source",
    "node",
    "project_id",
    "endpoint",
    "protocol",
    "batch_size",
    "flush_interval",
    "queue_size",
    "queue_max_bytes",
    "overflow",
    "block_timeout",
    "worker_count",
    "max_retries",
    "retry_backoff",
    "http_timeout",
    "min_level",
    "privacy_mode",
    "sample_rate",
    "logs_sample_rate",
    "metrics_sample_rate",
    "traces_sample_rate",
    "events_sample_rate",
    "errors_sample_rate",
    "error_storm_limit",
    "error_storm_window",
    "max_breadcrumbs",
    "compression",
    "compression_level",
    "debug",
    "failsafe",
    "key_persistence",
    "key_persistence_path",
    "key_rotation_days",
    "discovery_url",
    "spool_dir",
    "spool_max_bytes",
];

/// LogFlux's static discovery service (spec §3).
pub const DEFAULT_DISCOVERY_URL: &str = "https://discover.{region}.logflux.io";

/// gzip's fastest level. Measured on ~270-byte LogFlux entries (BENCHMARKS.md): level 1
/// takes a third of the time of level 2 and above (zlib-rs's level 1 needs no dynamic
/// Huffman tables) for 231 bytes of output instead of 192.
pub const DEFAULT_COMPRESSION_LEVEL: u32 = 1;

/// Upper bounds that keep a typo from reserving gigabytes or spawning hundreds of threads.
const MAX_QUEUE_SIZE: usize = 1 << 24;
const MAX_WORKERS: usize = 16;
const MAX_BATCH_SIZE: usize = 10_000;
/// A spool smaller than this could not hold one batch of a few entries.
const MIN_SPOOL_BYTES: usize = 4096;

impl Config {
    pub fn new(api_key: impl Into<String>) -> Config {
        Config {
            api_key: api_key.into(),
            ..Config::default()
        }
    }

    /// Sets one option from its string form. Durations are seconds (`5`, `0.25`) or carry a
    /// unit (`250ms`, `2s`); booleans are `true/false/1/0/yes/no/on/off`.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ConfigError> {
        let value = value.trim();
        match key {
            "api_key" => self.api_key = non_empty(key, value)?,
            "environment" => self.environment = optional(value),
            "release" => self.release = optional(value),
            "source" => self.source = optional(value),
            "node" => self.node = optional(value),
            "project_id" => self.project_id = optional(value),
            "endpoint" => self.endpoint = Some(url(key, value)?),
            "protocol" => {
                self.protocol = match value {
                    "" | "auto" => None,
                    _ => Some(Protocol::parse(value).ok_or_else(|| {
                        ConfigError::new(key, "expected luminalog, logflux, otlp or auto")
                    })?),
                }
            }
            "batch_size" => self.batch_size = integer(key, value, 1, MAX_BATCH_SIZE)?,
            "flush_interval" => self.flush_interval = duration(key, value, true)?,
            "queue_size" => self.queue_size = integer(key, value, 1, MAX_QUEUE_SIZE)?,
            "queue_max_bytes" => self.queue_max_bytes = integer(key, value, 1024, usize::MAX)?,
            "overflow" => {
                self.overflow = match value.to_ascii_lowercase().as_str() {
                    "drop_newest" => Overflow::DropNewest,
                    "drop_oldest" => Overflow::DropOldest,
                    "block" => Overflow::Block,
                    _ => {
                        return Err(ConfigError::new(
                            key,
                            "expected drop_newest, drop_oldest or block",
                        ))
                    }
                }
            }
            "block_timeout" => self.block_timeout = duration(key, value, false)?,
            "worker_count" => self.worker_count = integer(key, value, 1, MAX_WORKERS)?,
            "max_retries" => self.max_retries = Some(integer(key, value, 0, 100)? as u32),
            "retry_backoff" => self.retry_backoff = duration(key, value, false)?,
            "http_timeout" => self.http_timeout = Some(duration(key, value, true)?),
            "min_level" => {
                self.min_level = Level::from_name(value).ok_or_else(|| {
                    ConfigError::new(key, "expected a level name (debug … emergency) or 1..8")
                })?
            }
            "privacy_mode" => self.privacy_mode = boolean(key, value)?,
            "sample_rate" => self.sample_rate = rate(key, value)?,
            "logs_sample_rate" => self.logs_sample_rate = optional_rate(key, value)?,
            "metrics_sample_rate" => self.metrics_sample_rate = optional_rate(key, value)?,
            "traces_sample_rate" => self.traces_sample_rate = optional_rate(key, value)?,
            "events_sample_rate" => self.events_sample_rate = optional_rate(key, value)?,
            "errors_sample_rate" => self.errors_sample_rate = optional_rate(key, value)?,
            "error_storm_limit" => {
                self.error_storm_limit = integer(key, value, 0, 1_000_000)? as u32
            }
            "error_storm_window" => self.error_storm_window = duration(key, value, true)?,
            "max_breadcrumbs" => self.max_breadcrumbs = integer(key, value, 0, 10_000)?,
            "compression" | "enable_compression" => {
                self.compression = match value.to_ascii_lowercase().as_str() {
                    "gzip" => true,
                    "none" | "off" => false,
                    _ => boolean(key, value)
                        .map_err(|_| ConfigError::new(key, "expected gzip, none, true or false"))?,
                }
            }
            "compression_level" => self.compression_level = integer(key, value, 1, 9)? as u32,
            "debug" => self.debug = boolean(key, value)?,
            "failsafe" => self.failsafe = boolean(key, value)?,
            "key_persistence" => self.key_persistence = boolean(key, value)?,
            "key_persistence_path" => self.key_persistence_path = optional(value),
            "key_rotation_days" => self.key_rotation_days = integer(key, value, 0, 36_500)? as u32,
            "discovery_url" => {
                self.discovery_url = match value {
                    "" | "off" | "none" => None,
                    _ => Some(url(key, value)?),
                }
            }
            "spool_dir" => self.spool_dir = optional(value),
            "spool_max_bytes" => {
                self.spool_max_bytes = integer(key, value, MIN_SPOOL_BYTES, usize::MAX)? as u64
            }
            _ => return Err(ConfigError::new(key, "unknown option")),
        }
        Ok(())
    }

    /// Applies the environment: every `FERROLOG_<KEY>` variable that is set
    /// (`FERROLOG_API_KEY`, `FERROLOG_BATCH_SIZE`, …) and the reference SDKs' names
    /// (`LOGFLUX_API_KEY`, `LUMINALOG_API_KEY`, `ENVIRONMENT`, …; see [`crate::env`]). Errors
    /// name the variable and change nothing. Options set after this call win over it.
    pub fn apply_env(&mut self) -> Result<(), ConfigError> {
        crate::env::apply(self, |name| std::env::var(name).ok())
    }

    /// The defaults with the environment applied.
    pub fn from_env() -> Result<Config, ConfigError> {
        let mut config = Config::default();
        config.apply_env()?;
        Ok(config)
    }

    /// The protocol in force: the explicit one, else the API key's shape.
    pub fn effective_protocol(&self) -> Protocol {
        self.protocol
            .unwrap_or_else(|| Protocol::for_api_key(&self.api_key))
    }
}

fn non_empty(key: &str, value: &str) -> Result<String, ConfigError> {
    if value.is_empty() {
        return Err(ConfigError::new(key, "must not be empty"));
    }
    Ok(value.to_owned())
}

fn optional(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

fn url(key: &str, value: &str) -> Result<String, ConfigError> {
    let lower = value.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) || value.len() <= 8 {
        return Err(ConfigError::new(key, "expected an http:// or https:// URL"));
    }
    Ok(value.to_owned())
}

fn rate(key: &str, value: &str) -> Result<f64, ConfigError> {
    let rate: f64 = value
        .parse()
        .map_err(|_| ConfigError::new(key, "expected a number from 0.0 to 1.0"))?;
    if !(0.0..=1.0).contains(&rate) {
        return Err(ConfigError::new(key, "expected a number from 0.0 to 1.0"));
    }
    Ok(rate)
}

/// A rate, or empty for none of its own.
fn optional_rate(key: &str, value: &str) -> Result<Option<f64>, ConfigError> {
    match value {
        "" => Ok(None),
        _ => rate(key, value).map(Some),
    }
}

fn integer(key: &str, value: &str, min: usize, max: usize) -> Result<usize, ConfigError> {
    let n: usize = value
        .parse()
        .map_err(|_| ConfigError::new(key, "expected a whole number"))?;
    if n < min || n > max {
        return Err(ConfigError::new(
            key,
            format!("expected a whole number from {min} to {max}"),
        ));
    }
    Ok(n)
}

fn boolean(key: &str, value: &str) -> Result<bool, ConfigError> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err(ConfigError::new(key, "expected true or false")),
    }
}

/// Parses seconds (`5`, `0.5`) or a number with `ms` or `s`. Durations above a day are refused:
/// they are typos, and the pipeline's arithmetic stays far from overflow.
fn duration(key: &str, value: &str, positive: bool) -> Result<Duration, ConfigError> {
    let (number, scale) = if let Some(ms) = value.strip_suffix("ms") {
        (ms, 0.001)
    } else if let Some(s) = value.strip_suffix('s') {
        (s, 1.0)
    } else {
        (value, 1.0)
    };
    let reason = "expected a duration in seconds (e.g. 5, 0.25, 250ms) up to one day";
    let seconds = number
        .trim()
        .parse::<f64>()
        .ok()
        .map(|n| n * scale)
        .filter(|s| s.is_finite() && *s >= 0.0 && *s <= 86_400.0)
        .ok_or_else(|| ConfigError::new(key, reason))?;
    if positive && seconds == 0.0 {
        return Err(ConfigError::new(key, "must be greater than zero"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_key_is_accepted() {
        let samples = [
            ("api_key", "k"),
            ("environment", "prod"),
            ("release", "1.2.3"),
            ("source", "api"),
            ("node", "host-1"),
            ("project_id", "p"),
            ("endpoint", "http://127.0.0.1:1/v1/logs"),
            ("protocol", "luminalog"),
            ("batch_size", "50"),
            ("flush_interval", "250ms"),
            ("queue_size", "10"),
            ("queue_max_bytes", "4096"),
            ("overflow", "block"),
            ("block_timeout", "0"),
            ("worker_count", "2"),
            ("max_retries", "0"),
            ("retry_backoff", "0.01"),
            ("http_timeout", "2s"),
            ("min_level", "warn"),
            ("privacy_mode", "yes"),
            ("sample_rate", "0.5"),
            ("logs_sample_rate", "0.1"),
            ("metrics_sample_rate", ""),
            ("traces_sample_rate", "1"),
            ("events_sample_rate", "0"),
            ("errors_sample_rate", "0.5"),
            ("error_storm_limit", "0"),
            ("error_storm_window", "30s"),
            ("max_breadcrumbs", "10"),
            ("compression", "gzip"),
            ("compression_level", "6"),
            ("debug", "off"),
            ("failsafe", "true"),
            ("key_persistence", "false"),
            ("key_persistence_path", "/tmp/sessions"),
            ("key_rotation_days", "30"),
            ("discovery_url", "off"),
            ("spool_dir", "/var/spool/app"),
            ("spool_max_bytes", "1048576"),
        ];
        assert_eq!(samples.len(), KEYS.len());
        let mut config = Config::new("x");
        for (key, value) in samples {
            config.set(key, value).unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(config.flush_interval, Duration::from_millis(250));
        assert_eq!(config.spool_dir.as_deref(), Some("/var/spool/app"));
        assert_eq!(config.spool_max_bytes, 1 << 20);
        assert_eq!(config.http_timeout, Some(Duration::from_secs(2)));
        assert_eq!(config.min_level, Level::Warning);
        assert_eq!(config.overflow, Overflow::Block);
        assert!(config.compression && config.privacy_mode && !config.debug);
        assert_eq!(config.discovery_url, None);
        config.set("discovery_url", "http://127.0.0.1:9/").unwrap();
        assert_eq!(config.discovery_url.as_deref(), Some("http://127.0.0.1:9/"));
        assert_eq!(config.compression_level, 6);
    }

    #[test]
    fn compression_levels_are_one_to_nine() {
        let mut config = Config::new("x");
        assert_eq!(config.compression_level, DEFAULT_COMPRESSION_LEVEL);
        for level in ["1", "9", " 4 "] {
            config.set("compression_level", level).unwrap();
            assert_eq!(
                config.compression_level,
                level.trim().parse::<u32>().unwrap()
            );
        }
        let out_of_range = config.set("compression_level", "10").unwrap_err();
        assert!(out_of_range.reason.contains("1 to 9"), "{out_of_range}");
        for bad in ["0", "10", "fast", "-1", ""] {
            let err = config.set("compression_level", bad).unwrap_err();
            assert_eq!(err.key, "compression_level");
            assert!(err.to_string().contains("compression_level"), "{err}");
        }
        let env = |name: &str| (name == "FERROLOG_COMPRESSION_LEVEL").then(|| "7".to_owned());
        crate::env::apply(&mut config, env).unwrap();
        assert_eq!(config.compression_level, 7);
        let bad = |name: &str| (name == "FERROLOG_COMPRESSION_LEVEL").then(|| "11".to_owned());
        assert_eq!(
            crate::env::apply(&mut config, bad).unwrap_err().key,
            "FERROLOG_COMPRESSION_LEVEL"
        );
    }

    #[test]
    fn errors_name_the_option_and_the_reason() {
        let mut config = Config::new("x");
        let cases = [
            ("batch_size", "0"),
            ("batch_size", "ten"),
            ("flush_interval", "0"),
            ("flush_interval", "-1"),
            ("flush_interval", "NaN"),
            ("http_timeout", "100000"),
            ("sample_rate", "1.5"),
            ("traces_sample_rate", "-0.1"),
            ("events_sample_rate", "half"),
            ("min_level", "verbose"),
            ("overflow", "spill"),
            ("endpoint", "ftp://x"),
            ("discovery_url", "discover.example"),
            ("api_key", "  "),
            ("worker_count", "1000"),
            ("no_such_option", "1"),
        ];
        for (key, value) in cases {
            let err = config.set(key, value).unwrap_err();
            assert_eq!(err.key, key);
            assert!(!err.reason.is_empty());
            assert!(err.to_string().contains(key));
        }
        assert_eq!(config, Config::new("x"), "a failed set changes nothing");
    }

    #[test]
    fn protocol_follows_the_key_shape_unless_set() {
        assert_eq!(
            Config::new("eu-lf_abc").effective_protocol(),
            Protocol::LogFlux
        );
        assert_eq!(
            Config::new("ll_abc").effective_protocol(),
            Protocol::LuminaLog
        );
        let mut config = Config::new("eu-lf_abc");
        config.set("protocol", "luminalog").unwrap();
        assert_eq!(config.effective_protocol(), Protocol::LuminaLog);
    }

    #[test]
    fn debug_output_never_shows_the_api_key() {
        let config = Config::new("secret-key-123");
        assert!(!format!("{config:?}").contains("secret-key-123"));
    }
}
