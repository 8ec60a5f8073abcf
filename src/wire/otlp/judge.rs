//! Judging an OTLP/HTTP answer (spec §10): success, possibly partial; retry on the four
//! throttling statuses, when the server says; drop on anything else.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::Signal;
use crate::pipeline::encoder::Verdict;
use crate::pipeline::stats::DropReason;
use crate::transport::{retry_after, Response};

/// What an answer means for the batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Judgement {
    /// A success carries the entries it says it refused (`partialSuccess.rejected*`); they
    /// are dropped as `send_error` and never retried.
    pub verdict: Verdict,
    /// What the user should be told, with the server's own words when it gave any.
    pub diagnostic: Option<String>,
}

/// Judges `response`; `now` dates a `Retry-After` given as an HTTP-date.
pub fn judge(response: &Response, now: DateTime<Utc>) -> Judgement {
    let status = response.status;
    let mut judgement = Judgement {
        verdict: Verdict::Drop(DropReason::SendError),
        diagnostic: None,
    };
    match status {
        200..=299 => {
            let (rejected, message) = partial_success(&response.body);
            judgement.verdict = Verdict::Delivered { rejected };
            judgement.diagnostic = match (rejected, message) {
                (0, None) => None,
                (0, Some(message)) => Some(format!("OTLP endpoint warned: {message}")),
                (n, message) => Some(format!(
                    "OTLP endpoint rejected {n} entries: {}",
                    message.as_deref().unwrap_or("no reason given")
                )),
            };
        }
        429 | 502 | 503 | 504 => {
            let after = response
                .retry_after
                .as_deref()
                .and_then(|value| retry_after(value, now));
            // Every retry counts, server-directed or not; running out on a 429 is a rate
            // limit, on the others an unavailable endpoint.
            let exhausted = if status == 429 {
                DropReason::RatelimitBackoff
            } else {
                DropReason::NetworkError
            };
            judgement.verdict = Verdict::Retry {
                after,
                counted: true,
                exhausted,
            };
        }
        _ => {
            let reason = status_message(&response.body);
            judgement.diagnostic = Some(format!(
                "OTLP endpoint refused a batch with HTTP {status}: {}",
                reason.as_deref().unwrap_or("no reason given")
            ));
        }
    }
    judgement
}

/// The rejected count and message of an `Export*ServiceResponse`. The answer's signal is the
/// request's, so whichever `rejected*` member is present is the one. An empty or non-JSON
/// body is a plain success.
fn partial_success(body: &[u8]) -> (u64, Option<String>) {
    let Ok(Value::Object(mut response)) = serde_json::from_slice::<Value>(body) else {
        return (0, None);
    };
    let Some(Value::Object(partial)) = response.remove("partialSuccess") else {
        return (0, None);
    };
    // int64 arrives as a decimal string, or as a number from lenient servers.
    let count = |value: &Value| match value {
        Value::String(text) => text.parse::<u64>().ok(),
        other => other.as_u64(),
    };
    let rejected = Signal::ALL
        .iter()
        .find_map(|signal| partial.get(signal.rejected_key()).and_then(count))
        .unwrap_or(0);
    (rejected, non_empty_string(partial.get("errorMessage")))
}

/// `message` of a `google.rpc.Status` failure body.
fn status_message(body: &[u8]) -> Option<String> {
    let status: Value = serde_json::from_slice(body).ok()?;
    non_empty_string(status.get("message"))
}

fn non_empty_string(value: Option<&Value>) -> Option<String> {
    value
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn answer(status: u16, retry_after: Option<&str>, body: &str) -> Judgement {
        let response = Response {
            status,
            retry_after: retry_after.map(str::to_owned),
            body: body.as_bytes().to_vec(),
        };
        judge(&response, now())
    }

    #[test]
    fn success_with_or_without_a_body_is_delivered() {
        for body in ["", "{}", "not json", "[1]", r#"{"partialSuccess":{}}"#] {
            let judgement = answer(200, None, body);
            assert_eq!(judgement.verdict, Verdict::DELIVERED, "{body}");
            assert_eq!(judgement.diagnostic, None, "{body}");
        }
        assert_eq!(answer(204, None, "").verdict, Verdict::DELIVERED);
    }

    #[test]
    fn partial_success_exposes_the_rejected_count() {
        let logs = answer(
            200,
            None,
            r#"{"partialSuccess":{"rejectedLogRecords":"2","errorMessage":"bad severity"}}"#,
        );
        assert_eq!(
            logs.verdict,
            Verdict::Delivered { rejected: 2 },
            "never retried"
        );
        assert!(logs.diagnostic.unwrap().contains("bad severity"));

        let spans = answer(200, None, r#"{"partialSuccess":{"rejectedSpans":3}}"#);
        assert_eq!(spans.verdict, Verdict::Delivered { rejected: 3 });
        assert!(spans.diagnostic.unwrap().contains("rejected 3"));
        let points = answer(
            200,
            None,
            r#"{"partialSuccess":{"rejectedDataPoints":"1"}}"#,
        );
        assert_eq!(points.verdict, Verdict::Delivered { rejected: 1 });

        let warning = answer(
            200,
            None,
            r#"{"partialSuccess":{"errorMessage":"slow down"}}"#,
        );
        assert_eq!(warning.verdict, Verdict::DELIVERED);
        assert!(warning.diagnostic.unwrap().contains("slow down"));
    }

    #[test]
    fn throttling_statuses_retry_after_the_servers_delay() {
        let retry = |after, exhausted| Verdict::Retry {
            after,
            counted: true,
            exhausted,
        };
        let rate_limited = DropReason::RatelimitBackoff;
        let unavailable = DropReason::NetworkError;
        assert_eq!(answer(429, None, "").verdict, retry(None, rate_limited));
        for status in [502, 503, 504] {
            assert_eq!(
                answer(status, None, "").verdict,
                retry(None, unavailable),
                "{status}"
            );
        }
        let seconds = answer(503, Some("1"), "").verdict;
        assert_eq!(seconds, retry(Some(Duration::from_secs(1)), unavailable));
        let date = answer(429, Some("Thu, 01 Jan 2026 00:00:30 GMT"), "").verdict;
        assert_eq!(date, retry(Some(Duration::from_secs(30)), rate_limited));
        let past = answer(503, Some("Wed, 31 Dec 2025 23:00:00 GMT"), "").verdict;
        assert_eq!(past, retry(Some(Duration::ZERO), unavailable));
        let garbage = answer(503, Some("soon"), "").verdict;
        assert_eq!(garbage, retry(None, unavailable));
    }

    #[test]
    fn other_statuses_drop_with_the_status_message() {
        for status in [100, 302, 400, 401, 403, 404, 413, 415, 500, 501] {
            let judgement = answer(status, Some("1"), r#"{"code":3,"message":"bad body"}"#);
            assert_eq!(
                judgement.verdict,
                Verdict::Drop(DropReason::SendError),
                "{status}"
            );
            let diagnostic = judgement.diagnostic.unwrap();
            assert!(diagnostic.contains("bad body") && diagnostic.contains(&status.to_string()));
        }
    }
}
