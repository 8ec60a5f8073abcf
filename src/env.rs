//! Configuration from the environment: ferrolog's own `FERROLOG_<KEY>` variables for every
//! option, and the names the two reference SDKs document, so a service configured for either
//! keeps its settings.
//!
//! When several variables name one option, the most specific wins: `FERROLOG_*`, then
//! `LOGFLUX_*`, then `LUMINALOG_API_KEY` and `ENVIRONMENT`; the others are not read. Options
//! set explicitly after [`crate::Config::apply_env`] win over all of them.

use crate::config::{Config, ConfigError, KEYS};

/// The reference SDKs' variables, each with the option it sets, most specific first within
/// an option.
const REFERENCE_VARIABLES: &[(&str, &str)] = &[
    ("LOGFLUX_API_KEY", "api_key"),
    ("LUMINALOG_API_KEY", "api_key"),
    ("LOGFLUX_ENVIRONMENT", "environment"),
    ("ENVIRONMENT", "environment"),
    ("LOGFLUX_NODE", "node"),
    ("LOGFLUX_QUEUE_SIZE", "queue_size"),
    ("LOGFLUX_BATCH_SIZE", "batch_size"),
    ("LOGFLUX_FLUSH_INTERVAL", "flush_interval"),
    ("LOGFLUX_MAX_RETRIES", "max_retries"),
    ("LOGFLUX_HTTP_TIMEOUT", "http_timeout"),
    ("LOGFLUX_WORKER_COUNT", "worker_count"),
    ("LOGFLUX_ENABLE_COMPRESSION", "compression"),
    ("LOGFLUX_SAMPLE_RATE", "sample_rate"),
    ("LOGFLUX_MAX_BREADCRUMBS", "max_breadcrumbs"),
    ("LOGFLUX_FAILSAFE_MODE", "failsafe"),
    ("LOGFLUX_DEBUG", "debug"),
    ("LOGFLUX_KEY_PERSISTENCE", "key_persistence"),
    ("LOGFLUX_KEY_PERSISTENCE_PATH", "key_persistence_path"),
    ("LOGFLUX_KEY_ROTATION_DAYS", "key_rotation_days"),
];

/// `FERROLOG_BATCH_SIZE` for `batch_size`.
pub fn variable_for(key: &str) -> String {
    format!("FERROLOG_{}", key.to_ascii_uppercase())
}

/// Every variable that may set `key`, most specific first.
fn variables(key: &str) -> impl Iterator<Item = String> + '_ {
    std::iter::once(variable_for(key)).chain(
        REFERENCE_VARIABLES
            .iter()
            .filter(move |(_, option)| *option == key)
            .map(|(variable, _)| (*variable).to_owned()),
    )
}

/// Applies, for each option, the most specific variable `lookup` finds; an error names the
/// variable and leaves `config` as it was.
pub(crate) fn apply(
    config: &mut Config,
    lookup: impl Fn(&str) -> Option<String>,
) -> Result<(), ConfigError> {
    let mut updated = config.clone();
    for key in KEYS {
        let found = variables(key).find_map(|variable| Some((lookup(&variable)?, variable)));
        if let Some((value, variable)) = found {
            updated
                .set(key, &value)
                .map_err(|e| ConfigError::new(&variable, e.reason))?;
        }
    }
    *config = updated;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::time::Duration;

    use super::*;

    fn from(variables: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let variables: HashMap<String, String> = variables
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let mut config = Config::default();
        apply(&mut config, |name| variables.get(name).cloned())?;
        Ok(config)
    }

    #[test]
    fn every_reference_variable_names_a_real_option() {
        for (variable, key) in REFERENCE_VARIABLES {
            assert!(KEYS.contains(key), "{variable} sets unknown option {key}");
        }
    }

    #[test]
    fn the_logflux_names_set_their_options() {
        let config = from(&[
            ("LOGFLUX_API_KEY", "eu-lf_abc"),
            ("LOGFLUX_ENVIRONMENT", "staging"),
            ("LOGFLUX_NODE", "node-7"),
            ("LOGFLUX_QUEUE_SIZE", "500"),
            ("LOGFLUX_BATCH_SIZE", "20"),
            ("LOGFLUX_FLUSH_INTERVAL", "2.5"),
            ("LOGFLUX_MAX_RETRIES", "1"),
            ("LOGFLUX_HTTP_TIMEOUT", "7"),
            ("LOGFLUX_WORKER_COUNT", "3"),
            ("LOGFLUX_ENABLE_COMPRESSION", "true"),
            ("LOGFLUX_SAMPLE_RATE", "0.25"),
            ("LOGFLUX_MAX_BREADCRUMBS", "12"),
            ("LOGFLUX_FAILSAFE_MODE", "false"),
            ("LOGFLUX_DEBUG", "1"),
            ("LOGFLUX_KEY_PERSISTENCE", "off"),
            ("LOGFLUX_KEY_PERSISTENCE_PATH", "/var/lib/app/sessions"),
            ("LOGFLUX_KEY_ROTATION_DAYS", "30"),
        ])
        .unwrap();
        assert_eq!(config.api_key, "eu-lf_abc");
        assert_eq!(config.environment.as_deref(), Some("staging"));
        assert_eq!(config.node.as_deref(), Some("node-7"));
        assert_eq!((config.queue_size, config.batch_size), (500, 20));
        assert_eq!(config.flush_interval, Duration::from_millis(2500));
        assert_eq!(config.max_retries, Some(1));
        assert_eq!(config.http_timeout, Some(Duration::from_secs(7)));
        assert_eq!(config.worker_count, 3);
        assert!(config.compression && config.debug);
        assert_eq!(config.sample_rate, 0.25);
        assert_eq!(config.max_breadcrumbs, 12);
        assert!(!config.failsafe && !config.key_persistence);
        assert_eq!(
            config.key_persistence_path.as_deref(),
            Some("/var/lib/app/sessions")
        );
        assert_eq!(config.key_rotation_days, 30);
    }

    #[test]
    fn the_most_specific_variable_wins() {
        let config = from(&[
            ("LUMINALOG_API_KEY", "ll-key"),
            ("ENVIRONMENT", "development"),
        ])
        .unwrap();
        assert_eq!(
            (config.api_key.as_str(), config.environment.as_deref()),
            ("ll-key", Some("development"))
        );
        let config = from(&[
            ("FERROLOG_API_KEY", "ferrolog-key"),
            ("LOGFLUX_API_KEY", "eu-lf_abc"),
            ("LUMINALOG_API_KEY", "ll-key"),
            ("LOGFLUX_BATCH_SIZE", "not read"),
            ("FERROLOG_BATCH_SIZE", "40"),
        ])
        .unwrap();
        assert_eq!(
            (config.api_key.as_str(), config.batch_size),
            ("ferrolog-key", 40)
        );
    }

    #[test]
    fn a_bad_value_names_its_variable_and_changes_nothing() {
        let mut config = Config::default();
        let lookup = |name: &str| match name {
            "FERROLOG_ENVIRONMENT" => Some("prod".to_owned()),
            "LOGFLUX_SAMPLE_RATE" => Some("often".to_owned()),
            _ => None,
        };
        let error = apply(&mut config, lookup).unwrap_err();
        assert_eq!(error.key, "LOGFLUX_SAMPLE_RATE");
        assert!(error.to_string().contains("LOGFLUX_SAMPLE_RATE"));
        assert_eq!(config, Config::default());
    }
}
