//! Captured errors through LuminaLog and OTLP to the collector: type, text, frames, chain,
//! breadcrumbs and attributes; min level and sampling; storm folding; native stacks.

mod common;

use std::time::Duration;

use common::{client, Collector};
use ferrolog::capture::{CapturedError, Cause, Frame};
use ferrolog::{CaptureOptions, DropReason, Level, LogStatus};
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(10);

fn payment_error() -> CapturedError {
    CapturedError::new(
        "PaymentError",
        "card declined",
        [Cause {
            error_type: "HTTPError".into(),
            message: "402 Payment Required".into(),
        }],
        [
            Frame::new("charge", "billing/gateway.py", Some(88)),
            Frame::new("checkout", "shop/views.py", Some(12)),
        ],
    )
}

fn only(collector: &Collector, text: &str) -> Value {
    let mut entries = collector.entries(&format!("?text={text}"));
    assert_eq!(entries.len(), 1, "{text}: {entries:?}");
    entries.remove(0)
}

#[test]
fn a_captured_error_carries_its_members_in_each_protocol() {
    for protocol in ["luminalog", "otlp"] {
        let collector = Collector::start();
        let mut options = vec![("protocol", protocol), ("min_level", "critical")];
        if protocol == "otlp" {
            options.push(("endpoint", collector.base.as_str()));
        }
        let client = client(&collector, &options);
        let logger = client.logger();
        logger.add_breadcrumb(Some("http"), "POST /pay", None, Vec::new());
        let status = logger
            .capture_error(
                payment_error(),
                &CaptureOptions {
                    message: Some("checkout-failed"),
                    attributes: r#"{"order":"o-7"}"#,
                    ..CaptureOptions::default()
                },
            )
            .unwrap();
        assert_eq!(status, LogStatus::Accepted, "errors pass min_level");
        assert!(client.flush(WAIT).completed);
        let entry = only(&collector, "checkout-failed");
        assert_eq!(entry["level"], 4, "{protocol}");
        assert_eq!(entry["attributes"]["order"], "o-7");
        assert_eq!(entry["attributes"]["error"], "card declined", "{protocol}");
        let error = &entry["error"];
        assert_eq!(error["type"], "PaymentError", "{protocol}: {error}");
        assert_eq!(error["message"], "card declined");
        let frames: Vec<&str> = error["stack_trace"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        let expected = match protocol {
            // Outermost first, as Python prints them.
            "luminalog" => vec![
                "  File \"shop/views.py\", line 12, in checkout\n",
                "  File \"billing/gateway.py\", line 88, in charge\n",
            ],
            _ => vec![
                "at charge (billing/gateway.py:88)",
                "at checkout (shop/views.py:12)",
            ],
        };
        assert_eq!(frames, expected, "{protocol}");
        if protocol == "luminalog" {
            assert_eq!(error["context"]["order"], "o-7");
            assert_eq!(
                error.get("fingerprint"),
                None,
                "only a supplied one is sent"
            );
        }
    }
}

#[test]
fn errors_are_sampled_only_at_their_own_rate() {
    let collector = Collector::start();
    let client = client(&collector, &[("sample_rate", "0")]);
    let kept = client
        .logger()
        .capture_error(payment_error(), &CaptureOptions::default())
        .unwrap();
    assert_eq!(kept, LogStatus::Accepted);
    let collector = Collector::start();
    let client = common::client(&collector, &[("errors_sample_rate", "0")]);
    let dropped = client
        .logger()
        .capture_exception(payment_error(), &CaptureOptions::default())
        .unwrap();
    assert_eq!(dropped, LogStatus::Filtered);
    assert_eq!(client.stats().dropped(DropReason::Sampled), 1);
}

#[test]
fn a_storm_of_identical_errors_is_folded_into_one_summary() {
    let collector = Collector::start();
    let client = client(
        &collector,
        &[("error_storm_limit", "3"), ("error_storm_window", "200ms")],
    );
    let logger = client.logger();
    let statuses: Vec<LogStatus> = (0..10)
        .map(|_| {
            logger
                .capture_error(payment_error(), &CaptureOptions::default())
                .unwrap()
        })
        .collect();
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == LogStatus::Accepted)
            .count(),
        3
    );
    // A different error is not part of the storm.
    let other = CapturedError::new("KeyError", "missing", [], [Frame::new("f", "m.py", None)]);
    assert_eq!(
        logger
            .capture_error(other, &CaptureOptions::default())
            .unwrap(),
        LogStatus::Accepted
    );
    std::thread::sleep(Duration::from_millis(250));
    assert!(client.flush(WAIT).completed);
    let stats = client.stats();
    assert_eq!(stats.dropped(DropReason::Folded), 7);
    let summary = only(&collector, "repeated");
    assert_eq!(
        summary["message"],
        "PaymentError: card declined (repeated 7 times)"
    );
    assert_eq!(summary["attributes"]["error.repeated"], 7);
    assert_eq!(
        summary["attributes"]["error.fingerprint"],
        payment_error().fingerprint()
    );
    assert_eq!(collector.entries("?text=card%20declined").len(), 4);
}

#[test]
fn a_native_stack_names_the_calling_function() {
    let collector = Collector::start();
    let client = client(&collector, &[]);
    capture_here(&client.logger());
    assert!(client.flush(WAIT).completed);
    let entry = only(&collector, "from-native");
    let frames = entry["error"]["stack_trace"].as_array().unwrap();
    assert!(
        frames
            .iter()
            .any(|f| f.as_str().unwrap().contains("capture_here")),
        "{frames:?}"
    );
}

#[inline(never)]
fn capture_here(logger: &ferrolog::Logger) {
    let error = CapturedError::new("NativeError", "from-native", [], []);
    let options = CaptureOptions {
        native_stack: true,
        level: Some(Level::Critical),
        ..CaptureOptions::default()
    };
    assert_eq!(
        logger.capture_error(error, &options).unwrap(),
        LogStatus::Accepted
    );
}

#[test]
fn a_storm_still_open_at_shutdown_is_summarized() {
    let collector = Collector::start();
    let client = client(
        &collector,
        &[("error_storm_limit", "1"), ("error_storm_window", "60")],
    );
    for _ in 0..3 {
        client
            .logger()
            .capture_error(payment_error(), &CaptureOptions::default())
            .unwrap();
    }
    assert!(client.shutdown(WAIT).completed);
    let summary = only(&collector, "repeated");
    assert_eq!(
        summary["message"],
        "PaymentError: card declined (repeated 2 times)"
    );
    assert_eq!(client.stats().dropped(DropReason::Folded), 2);
}
