//! Sampling: whether an entry is kept, decided on the caller's thread before any work on it.
//!
//! Each signal has its own rate (logs; metrics and telemetry; spans; events), defaulting to
//! `sample_rate`. Audit entries are never sampled; captured errors only at their own rate.

use crate::config::Config;
use crate::entry::EntryKind;
use crate::random;

/// The signals that carry a rate of their own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Signal {
    Logs,
    Metrics,
    Traces,
    Events,
}

impl Signal {
    fn of(kind: EntryKind) -> Option<Signal> {
        match kind {
            EntryKind::Log => Some(Signal::Logs),
            EntryKind::Metric | EntryKind::Telemetry | EntryKind::TelemetryManaged => {
                Some(Signal::Metrics)
            }
            EntryKind::Trace => Some(Signal::Traces),
            EntryKind::Event => Some(Signal::Events),
            EntryKind::Audit => None,
        }
    }
}

/// Thresholds against a uniform `u32`, one per [`Signal`]; `u32::MAX` keeps everything.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sampler {
    keep_below: [u32; 4],
    errors_keep_below: u32,
}

impl Sampler {
    pub fn new(config: &Config) -> Sampler {
        let rate = |own: Option<f64>| threshold(own.unwrap_or(config.sample_rate));
        Sampler {
            keep_below: [
                rate(config.logs_sample_rate),
                rate(config.metrics_sample_rate),
                rate(config.traces_sample_rate),
                rate(config.events_sample_rate),
            ],
            errors_keep_below: threshold(config.errors_sample_rate.unwrap_or(1.0)),
        }
    }

    /// Whether to keep a captured error.
    pub fn keeps_error(&self) -> bool {
        draw(self.errors_keep_below)
    }

    /// Whether to keep an entry of `kind`; one random draw, and none at rate 1.
    #[inline]
    pub fn keeps(&self, kind: EntryKind) -> bool {
        let Some(signal) = Signal::of(kind) else {
            return true;
        };
        draw(self.keep_below[signal as usize])
    }
}

/// One decision at threshold `keep_below`: no random draw at rate 1.
#[inline]
fn draw(keep_below: u32) -> bool {
    keep_below == u32::MAX || random::u32() < keep_below
}

fn threshold(rate: f64) -> u32 {
    if rate >= 1.0 {
        u32::MAX
    } else {
        (rate.max(0.0) * f64::from(u32::MAX)) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sampler(options: &[(&str, &str)]) -> Sampler {
        let mut config = Config::new("k");
        for (key, value) in options {
            config.set(key, value).unwrap();
        }
        Sampler::new(&config)
    }

    fn kept(sampler: &Sampler, kind: EntryKind, draws: u32) -> u32 {
        (0..draws).filter(|_| sampler.keeps(kind)).count() as u32
    }

    /// Whether `kept` of `draws` is within five standard deviations of `rate`: a correct
    /// sampler fails this about once in two million runs.
    fn plausible(kept: u32, draws: u32, rate: f64) -> bool {
        let n = f64::from(draws);
        let spread = 5.0 * (n * rate * (1.0 - rate)).sqrt();
        (f64::from(kept) - n * rate).abs() <= spread
    }

    #[test]
    fn each_signal_keeps_its_own_share() {
        const DRAWS: u32 = 40_000;
        let sampler = sampler(&[
            ("sample_rate", "0.5"),
            ("logs_sample_rate", "0.1"),
            ("traces_sample_rate", "0.75"),
            ("events_sample_rate", "0"),
        ]);
        for (kind, rate) in [
            (EntryKind::Log, 0.1),
            (EntryKind::Metric, 0.5),
            (EntryKind::Telemetry, 0.5),
            (EntryKind::Trace, 0.75),
        ] {
            let kept = kept(&sampler, kind, DRAWS);
            assert!(plausible(kept, DRAWS, rate), "{kind:?}: {kept} of {DRAWS}");
        }
        assert_eq!(kept(&sampler, EntryKind::Event, DRAWS), 0);
        assert_eq!(kept(&sampler, EntryKind::Audit, DRAWS), DRAWS);
    }

    #[test]
    fn errors_are_kept_unless_their_own_rate_is_set() {
        let kept = |sampler: Sampler| (0..10_000).filter(|_| sampler.keeps_error()).count();
        assert_eq!(kept(sampler(&[("sample_rate", "0")])), 10_000);
        assert_eq!(kept(sampler(&[("errors_sample_rate", "0")])), 0);
        let half = kept(sampler(&[("errors_sample_rate", "0.5")])) as u32;
        assert!(plausible(half, 10_000, 0.5), "{half}");
    }

    #[test]
    fn the_extremes_are_exact() {
        let none = sampler(&[("sample_rate", "0")]);
        let all = sampler(&[]);
        for kind in [EntryKind::Log, EntryKind::Metric, EntryKind::Trace] {
            assert_eq!(kept(&none, kind, 10_000), 0);
            assert_eq!(kept(&all, kind, 10_000), 10_000);
        }
        assert_eq!(kept(&none, EntryKind::Audit, 10_000), 10_000);
    }
}
