//! Fault injection against the real binary: what a retrying client meets.

mod common;

use std::thread;
use std::time::{Duration, Instant};

use common::{agent, batch, request_with, Collector, Reply};
use serde_json::{json, Value};

fn statuses(collector: &Collector, n: usize) -> Vec<u16> {
    let body = batch(&[("info", "attempt")]);
    (0..n).map(|_| collector.post_logs(&body).status).collect()
}

#[test]
fn status_fault_applies_count_times_then_normal() {
    let collector = Collector::start(&[]);
    collector.set_fault(
        r#"{"status":503,"count":2,"delay_ms":0,"retry_after":null,"close":false,"hang":false}"#,
    );
    assert_eq!(
        collector.get_json("/api/faults")["fault"]["count"],
        json!(2)
    );
    assert_eq!(statuses(&collector, 3), [503, 503, 200]);
    assert_eq!(
        collector.entries().len(),
        1,
        "faulted requests store nothing"
    );
    assert_eq!(collector.get_json("/api/faults"), json!({"fault": null}));

    let requests = collector.requests();
    let seen: Vec<(Value, Value)> = requests
        .iter()
        .map(|r| (r["status"].clone(), r["fault"].clone()))
        .collect();
    assert_eq!(
        seen,
        [
            (json!(503), json!("status")),
            (json!(503), json!("status")),
            (json!(200), Value::Null),
        ]
    );
}

#[test]
fn faults_spare_health_and_api() {
    let collector = Collector::start(&[]);
    collector.set_fault(r#"{"status":500,"count":1}"#);
    assert_eq!(collector.get("/health").status, 200);
    assert_eq!(collector.get("/api/entries").status, 200);
    assert_eq!(statuses(&collector, 2), [500, 200]);
}

#[test]
fn retry_after_is_sent_with_the_status() {
    let collector = Collector::start(&[]);
    collector.set_fault(r#"{"status":429,"count":1,"retry_after":3}"#);
    let reply = collector.post_logs(&batch(&[("info", "x")]));
    assert_eq!(reply.status, 429);
    assert_eq!(reply.header("retry-after"), Some("3"));
    assert_eq!(reply.json(), json!({"message": "Quota Exceeded"}));
}

#[test]
fn faults_can_be_set_at_start() {
    let collector = Collector::start(&[
        "--fault-status",
        "503",
        "--fault-count",
        "1",
        "--fault-retry-after",
        "2",
        "--fault-delay-ms",
        "300",
    ]);
    let started = Instant::now();
    let reply = collector.post_logs(&batch(&[("info", "x")]));
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(reply.status, 503);
    assert_eq!(reply.header("retry-after"), Some("2"));
    assert_eq!(statuses(&collector, 1), [200]);
}

#[test]
fn delay_holds_the_answer() {
    let collector = Collector::start(&[]);
    collector.set_fault(r#"{"delay_ms":1000,"count":1}"#);
    let body = batch(&[("info", "late")]);

    let started = Instant::now();
    let reply = collector.post_logs(&body);
    let delayed = started.elapsed();
    assert_eq!(
        reply.status, 200,
        "a delay alone still processes the request"
    );
    assert_eq!(reply.json()["processed"], 1);
    assert!(delayed >= Duration::from_millis(1000), "{delayed:?}");

    let started = Instant::now();
    assert_eq!(collector.post_logs(&body).status, 200);
    assert!(started.elapsed() < Duration::from_millis(1000));

    let requests = collector.requests();
    assert_eq!(requests[0]["fault"], "delay");
    assert_eq!(requests[1]["fault"], Value::Null);
}

#[test]
fn close_drops_the_connection_without_an_answer() {
    let collector = Collector::start(&[]);
    collector.set_fault(r#"{"close":true,"count":1}"#);
    let body = batch(&[("info", "x")]);
    let started = Instant::now();
    let outcome = collector.request(
        "POST",
        "/v1/logs",
        &[("Content-Type", "application/json")],
        Some(&body),
    );
    assert_connection_dropped(outcome);
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(statuses(&collector, 1), [200]);

    let requests = collector.requests();
    assert_eq!(requests[0]["fault"], "close");
    assert_eq!(requests[0]["status"], Value::Null);
    assert_eq!(collector.entries().len(), 1);
}

#[test]
fn cut_stores_the_entries_then_drops_the_connection_without_an_answer() {
    let collector = Collector::start(&[]);
    collector.set_fault(r#"{"cut":true,"count":1}"#);
    let body = batch(&[("info", "stored-unanswered")]);
    let outcome = collector.request(
        "POST",
        "/v1/logs",
        &[("Content-Type", "application/json")],
        Some(&body),
    );
    assert_connection_dropped(outcome);
    assert_eq!(collector.entries().len(), 1, "the entry was stored");
    let requests = collector.requests();
    assert_eq!(requests[0]["fault"], "cut");
    assert_eq!(requests[0]["processed"], 1);
    assert_eq!(statuses(&collector, 1), [200]);
}

#[test]
fn hang_never_answers_but_the_server_still_does() {
    let collector = Collector::start(&[]);
    collector.set_fault(r#"{"hang":true,"count":1}"#);
    let url = collector.url("/v1/logs");
    let impatient = thread::spawn(move || {
        let started = Instant::now();
        let outcome = request_with(
            &agent(Duration::from_millis(1500)),
            "POST",
            &url,
            &[("Content-Type", "application/json")],
            Some(&batch(&[("info", "x")])),
        );
        (outcome.map(|reply| reply.status), started.elapsed())
    });

    collector.wait_for("the request to be held", |c| {
        c.get_json("/api/stats")["hanging"] == 1
    });
    let health = collector.get("/health");
    assert_eq!((health.status, health.body.as_str()), (200, "OK"));
    assert_eq!(statuses(&collector, 1), [200], "only one request hangs");

    let (outcome, waited) = impatient.join().unwrap();
    assert!(
        matches!(outcome, Err(ureq::Error::Timeout(_))),
        "{outcome:?}"
    );
    assert!(waited >= Duration::from_millis(1500), "{waited:?}");
    collector.wait_for("the hold to end with the client", |c| {
        c.get_json("/api/stats")["hanging"] == 0
    });
    assert_eq!(collector.requests()[0]["fault"], "hang");
}

#[test]
fn fault_requests_are_validated_and_can_be_cleared() {
    let collector = Collector::start(&[]);
    for bad in [
        "not json",
        r#"{"status":"503"}"#,
        r#"{"status":99}"#,
        r#"{"close":true,"hang":true}"#,
        r#"{"retry_after":5}"#,
        r#"{"stauts":503}"#,
    ] {
        let reply = collector
            .request("POST", "/api/faults", &[], Some(bad.as_bytes()))
            .unwrap();
        assert_eq!(reply.status, 400, "{bad}");
        assert!(reply.json()["message"].is_string());
    }
    collector.set_fault(r#"{"status":502}"#);
    assert_eq!(
        statuses(&collector, 3),
        [502, 502, 502],
        "no count: until cleared"
    );
    let cleared = collector
        .request("DELETE", "/api/faults", &[], None)
        .unwrap();
    assert_eq!(cleared.json(), json!({"fault": null}));
    assert_eq!(statuses(&collector, 1), [200]);
}

/// The request ended with the connection dropped: no answer, and not by a timeout.
fn assert_connection_dropped(outcome: Result<Reply, ureq::Error>) {
    match outcome {
        Ok(reply) => panic!("expected a network error, got HTTP {}", reply.status),
        Err(ureq::Error::Timeout(_)) => panic!("expected the connection to drop, not a timeout"),
        Err(_) => {}
    }
}
