//! `X-Ferrolog-Batch`: a batch sent again under the same id is answered as stored and stored
//! once; other ids, and requests without one, are stored as they come.

mod common;

use common::{batch, Collector, Reply};
use serde_json::json;

const ID: &str = "0123456789abcdef0123456789abcdef";

fn post(collector: &Collector, id: Option<&str>, body: &[u8]) -> Reply {
    let mut headers = vec![("Content-Type", "application/json")];
    headers.extend(id.map(|id| ("X-Ferrolog-Batch", id)));
    collector
        .request("POST", "/v1/logs", &headers, Some(body))
        .expect("POST /v1/logs")
}

#[test]
fn a_batch_sent_twice_is_stored_once_and_answered_as_stored_both_times() {
    let collector = Collector::start(&[]);
    let body = batch(&[("info", "one"), ("info", "two")]);
    let first = post(&collector, Some(ID), &body);
    let again = post(&collector, Some(ID), &body);
    assert_eq!((first.status, again.status), (200, 200), "{}", again.body);
    assert_eq!(again.json()["processed"], first.json()["processed"]);
    assert_eq!(collector.entries().len(), 2);

    let other = post(&collector, Some(&ID.replace('0', "f")), &body);
    let unmarked = post(&collector, None, &body);
    assert_eq!((other.status, unmarked.status), (200, 200));
    assert_eq!(collector.entries().len(), 6);
    let stats = collector.get_json("/api/stats");
    assert_eq!(
        (&stats["stored_total"], &stats["duplicate_batches"]),
        (&json!(6), &json!(1))
    );
}

#[test]
fn a_refused_batch_is_not_remembered() {
    let collector = Collector::start(&[]);
    let refused = post(&collector, Some(ID), b"{\"api_key\": ");
    assert_eq!(refused.status, 400, "{}", refused.body);
    let sent = post(&collector, Some(ID), &batch(&[("info", "kept")]));
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert_eq!(collector.entries().len(), 1);
}

#[test]
fn a_malformed_batch_id_is_refused() {
    let collector = Collector::start(&[]);
    let reply = post(&collector, Some("not-hex"), &batch(&[("info", "x")]));
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("X-Ferrolog-Batch"), "{}", reply.body);
    assert!(collector.entries().is_empty());
}

#[test]
fn a_batch_stored_before_a_restart_is_not_stored_again_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let body = batch(&[("info", "before the restart")]);
    let first = Collector::start_in(dir.path(), &[]);
    assert_eq!(post(&first, Some(ID), &body).status, 200);
    drop(first);

    let restarted = Collector::start_in(dir.path(), &[]);
    let again = post(&restarted, Some(ID), &body);
    assert_eq!(again.status, 200, "{}", again.body);
    assert!(
        restarted.entries().is_empty(),
        "answered as stored, not stored"
    );
    assert_eq!(restarted.get_json("/api/stats")["duplicate_batches"], 1);
    let file = std::fs::read_to_string(dir.path().join("entries.jsonl")).unwrap();
    assert_eq!(file.lines().count(), 1);
}
