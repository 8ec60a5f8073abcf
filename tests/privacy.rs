//! PII scrubbing on the worker, end to end: messages, own and inherited attributes and error
//! texts arrive scrubbed; clean entries arrive untouched; privacy mode sends them as given.

mod common;

use std::time::Duration;

use common::{client, Collector};
use ferrolog::capture::{CapturedError, Cause};
use ferrolog::{CaptureOptions, Level};
use serde_json::{json, Map, Value};

const WAIT: Duration = Duration::from_secs(10);

fn only(collector: &Collector, text: &str) -> Value {
    let mut entries = collector.entries(&format!("?text={text}"));
    assert_eq!(entries.len(), 1, "{text}: {entries:?}");
    entries.remove(0)
}

fn log_personal_data(client: &ferrolog::Client) {
    let logger = client.logger().child(Map::from_iter([(
        "owner_phone".into(),
        json!("+44 20 7946 0958"),
    )]));
    logger.log(
        Level::Info,
        "pii-1 mail jane.doe@example.com about order 4711",
        &[("password", "hunter2"), ("card", "4111 1111 1111 1111")],
    );
    logger.info("clean-1 request 3f2b6c1e-8a7d-4d2e-9c1b-5e6f7a8b9c0d took 12ms on v1.2.3");
    let error = CapturedError::new(
        "ValueError",
        "pii-2 bad email bob@example.org",
        [Cause {
            error_type: "IOError".into(),
            message: "from 10.0.0.7".into(),
        }],
        [],
    );
    logger
        .capture_error(error, &CaptureOptions::default())
        .unwrap();
}

#[test]
fn personal_data_is_scrubbed_on_the_way_out() {
    let collector = Collector::start();
    let client = client(&collector, &[]);
    log_personal_data(&client);
    assert!(client.flush(WAIT).completed);

    let entry = only(&collector, "pii-1");
    assert_eq!(
        entry["message"],
        "pii-1 mail [REDACTED:email] about order 4711"
    );
    assert_eq!(
        entry["attributes"],
        json!({"password": "[REDACTED]", "card": "[REDACTED:card]",
               "owner_phone": "[REDACTED:phone]"})
    );
    let clean = only(&collector, "clean-1");
    assert_eq!(
        clean["message"],
        "clean-1 request 3f2b6c1e-8a7d-4d2e-9c1b-5e6f7a8b9c0d took 12ms on v1.2.3"
    );
    assert_eq!(clean["attributes"]["owner_phone"], "[REDACTED:phone]");
    let error = only(&collector, "pii-2");
    assert_eq!(error["message"], "pii-2 bad email [REDACTED:email]");
    assert_eq!(
        error["error"]["message"],
        "pii-2 bad email [REDACTED:email]"
    );
    assert!(
        error["attributes"]["error.fingerprint"]
            .as_str()
            .unwrap()
            .len()
            == 32
    );
}

#[test]
fn privacy_mode_sends_what_it_was_given() {
    let collector = Collector::start();
    let client = client(&collector, &[("privacy_mode", "true")]);
    log_personal_data(&client);
    assert!(client.flush(WAIT).completed);
    let entry = only(&collector, "pii-1");
    assert_eq!(
        entry["message"],
        "pii-1 mail jane.doe@example.com about order 4711"
    );
    assert_eq!(entry["attributes"]["password"], "hunter2");
    assert_eq!(entry["privacy_mode"], true);
}
