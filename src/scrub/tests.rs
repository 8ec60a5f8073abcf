use std::borrow::Cow;

use serde_json::json;

use super::{ScrubOptions, Scrubber};

const POSITIVES: &str = include_str!("../../tests/data/scrub/positives.tsv");
const NEGATIVES: &str = include_str!("../../tests/data/scrub/negatives.txt");

/// Corpus lines without the blank lines and `#` comments.
fn corpus_lines(corpus: &str) -> impl Iterator<Item = (usize, &str)> {
    corpus
        .lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line))
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
}

#[test]
fn every_positive_is_scrubbed_to_its_expected_form() {
    let scrubber = Scrubber::new(ScrubOptions::default());
    let mut failures = Vec::new();
    let mut cases = 0;
    for (line_number, line) in corpus_lines(POSITIVES) {
        cases += 1;
        let Some((input, expected)) = line.split_once('\t') else {
            failures.push(format!(
                "line {line_number}: no tab between input and expected"
            ));
            continue;
        };
        let scrubbed = scrubber.scrub_text(input);
        if scrubbed != expected {
            failures.push(format!(
                "line {line_number}:\n    input    {input}\n    expected {expected}\n    got      {scrubbed}"
            ));
        }
        if scrubber.scrub_text(expected) != expected {
            failures.push(format!(
                "line {line_number}: scrubbing the expected output changes it"
            ));
        }
    }
    assert!(cases >= 150, "only {cases} positive cases");
    assert!(
        failures.is_empty(),
        "{} of {cases} positives failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_negative_comes_back_borrowed_and_unchanged() {
    let scrubber = Scrubber::new(ScrubOptions::default());
    let mut failures = Vec::new();
    let mut cases = 0;
    for (line_number, line) in corpus_lines(NEGATIVES) {
        cases += 1;
        match scrubber.scrub_text(line) {
            Cow::Borrowed(_) => {}
            Cow::Owned(scrubbed) => failures.push(format!(
                "line {line_number}:\n    input {line}\n    got   {scrubbed}"
            )),
        }
    }
    assert!(cases >= 150, "only {cases} negative cases");
    assert!(
        failures.is_empty(),
        "{} of {cases} negatives changed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn scrubber_can_be_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Scrubber>();
}

#[test]
fn attributes_under_sensitive_keys_are_replaced_whole() {
    let scrubber = Scrubber::new(ScrubOptions::default());
    let mut attributes = json!({
        "user": "alice@example.com",
        "apiKey": "k-123",
        "X-Api-Key": 42,
        "token_count": 17,
        "session": {"id": "abc", "started": "2026-01-02T10:00:00Z"},
        "password": null,
        "request": {
            "headers": {"Authorization": "Basic dXNlcjpwYXNz", "Accept": "*/*"},
            "peers": ["10.1.2.3", "build 1.2.3", {"cookie": ["a", "b"]}]
        }
    });
    let replacements = scrubber.scrub_attributes(attributes.as_object_mut().unwrap());
    assert_eq!(
        attributes,
        json!({
            "user": "[REDACTED:email]",
            "apiKey": "[REDACTED]",
            "X-Api-Key": "[REDACTED]",
            "token_count": 17,
            "session": "[REDACTED]",
            "password": null,
            "request": {
                "headers": {"Authorization": "[REDACTED]", "Accept": "*/*"},
                "peers": ["[REDACTED:ip]", "build 1.2.3", {"cookie": "[REDACTED]"}]
            }
        })
    );
    assert_eq!(replacements, 7);
    assert_eq!(
        scrubber.scrub_attributes(attributes.as_object_mut().unwrap()),
        0,
        "idempotent"
    );
}

#[test]
fn scrub_value_counts_every_replacement_in_a_string() {
    let scrubber = Scrubber::new(ScrubOptions::default());
    let mut value = json!("from bob@example.org at 192.168.0.7, card 4111 1111 1111 1111");
    assert_eq!(scrubber.scrub_value(&mut value), 3);
    assert_eq!(
        value,
        json!("from [REDACTED:email] at [REDACTED:ip], card [REDACTED:card]")
    );
    let mut clean = json!(["GET /health 200", 3, true, null]);
    assert_eq!(scrubber.scrub_value(&mut clean), 0);
}

#[test]
fn configured_keys_are_added_to_the_defaults() {
    let options = ScrubOptions {
        sensitive_keys: vec!["stripe-signature".to_owned()],
    };
    let scrubber = Scrubber::new(options);
    assert!(scrubber.is_sensitive_key("StripeSignature"));
    assert!(scrubber.is_sensitive_key("password"));
    assert_eq!(
        scrubber.scrub_text("stripe_signature=t1,v1"),
        "stripe_signature=[REDACTED],v1"
    );
    assert!(!Scrubber::new(ScrubOptions::default()).is_sensitive_key("stripe_signature"));
}

#[test]
fn pairs_in_text_are_redacted_only_under_whole_sensitive_keys() {
    let scrubber = Scrubber::new(ScrubOptions::default());
    let unchanged = [
        "db.password=x",
        r#"{"user.password": "x"}"#,
        "my_token=abc",
        "token_count=5",
        "password=[REDACTED]",
    ];
    for text in unchanged {
        assert_eq!(scrubber.scrub_text(text), text);
    }
    assert_eq!(
        scrubber.scrub_text("--password=x -v"),
        "--password=[REDACTED] -v"
    );
    assert_eq!(
        scrubber.scrub_text("a=1&API_KEY=z"),
        "a=1&API_KEY=[REDACTED]"
    );
    assert_eq!(
        scrubber.scrub_text(r#"{"Token" : "a\"b"}"#),
        r#"{"Token" : "[REDACTED]"}"#
    );
}

#[test]
fn configured_keys_with_pattern_characters_or_non_ascii_letters_work() {
    let options = ScrubOptions {
        sensitive_keys: vec!["sig(v1)+".to_owned(), "ключ".to_owned()],
    };
    let scrubber = Scrubber::new(options);
    assert_eq!(
        scrubber.scrub_text("sig(v1)+=abc next"),
        "sig(v1)+=[REDACTED] next"
    );
    assert!(scrubber.is_sensitive_key("ключ"));
    let mut attributes = json!({"ключ": "значение", "name": "x"});
    assert_eq!(
        scrubber.scrub_attributes(attributes.as_object_mut().unwrap()),
        1
    );
    assert_eq!(attributes, json!({"ключ": "[REDACTED]", "name": "x"}));
}

#[test]
fn module_docs_list_every_default_key() {
    let docs: String = include_str!("mod.rs")
        .lines()
        .filter_map(|line| line.strip_prefix("//!"))
        .collect::<Vec<_>>()
        .join(" ");
    let documented: Vec<&str> = docs
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .collect();
    for key in super::DEFAULT_SENSITIVE_KEYS {
        assert!(
            documented.contains(key),
            "{key} missing from the module docs"
        );
    }
}
