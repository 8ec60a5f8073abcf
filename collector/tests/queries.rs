//! What the collector keeps and tells: `/api/entries` filters, `/api/requests`, `/api/stats`,
//! `entries.jsonl` and `--print`.

mod common;

use common::Collector;
use serde_json::{json, Value};

fn seed(collector: &Collector) {
    let body = json!({"api_key": "k", "logs": [
        {"timestamp": "2026-01-01T00:00:01Z", "level": "debug", "message": "cache warm",
         "metadata": {"component": "cache"}},
        {"timestamp": "2026-01-01T00:00:02Z", "level": "info", "message": "user login",
         "metadata": {"user": "42", "attempt": 1}},
        {"timestamp": "2026-01-01T00:00:03Z", "level": "warn", "message": "slow login",
         "metadata": {"user": "42", "attempt": 2}},
        {"timestamp": "2026-01-01T00:00:04Z", "level": "error", "message": "login failed",
         "metadata": {"user": "7"}},
        {"timestamp": "2026-01-01T00:00:05Z", "level": "panic", "message": "out of memory"},
        {"timestamp": "2026-01-01T00:00:06Z", "level": "info", "message": "signup",
         "metadata": {"ferrolog": {"type": "event", "event": "signup"}, "user": "9"}}
    ]});
    let reply = collector.post_logs(body.to_string().as_bytes());
    assert_eq!(reply.json()["processed"], 6, "{}", reply.body);
}

fn messages(collector: &Collector, query: &str) -> Vec<String> {
    let path = format!("/api/entries{query}");
    match collector.get_json(&path) {
        Value::Array(entries) => entries
            .iter()
            .map(|e| e["message"].as_str().unwrap_or_default().to_owned())
            .collect(),
        other => panic!("{path}: {other}"),
    }
}

#[test]
fn entry_filters_combine() {
    let collector = Collector::start(&[]);
    seed(&collector);
    assert_eq!(messages(&collector, "").len(), 6);
    assert_eq!(
        messages(&collector, "?level=warn"),
        ["slow login", "login failed", "out of memory"]
    );
    assert_eq!(
        messages(&collector, "?level=4"),
        ["login failed", "out of memory"]
    );
    assert_eq!(
        messages(&collector, "?exact_level=info"),
        ["user login", "signup"]
    );
    assert_eq!(messages(&collector, "?exact_level=1"), ["out of memory"]);
    assert_eq!(
        messages(&collector, "?text=login"),
        ["user login", "slow login", "login failed"]
    );
    assert_eq!(
        messages(&collector, "?attr=user=42"),
        ["user login", "slow login"]
    );
    assert_eq!(
        messages(&collector, "?attr=user%3D42&attr=attempt=2"),
        ["slow login"]
    );
    assert_eq!(
        messages(&collector, "?text=login&level=error"),
        ["login failed"]
    );
    assert_eq!(messages(&collector, "?kind=event"), ["signup"]);
    assert_eq!(messages(&collector, "?kind=log&attr=user=9").len(), 0);
    assert_eq!(
        messages(&collector, "?limit=2"),
        ["cache warm", "user login"]
    );
    assert_eq!(messages(&collector, "?text=user+login"), ["user login"]);

    for bad in [
        "?level=loud",
        "?kind=span",
        "?limit=many",
        "?attr=user",
        "?colour=red",
    ] {
        let reply = collector.get(&format!("/api/entries{bad}"));
        assert_eq!(reply.status, 400, "{bad}");
        assert!(reply.json()["message"].is_string());
    }
}

#[test]
fn delete_clears_memory_but_not_the_file() {
    let collector = Collector::start(&[]);
    seed(&collector);
    let reply = collector
        .request("DELETE", "/api/entries", &[], None)
        .unwrap();
    assert_eq!(reply.json(), json!({"deleted": 6}));
    assert!(collector.entries().is_empty());
    let file = std::fs::read_to_string(collector.data_dir.join("entries.jsonl")).unwrap();
    assert_eq!(file.lines().count(), 6);
}

#[test]
fn entries_jsonl_holds_one_decoded_entry_per_line() {
    let collector = Collector::start(&[]);
    seed(&collector);
    seed(&collector);
    let file = std::fs::read_to_string(collector.data_dir.join("entries.jsonl")).unwrap();
    let lines: Vec<Value> = file
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON object"))
        .collect();
    assert_eq!(lines.len(), 12);
    assert!(file.ends_with('\n'));
    assert_eq!(lines, collector.entries());

    let login = &lines[1];
    assert_eq!(login["protocol"], "luminalog");
    assert_eq!(login["kind"], "log");
    assert_eq!(login["level"], 7);
    assert_eq!(login["timestamp"], "2026-01-01T00:00:02.000000Z");
    assert_eq!(login["attributes"], json!({"user": "42", "attempt": 1}));
    let received_at = login["received_at"].as_str().unwrap();
    assert!(
        received_at.ends_with('Z') && received_at.len() == 27,
        "{received_at}"
    );
    let ids: Vec<u64> = lines.iter().map(|l| l["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, (1..=12).collect::<Vec<u64>>());
}

#[test]
fn the_data_dir_is_appended_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let first = Collector::start_in(dir.path(), &[]);
    seed(&first);
    drop(first);
    let second = Collector::start_in(dir.path(), &[]);
    seed(&second);
    let file = std::fs::read_to_string(dir.path().join("entries.jsonl")).unwrap();
    assert_eq!(file.lines().count(), 12);
    assert_eq!(second.entries().len(), 6, "memory starts empty");
}

#[test]
fn print_shows_one_readable_line_per_entry() {
    let collector = Collector::start(&["--print"]);
    seed(&collector);
    collector.wait_for("six printed lines", |c| c.printed().len() >= 6);
    let printed = collector.printed();
    assert_eq!(printed.len(), 6);
    assert!(
        printed[1].starts_with("2026-01-01T00:00:02.000000Z  INFO "),
        "{}",
        printed[1]
    );
    assert!(printed[1].contains("user login") && printed[1].contains("\"user\":\"42\""));
    assert!(printed[5].contains("[event] signup"), "{}", printed[5]);
}

#[test]
fn requests_are_logged_with_their_headers_and_outcome() {
    let collector = Collector::start(&[]);
    let body = common::batch(&[("info", "a"), ("nope", "b")]);
    let reply = collector
        .request(
            "POST",
            "/v1/logs",
            &[
                ("Content-Type", "application/json"),
                ("User-Agent", "ferrolog/9.9"),
                ("Authorization", "Bearer should-not-be-sent"),
            ],
            Some(&body),
        )
        .unwrap();
    assert_eq!(reply.status, 200);
    let refused = collector
        .request(
            "POST",
            "/v1/logs",
            &[("Content-Type", "text/plain")],
            Some(&body),
        )
        .unwrap();
    assert_eq!(refused.status, 415);
    // Queries and health checks are not ingest requests.
    collector.get("/health");
    collector.get("/api/stats");

    let requests = collector.requests();
    assert_eq!(requests.len(), 2);
    let first = &requests[0];
    assert_eq!(first["method"], "POST");
    assert_eq!(first["path"], "/v1/logs");
    assert_eq!(first["status"], 200);
    assert_eq!(first["processed"], 1);
    assert_eq!(first["rejected"], 1);
    assert_eq!(first["user_agent"], "ferrolog/9.9");
    assert_eq!(first["authorization"], true);
    assert_eq!(first["content_encoding"], Value::Null);
    assert_eq!(first["fault"], Value::Null);
    let second = &requests[1];
    assert_eq!(second["status"], 415);
    assert_eq!(second["authorization"], false);
    assert!(second["error"].as_str().unwrap().contains("Content-Type"));
    assert!(second["at_ms"].as_u64() >= first["at_ms"].as_u64());

    let stats = collector.get_json("/api/stats");
    assert_eq!(stats["entries"], 1);
    assert_eq!(stats["stored_total"], 1);
    assert_eq!(stats["rejected_total"], 1);
    assert_eq!(stats["requests_total"], 2);
    assert_eq!(stats["requests_by_status"], json!({"200": 1, "415": 1}));
    assert_eq!(stats["by_level"], json!({"info": 1}));

    let cleared = collector
        .request("DELETE", "/api/requests", &[], None)
        .unwrap();
    assert_eq!(cleared.json(), json!({"deleted": 2}));
    assert!(collector.requests().is_empty());
}

#[test]
fn discard_answers_without_storing() {
    let collector = Collector::start(&["--discard"]);
    let reply = collector.post_logs(&common::batch(&[("info", "dropped on the floor")]));
    assert_eq!(reply.status, 200);
    assert!(collector.entries().is_empty());
    let requests = collector.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0]["status"], 200);
}
