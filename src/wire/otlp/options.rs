//! How an OTLP encoder is configured: where each signal goes, what the resource says, and how
//! the body travels.

use serde_json::{Map, Value};

use super::Signal;

/// The OTLP/HTTP port on the local host, where collectors and agents listen by default.
pub const DEFAULT_ENDPOINT: &str = "http://localhost:4318";

pub struct Options {
    /// The base URL each signal's path is appended to; [`DEFAULT_ENDPOINT`] when unset.
    pub endpoint: Option<String>,
    /// Full URLs that replace the base for one signal, used verbatim.
    pub logs_endpoint: Option<String>,
    pub traces_endpoint: Option<String>,
    pub metrics_endpoint: Option<String>,
    /// Sent unchanged on every request, e.g. `Authorization`: OTLP defines no API key header.
    pub headers: Vec<(&'static str, String)>,
    /// `service.name`; `unknown_service` when unset or empty.
    pub source: Option<String>,
    /// `deployment.environment.name`.
    pub environment: Option<String>,
    /// `service.version`.
    pub release: Option<String>,
    /// Extra resource attributes, after the standard ones.
    pub resource_attributes: Map<String, Value>,
    pub gzip: bool,
    /// Whether diagnostics include debug detail.
    pub debug: bool,
}

impl Options {
    /// The URL a signal is posted to (spec §2).
    pub(super) fn url(&self, signal: Signal) -> String {
        let verbatim = match signal {
            Signal::Logs => &self.logs_endpoint,
            Signal::Traces => &self.traces_endpoint,
            Signal::Metrics => &self.metrics_endpoint,
        };
        if let Some(url) = verbatim {
            return url.clone();
        }
        let base = self.endpoint.as_deref().unwrap_or(DEFAULT_ENDPOINT);
        format!("{}{}", base.trim_end_matches('/'), signal.path())
    }
}

#[cfg(test)]
pub(super) fn test_options() -> Options {
    Options {
        endpoint: None,
        logs_endpoint: None,
        traces_endpoint: None,
        metrics_endpoint: None,
        headers: Vec::new(),
        source: Some("api".into()),
        environment: None,
        release: None,
        resource_attributes: Map::new(),
        gzip: false,
        debug: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_appended_to_the_base_and_signal_urls_kept_verbatim() {
        let mut options = test_options();
        assert_eq!(options.url(Signal::Logs), "http://localhost:4318/v1/logs");
        options.endpoint = Some("https://otel.example:4318/base//".into());
        options.traces_endpoint = Some("https://traces.example/custom/".into());
        assert_eq!(
            options.url(Signal::Logs),
            "https://otel.example:4318/base/v1/logs"
        );
        assert_eq!(
            options.url(Signal::Metrics),
            "https://otel.example:4318/base/v1/metrics"
        );
        assert_eq!(
            options.url(Signal::Traces),
            "https://traces.example/custom/"
        );
    }
}
