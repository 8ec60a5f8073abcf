//! Where a LogFlux client sends (spec §3): a configured endpoint, else what the static
//! discovery service names, else the region's template. Resolved once, on the worker, so
//! client creation never waits for the network.

use std::time::Duration;

use serde::Deserialize;

use crate::transport::Transport;

/// The longest a discovery request may take (spec §2).
const DISCOVERY_TIMEOUT: Duration = Duration::from_secs(10);

/// How the base URL is to be found.
#[derive(Clone, Debug)]
pub(crate) enum Origin {
    /// A configured endpoint, used as given but for trailing slashes.
    Endpoint(String),
    /// The region's: asked of `discovery_url` (`{region}` replaced) when there is one, else
    /// the template.
    Region {
        region: String,
        discovery_url: Option<String>,
    },
}

impl Origin {
    pub fn new(endpoint: Option<&str>, region: &str, discovery_url: Option<&str>) -> Origin {
        match endpoint {
            Some(endpoint) => Origin::Endpoint(without_trailing_slashes(endpoint)),
            None => Origin::Region {
                region: region.to_owned(),
                discovery_url: discovery_url.map(|url| url.replace("{region}", region)),
            },
        }
    }

    /// The base URL. Every failure of discovery (network, status, body) falls through to the
    /// template, as the spec orders; `timeout` may only shorten discovery's own limit.
    pub fn resolve(&self, transport: &Transport, timeout: Duration) -> String {
        match self {
            Origin::Endpoint(base) => base.clone(),
            Origin::Region {
                region,
                discovery_url,
            } => discovery_url
                .as_deref()
                .and_then(|url| discover(transport, url, timeout.min(DISCOVERY_TIMEOUT)))
                .unwrap_or_else(|| template(region)),
        }
    }
}

fn without_trailing_slashes(url: &str) -> String {
    url.trim_end_matches('/').to_owned()
}

fn template(region: &str) -> String {
    format!("https://api.ingest.{region}.logflux.io")
}

fn discover(transport: &Transport, url: &str, timeout: Duration) -> Option<String> {
    let response = transport.get_json(url, timeout).ok()?;
    if response.status != 200 {
        return None;
    }
    ingestor_url(&response.body, url)
}

#[derive(Deserialize)]
struct Discovered {
    endpoints: Endpoints,
}

#[derive(Deserialize)]
struct Endpoints {
    ingestor_url: String,
}

/// The answer's `endpoints.ingestor_url`. The API key travels to that address, so it must be
/// `https` unless discovery itself was asked over plain `http` (a local installation).
fn ingestor_url(body: &[u8], discovery_url: &str) -> Option<String> {
    let discovered: Discovered = serde_json::from_slice(body).ok()?;
    let base = without_trailing_slashes(discovered.endpoints.ingestor_url.trim());
    let lower = base.to_ascii_lowercase();
    let plain_allowed = discovery_url.to_ascii_lowercase().starts_with("http://");
    let scheme_ok =
        lower.starts_with("https://") || (plain_allowed && lower.starts_with("http://"));
    (scheme_ok && base.len() > "https://".len()).then_some(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DISCOVERY: &str = "https://discover.eu.logflux.io";

    #[test]
    fn an_endpoint_wins_and_loses_its_trailing_slashes() {
        let origin = Origin::new(Some("http://h:1//"), "eu", Some(DISCOVERY));
        assert_eq!(
            origin.resolve(&Transport::new(), Duration::ZERO),
            "http://h:1"
        );
    }

    #[test]
    fn the_region_fills_the_discovery_url_and_the_template() {
        let origin = Origin::new(None, "us", Some("https://discover.{region}.logflux.io"));
        let Origin::Region { discovery_url, .. } = &origin else {
            panic!("{origin:?}");
        };
        assert_eq!(
            discovery_url.as_deref(),
            Some("https://discover.us.logflux.io")
        );
        let undiscovered = Origin::new(None, "us", None);
        assert_eq!(
            undiscovered.resolve(&Transport::new(), Duration::ZERO),
            "https://api.ingest.us.logflux.io"
        );
    }

    #[test]
    fn the_answer_names_the_ingestor() {
        let body = br#"{"version":"1.0","region":"eu","endpoints":{"ingestor_url":"https://api.ingest.eu.logflux.io/","backend_url":"x"},"updated_at":"2026-01-01T00:00:00Z"}"#;
        assert_eq!(
            ingestor_url(body, DISCOVERY).as_deref(),
            Some("https://api.ingest.eu.logflux.io")
        );
        for bad in [
            &br#"{"endpoints":{"ingestor_url":""}}"#[..],
            br#"{"endpoints":{"ingestor_url":7}}"#,
            br#"{"endpoints":{}}"#,
            br#"{"ingestor_url":"https://x.example"}"#,
            br#"not json"#,
            br#"{"endpoints":{"ingestor_url":"ftp://x.example"}}"#,
        ] {
            assert_eq!(ingestor_url(bad, DISCOVERY), None, "{bad:?}");
        }
    }

    #[test]
    fn plain_http_is_taken_only_from_a_plain_http_discovery() {
        let body = br#"{"endpoints":{"ingestor_url":"http://127.0.0.1:9"}}"#;
        assert_eq!(ingestor_url(body, DISCOVERY), None);
        assert_eq!(
            ingestor_url(body, "http://127.0.0.1:8").as_deref(),
            Some("http://127.0.0.1:9")
        );
    }

    #[test]
    fn discovery_failures_fall_through_to_the_template() {
        let collector = crate::test_collector::Collector::start();
        let transport = Transport::new();
        let ask = |discovery_url: String| {
            Origin::new(None, "ca", Some(&discovery_url))
                .resolve(&transport, Duration::from_secs(5))
        };
        assert_eq!(ask(collector.base.clone()), collector.base);
        let template = "https://api.ingest.ca.logflux.io";
        assert_eq!(
            ask(format!("{}/api/stats", collector.base)),
            template,
            "no endpoints"
        );
        assert_eq!(ask(format!("{}/missing", collector.base)), template, "404");
        assert_eq!(ask("http://127.0.0.1:1".into()), template, "refused");
    }
}
