//! Choosing the wire protocol and building its encoders from the options: what each protocol
//! needs of the configuration, and what it refuses.

use std::path::PathBuf;
use std::sync::Arc;

use flate2::Compression;
use serde_json::Map;

use crate::config::{Config, ConfigError, Protocol};
use crate::diagnostics::Diagnostics;
use crate::pipeline::refused::RefusedKinds;
use crate::pipeline::Encoder;
use crate::wire::logflux::client::{
    self as logflux, LogFluxEncoder, Origin, SessionFile, SharedSession,
};
use crate::wire::logflux::payload::Common;
use crate::wire::luminalog::{encode as luminalog, LuminaLogEncoder};
use crate::wire::otlp::{self, OtlpEncoder};

/// The batch sizes the LuminaLog reference documents; others are clamped with a warning.
const LUMINALOG_BATCH_RANGE: (usize, usize) = (50, 500);

/// A validated protocol choice, able to build one encoder per worker.
pub(crate) enum Choice {
    LuminaLog(Config, Diagnostics),
    Otlp(Config),
    /// Every worker's encoder shares one session, and so one handshake, and records the
    /// categories a 507 closes where the client sees them.
    LogFlux {
        config: Config,
        diagnostics: Diagnostics,
        origin: Origin,
        session_dir: Option<PathBuf>,
        session: Arc<SharedSession>,
        refused: Arc<RefusedKinds>,
    },
}

impl Choice {
    pub fn new(
        config: &Config,
        diagnostics: Diagnostics,
        refused: Arc<RefusedKinds>,
    ) -> Result<Choice, ConfigError> {
        let config = config.clone();
        match config.effective_protocol() {
            Protocol::Otlp => Ok(Choice::Otlp(config)),
            _ if config.api_key.trim().is_empty() => {
                Err(ConfigError::new("api_key", "is required"))
            }
            Protocol::LuminaLog => Ok(Choice::LuminaLog(config, diagnostics)),
            Protocol::LogFlux => {
                let region = logflux::api_key_region(&config.api_key)
                    .map_err(|reason| ConfigError::new("api_key", reason))?;
                let origin = Origin::new(
                    config.endpoint.as_deref(),
                    region,
                    config.discovery_url.as_deref(),
                );
                let session_dir = session_dir(&config)?;
                Ok(Choice::LogFlux {
                    config,
                    diagnostics,
                    origin,
                    session_dir,
                    session: Arc::default(),
                    refused,
                })
            }
        }
    }

    /// The batch size in force: LuminaLog clamps to its documented range, with a warning.
    pub fn batch_size(&self, requested: usize) -> usize {
        let Choice::LuminaLog(_, diagnostics) = self else {
            return requested;
        };
        let (min, max) = LUMINALOG_BATCH_RANGE;
        let clamped = requested.clamp(min, max);
        if clamped != requested {
            diagnostics.warn(format_args!(
                "batch_size {requested} is outside {min}..={max} for the LuminaLog protocol; using {clamped}"
            ));
        }
        clamped
    }

    pub fn encoder(&self) -> Box<dyn Encoder> {
        match self {
            Choice::LuminaLog(config, diagnostics) => {
                let encoder = LuminaLogEncoder::new(luminalog::Options {
                    endpoint: config.endpoint.clone(),
                    api_key: config.api_key.clone(),
                    environment: config.environment.clone(),
                    project_id: config.project_id.clone(),
                    privacy_mode: config.privacy_mode,
                    gzip: config.compression,
                    diagnostics: *diagnostics,
                });
                Box::new(encoder.with_gzip_level(gzip_level(config)))
            }
            Choice::Otlp(config) => {
                let encoder = OtlpEncoder::new(otlp::Options {
                    endpoint: config.endpoint.clone(),
                    logs_endpoint: None,
                    traces_endpoint: None,
                    metrics_endpoint: None,
                    headers: Vec::new(),
                    source: config.source.clone(),
                    environment: config.environment.clone(),
                    release: config.release.clone(),
                    resource_attributes: Map::new(),
                    gzip: config.compression,
                    debug: config.debug,
                });
                Box::new(encoder.with_gzip_level(gzip_level(config)))
            }
            Choice::LogFlux {
                config,
                diagnostics,
                origin,
                session_dir,
                session,
                refused,
            } => Box::new(LogFluxEncoder::new(logflux::Options {
                api_key: config.api_key.clone(),
                origin: origin.clone(),
                common: Common {
                    source: config
                        .source
                        .clone()
                        .or_else(|| config.node.clone())
                        .unwrap_or_default(),
                    environment: config.environment.clone(),
                    release: config.release.clone(),
                },
                gzip: config.compression.then(|| gzip_level(config)),
                session_dir: session_dir.clone(),
                key_rotation_days: config.key_rotation_days,
                session: Arc::clone(session),
                refused: Arc::clone(refused),
                diagnostics: *diagnostics,
            })),
        }
    }
}

/// The one reading of `compression_level` every protocol's gzip uses.
fn gzip_level(config: &Config) -> Compression {
    Compression::new(config.compression_level)
}

/// The directory LogFlux sessions persist in, unless persistence is off.
fn session_dir(config: &Config) -> Result<Option<PathBuf>, ConfigError> {
    if !config.key_persistence {
        return Ok(None);
    }
    let dir = match &config.key_persistence_path {
        Some(path) => PathBuf::from(path),
        None => SessionFile::default_dir().ok_or_else(|| {
            ConfigError::new(
                "key_persistence_path",
                "no home directory; set a path or turn persistence off",
            )
        })?,
    };
    Ok(Some(dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choose(api_key: &str, options: &[(&str, &str)]) -> Result<Choice, ConfigError> {
        let mut config = Config::new(api_key);
        config.set("key_persistence", "false").unwrap();
        for (key, value) in options {
            config.set(key, value).unwrap();
        }
        Choice::new(&config, Diagnostics::new(false), Arc::default())
    }

    #[test]
    fn the_key_decides_the_protocol_and_must_fit_it() {
        assert!(matches!(
            choose("eu-lf_abc", &[]),
            Ok(Choice::LogFlux { .. })
        ));
        assert!(matches!(choose("ll-key", &[]), Ok(Choice::LuminaLog(..))));
        let bad_region = choose("xx-lf_abc", &[("protocol", "logflux")])
            .err()
            .unwrap();
        assert_eq!(bad_region.key, "api_key");
        assert!(bad_region.reason.contains("region"));
        assert_eq!(choose("", &[]).err().unwrap().key, "api_key");
        assert!(
            matches!(choose("", &[("protocol", "otlp")]), Ok(Choice::Otlp(_))),
            "OTLP needs no key"
        );
    }

    #[test]
    fn the_compression_level_reaches_the_request_gzip() {
        use std::io::Read;

        use crate::entry::Record;
        use crate::level::Level;

        let records: Vec<Record> = (0..300)
            .map(|i| {
                let message = format!("GET /api/orders/{} completed in {}ms", i % 13, i % 7);
                let pairs = [("route", "/api/orders"), ("status", "200")];
                Record::with_pairs(Level::Info, &message, pairs.into_iter(), Arc::default())
                    .unwrap()
            })
            .collect();
        for protocol in ["luminalog", "otlp"] {
            let body = |level: &str| {
                let options = [
                    ("protocol", protocol),
                    ("compression", "gzip"),
                    ("compression_level", level),
                ];
                let mut encoder = choose("k", &options).unwrap().encoder();
                encoder.encode(&records).unwrap().request.body
            };
            let (fast, best) = (body("1"), body("9"));
            assert!(
                best.len() < fast.len(),
                "{protocol}: {} vs {}",
                best.len(),
                fast.len()
            );
            let inflate = |body: &[u8]| {
                let mut json = Vec::new();
                flate2::read::GzDecoder::new(body)
                    .read_to_end(&mut json)
                    .unwrap();
                json
            };
            assert_eq!(inflate(&fast), inflate(&best), "{protocol}");
        }
    }

    #[test]
    fn only_luminalog_clamps_the_batch_size() {
        assert_eq!(choose("k", &[]).unwrap().batch_size(10), 50);
        assert_eq!(choose("k", &[]).unwrap().batch_size(1000), 500);
        assert_eq!(
            choose("k", &[("protocol", "otlp")]).unwrap().batch_size(10),
            10
        );
        assert_eq!(choose("eu-lf_k", &[]).unwrap().batch_size(1000), 1000);
    }
}
