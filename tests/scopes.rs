//! Scopes and breadcrumbs: a scope's attributes are defaults under the entry's own, scopes
//! nest and stay apart, and each keeps its own bounded trail, oldest first.

mod common;

use std::time::Duration;

use common::{client, Collector};
use ferrolog::client::{ScopeError, MAX_SCOPE_ATTRIBUTES};
use ferrolog::entry::Payload;
use ferrolog::{Client, Level, Logger};
use serde_json::{json, Map, Value};

const WAIT: Duration = Duration::from_secs(10);

fn attributes(collector: &Collector, text: &str) -> Value {
    let entries = collector.entries(&format!("?text={text}"));
    assert_eq!(entries.len(), 1, "{text}: {entries:?}");
    entries[0]["attributes"].clone()
}

/// A scope given ever new keys would grow without bound: past the limit, counting what it
/// inherited, a new key is refused and nothing changes, while held keys still take values.
/// A child logger with `service: api`, the parent of the scopes under test.
fn api_logger(client: &Client) -> Logger {
    client
        .logger()
        .child(Map::from_iter([("service".into(), json!("api"))]))
}

#[test]
fn a_full_scope_refuses_new_keys_and_keeps_updating_held_ones() {
    let collector = Collector::start();
    let client = client(&collector, &[]);
    let parent = api_logger(&client);
    let scope = parent.scope();
    for i in 1..MAX_SCOPE_ATTRIBUTES {
        scope.set_attribute(&format!("key-{i}"), i).unwrap();
    }
    assert_eq!(
        scope.set_attribute("one-too-many", 0),
        Err(ScopeError::Full)
    );
    assert_eq!(
        scope.set_request("GET", "/", ""),
        Err(ScopeError::Full),
        "two new keys refused together"
    );
    scope.set_attribute("key-1", "updated").unwrap();
    scope.set_attribute("service", "worker").unwrap();
    scope.info("full-scope");
    assert!(client.flush(WAIT).completed);

    let held = attributes(&collector, "full-scope");
    let held = held.as_object().unwrap();
    assert_eq!(held.len(), MAX_SCOPE_ATTRIBUTES);
    assert_eq!(
        (&held["key-1"], &held["service"]),
        (&json!("updated"), &json!("worker"))
    );
    assert!(!held.contains_key("one-too-many") && !held.contains_key("http.method"));
}

#[test]
fn scope_attributes_are_defaults_and_scopes_nest() {
    let collector = Collector::start();
    let client = client(&collector, &[]);
    let parent = api_logger(&client);
    let scope = parent.scope();
    assert!(scope.is_scope() && !parent.is_scope());
    assert_eq!(
        parent.set_user("u-1"),
        Err(ScopeError::NotAScope),
        "only a scope takes setters"
    );
    scope.set_user("usr_456").unwrap();
    scope
        .set_request("GET", "/api/users", "req_abc123")
        .unwrap();
    scope.set_attribute("tenant", "acme-corp").unwrap();
    scope.log(Level::Info, "scoped-entry", &[("tenant", "explicit")]);

    let nested = scope.scope();
    nested.set_attribute("step", 2).unwrap();
    scope.set_attribute("late", true).unwrap();
    nested.info("nested-entry");
    scope.info("after-nesting");
    parent.info("outside-scope");
    assert!(client.flush(WAIT).completed);

    assert_eq!(
        attributes(&collector, "scoped-entry"),
        json!({"service": "api", "user.id": "usr_456", "http.method": "GET",
               "http.path": "/api/users", "http.request_id": "req_abc123",
               "tenant": "explicit"})
    );
    let nested = attributes(&collector, "nested-entry");
    assert_eq!(
        (&nested["step"], &nested["tenant"]),
        (&json!(2), &json!("acme-corp"))
    );
    assert_eq!(
        nested["late"],
        Value::Null,
        "set after the nested scope began"
    );
    assert_eq!(attributes(&collector, "after-nesting")["late"], true);
    assert_eq!(
        attributes(&collector, "outside-scope"),
        json!({"service": "api"})
    );
}

fn trail(logger: &ferrolog::Logger) -> Vec<String> {
    logger
        .breadcrumbs()
        .into_iter()
        .map(|crumb| format!("{}:{}", crumb.category.unwrap_or_default(), crumb.message))
        .collect()
}

#[test]
fn breadcrumbs_follow_the_scope_in_order_and_within_the_cap() {
    let collector = Collector::start();
    let client = client(&collector, &[("max_breadcrumbs", "3")]);
    let root = client.logger();
    root.debug("too quiet for a breadcrumb");
    root.info("one");
    root.emit(None, "signed-up", "", Payload::Event).unwrap();
    root.add_breadcrumb(
        Some("http"),
        "GET /a",
        Some(Level::Info),
        vec![("status".into(), "200".into())],
    );
    assert_eq!(trail(&root), ["log:one", "event:signed-up", "http:GET /a"]);
    root.warn("four");
    assert_eq!(
        trail(&root),
        ["event:signed-up", "http:GET /a", "log:four"],
        "oldest goes"
    );

    let request_a = root.scope();
    let request_b = root.scope();
    request_a.info("in a");
    request_b.error("in b");
    assert_eq!(trail(&request_a), ["http:GET /a", "log:four", "log:in a"]);
    assert_eq!(trail(&request_b), ["http:GET /a", "log:four", "log:in b"]);
    assert_eq!(
        trail(&root),
        ["event:signed-up", "http:GET /a", "log:four"],
        "scopes keep theirs"
    );
    let crumb = root.breadcrumbs().remove(1);
    assert_eq!(crumb.data, [("status".to_owned(), "200".to_owned())]);
    assert_eq!(crumb.level, Some(Level::Info));

    let none = client_without_breadcrumbs(&collector);
    none.logger().info("not kept");
    assert!(none.logger().breadcrumbs().is_empty());
}

fn client_without_breadcrumbs(collector: &Collector) -> ferrolog::Client {
    client(collector, &[("max_breadcrumbs", "0")])
}

#[test]
fn loggers_made_from_a_scope_share_its_trail() {
    let collector = Collector::start();
    let client = client(&collector, &[]);
    let scope = client.logger().scope();
    let child = scope.child(Map::from_iter([("step".into(), json!("pay"))]));
    let span = scope.start_span("pay", "job");
    child.info("from the child");
    span.logger().info("under the span");
    scope.info("from the scope");
    assert_eq!(
        trail(&scope),
        [
            "log:from the child",
            "log:under the span",
            "log:from the scope"
        ]
    );
    assert_eq!(trail(&span.logger()), trail(&scope));
    assert!(
        client.logger().breadcrumbs().is_empty(),
        "the client's trail stays apart"
    );
}
