//! Fault injection: what the next ingest requests suffer, so reliability tests run against the
//! real server.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Longest injectable delay; a longer one is a typo, and it keeps deadlines representable.
const MAX_DELAY_MS: u64 = 3_600_000;

/// A fault as configured, also the JSON body of `POST /api/faults`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// Answer with this status instead of processing the request.
    #[serde(default)]
    pub status: Option<u16>,
    /// How many more ingest requests it applies to; `None` means all until cleared.
    #[serde(default)]
    pub count: Option<u64>,
    #[serde(default)]
    pub delay_ms: u64,
    /// Seconds sent in `Retry-After` with `status`.
    #[serde(default)]
    pub retry_after: Option<u64>,
    /// Drop the connection without an answer.
    #[serde(default)]
    pub close: bool,
    /// Never answer.
    #[serde(default)]
    pub hang: bool,
    /// Process the request (store its entries), then drop the connection instead of answering:
    /// the client cannot tell whether it was stored, and sends it again.
    #[serde(default)]
    pub cut: bool,
    /// Only requests to this path suffer it (and use up its count); `None`: every ingest path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

impl FaultSpec {
    pub fn validate(&self) -> Result<(), String> {
        if let Some(status) = self.status {
            // 1xx are not final answers and would leave the client waiting for one.
            if !(200..=599).contains(&status) {
                return Err(format!("status {status} is not between 200 and 599"));
            }
        }
        let actions = [self.status.is_some(), self.close, self.hang, self.cut];
        if actions.iter().filter(|&&set| set).count() > 1 {
            return Err("choose at most one of status, close, hang and cut".to_owned());
        }
        if self.retry_after.is_some() && self.status.is_none() {
            return Err("retry_after needs a status to send it with".to_owned());
        }
        if self.delay_ms > MAX_DELAY_MS {
            return Err(format!("delay_ms must be at most {MAX_DELAY_MS}"));
        }
        Ok(())
    }

    pub fn has_effect(&self) -> bool {
        self.status.is_some() || self.close || self.hang || self.cut || self.delay_ms > 0
    }
}

/// What happens to one request after its delay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Processed normally: the fault was only a delay.
    Proceed,
    Status {
        status: u16,
        retry_after: Option<u64>,
    },
    Close,
    Hang,
    /// Processed normally, then the connection is dropped instead of the answer.
    Cut,
}

impl Action {
    /// How the request log names the fault.
    pub fn name(self) -> &'static str {
        match self {
            Action::Proceed => "delay",
            Action::Status { .. } => "status",
            Action::Close => "close",
            Action::Hang => "hang",
            Action::Cut => "cut",
        }
    }
}

/// The fault one request drew.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fault {
    pub delay: Duration,
    pub action: Action,
}

/// The active fault, if any.
#[derive(Default)]
pub struct Faults {
    active: Option<FaultSpec>,
}

impl Faults {
    /// Replaces the active fault; callers validate first.
    pub fn set(&mut self, spec: FaultSpec) {
        self.active = Some(spec).filter(|spec| spec.count != Some(0) && spec.has_effect());
    }

    pub fn clear(&mut self) {
        self.active = None;
    }

    pub fn active(&self) -> Option<&FaultSpec> {
        self.active.as_ref()
    }

    /// Draws the fault for one ingest request to `path`, using up one of its count.
    pub fn take(&mut self, path: &str) -> Option<Fault> {
        let spec = self
            .active
            .as_mut()
            .filter(|spec| spec.path.as_deref().is_none_or(|only| only == path))?;
        let fault = Fault {
            delay: Duration::from_millis(spec.delay_ms),
            action: match spec.status {
                Some(status) => Action::Status {
                    status,
                    retry_after: spec.retry_after,
                },
                None if spec.close => Action::Close,
                None if spec.hang => Action::Hang,
                None if spec.cut => Action::Cut,
                None => Action::Proceed,
            },
        };
        if let Some(count) = &mut spec.count {
            *count = count.saturating_sub(1);
            if *count == 0 {
                self.active = None;
            }
        }
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_runs_out() {
        let mut faults = Faults::default();
        faults.set(FaultSpec {
            status: Some(503),
            count: Some(2),
            retry_after: Some(1),
            ..FaultSpec::default()
        });
        let expected = Action::Status {
            status: 503,
            retry_after: Some(1),
        };
        assert_eq!(faults.take("/v1/logs").map(|f| f.action), Some(expected));
        assert_eq!(faults.active().and_then(|s| s.count), Some(1));
        assert_eq!(faults.take("/v1/logs").map(|f| f.action), Some(expected));
        assert_eq!(faults.take("/v1/logs"), None);
        assert!(faults.active().is_none());
    }

    #[test]
    fn a_path_limits_the_fault_to_its_requests() {
        let mut faults = Faults::default();
        faults.set(FaultSpec {
            status: Some(401),
            count: Some(1),
            path: Some("/v1/ingest".into()),
            ..FaultSpec::default()
        });
        assert_eq!(faults.take("/v1/handshake/init"), None);
        assert!(faults.take("/v1/ingest").is_some());
        assert_eq!(faults.take("/v1/ingest"), None);
    }

    #[test]
    fn no_count_means_until_cleared() {
        let mut faults = Faults::default();
        faults.set(FaultSpec {
            delay_ms: 5,
            ..FaultSpec::default()
        });
        for _ in 0..10 {
            let fault = faults.take("/v1/logs").unwrap();
            assert_eq!(
                (fault.delay, fault.action),
                (Duration::from_millis(5), Action::Proceed)
            );
        }
        faults.clear();
        assert_eq!(faults.take("/v1/logs"), None);
    }

    #[test]
    fn a_cut_is_its_own_action_and_counts() {
        let mut faults = Faults::default();
        faults.set(FaultSpec {
            cut: true,
            count: Some(1),
            ..FaultSpec::default()
        });
        assert_eq!(faults.take("/v1/logs").map(|f| f.action), Some(Action::Cut));
        assert_eq!(faults.take("/v1/logs"), None);
        assert_eq!(Action::Cut.name(), "cut");
    }

    #[test]
    fn a_fault_without_effect_is_not_kept() {
        let mut faults = Faults::default();
        faults.set(FaultSpec {
            count: Some(3),
            ..FaultSpec::default()
        });
        assert_eq!(faults.take("/v1/logs"), None);
        faults.set(FaultSpec {
            hang: true,
            count: Some(0),
            ..FaultSpec::default()
        });
        assert_eq!(faults.take("/v1/logs"), None);
    }

    #[test]
    fn validation() {
        let bad = [
            FaultSpec {
                status: Some(102),
                ..FaultSpec::default()
            },
            FaultSpec {
                status: Some(600),
                ..FaultSpec::default()
            },
            FaultSpec {
                close: true,
                hang: true,
                ..FaultSpec::default()
            },
            FaultSpec {
                status: Some(500),
                close: true,
                ..FaultSpec::default()
            },
            FaultSpec {
                hang: true,
                cut: true,
                ..FaultSpec::default()
            },
            FaultSpec {
                retry_after: Some(2),
                ..FaultSpec::default()
            },
            FaultSpec {
                delay_ms: MAX_DELAY_MS + 1,
                ..FaultSpec::default()
            },
        ];
        for spec in bad {
            assert!(spec.validate().is_err(), "{spec:?}");
        }
        let json = r#"{"status":503,"count":2,"delay_ms":0,"retry_after":null,"close":false,"hang":false,"cut":false}"#;
        let spec: FaultSpec = serde_json::from_str(json).unwrap();
        assert_eq!(spec.validate(), Ok(()));
        assert_eq!(serde_json::to_string(&spec).unwrap(), json);
        assert!(serde_json::from_str::<FaultSpec>(r#"{"stauts":503}"#).is_err());
    }
}
