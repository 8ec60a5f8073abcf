//! Cost of PII scrubbing per entry on the worker: the message and three attributes of a typical
//! log entry (about 270 bytes as JSON), once clean and once holding PII. Each iteration clones
//! the entry (the worker owns what it scrubs) and scrubs the clone; the clone alone is the
//! baseline. Figures are the median of several rounds, in nanoseconds per entry.

use std::hint::black_box;
use std::time::Instant;

use ferrolog::scrub::{ScrubOptions, Scrubber};
use serde_json::{json, Map, Value};

const ROUNDS: usize = 15;
const ENTRIES_PER_ROUND: usize = 20_000;

struct Entry {
    message: String,
    attributes: Map<String, Value>,
}

fn entry(message: &str, attributes: Value) -> Entry {
    let Value::Object(attributes) = attributes else {
        unreachable!("attributes are an object")
    };
    Entry {
        message: message.to_owned(),
        attributes,
    }
}

fn clean_entry() -> Entry {
    entry(
        "GET /api/v1/orders/8c1f2e4a-93b1-4d7e-a1f0-5b2c9d8e7f60 handled in 12.4 ms: status=200 \
         bytes=5120 cache=miss upstream=orders-api-7d9f8c6b5-x2k4p build=v2.14.0",
        json!({"user_id": "u-12345", "route": "/api/orders", "trace_id": "4bf92f3577b34da6a3ce929d0e0e4736"}),
    )
}

fn pii_entry() -> Entry {
    entry(
        "POST /api/v1/checkout by jane.doe@example.com from 203.0.113.7 handled in 48.1 ms: \
         status=402 card 4111 1111 1111 1111 declined, callback +44 7700 900123 build=v2.14.0",
        json!({"user_id": "u-12345", "password": "hunter2", "client": "Bearer abc123def456ghi789"}),
    )
}

fn cloned(entry: &Entry) -> Entry {
    Entry {
        message: entry.message.clone(),
        attributes: entry.attributes.clone(),
    }
}

fn json_size(entry: &Entry) -> usize {
    let whole = json!({"message": entry.message, "attributes": entry.attributes});
    serde_json::to_string(&whole).map_or(0, |text| text.len())
}

/// Median nanoseconds per entry over the rounds.
fn median_ns(mut each_entry: impl FnMut()) -> f64 {
    let mut rounds: Vec<f64> = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..ENTRIES_PER_ROUND {
                each_entry();
            }
            start.elapsed().as_nanos() as f64 / ENTRIES_PER_ROUND as f64
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[ROUNDS / 2]
}

fn measure(name: &str, scrubber: &Scrubber, original: &Entry) {
    let clone_only = median_ns(|| {
        black_box(cloned(black_box(original)));
    });
    let clone_and_scrub = median_ns(|| {
        let mut entry = cloned(black_box(original));
        black_box(scrubber.scrub_text(&entry.message));
        black_box(scrubber.scrub_attributes(&mut entry.attributes));
        black_box(entry);
    });
    println!(
        "| {name} | {} | {clone_only:.0} | {clone_and_scrub:.0} | {:.0} | {:.1}× |",
        json_size(original),
        clone_and_scrub - clone_only,
        clone_and_scrub / clone_only,
    );
}

fn main() {
    let scrubber = Scrubber::new(ScrubOptions::default());
    let build_start = Instant::now();
    black_box(Scrubber::new(ScrubOptions::default()));
    let build_us = build_start.elapsed().as_micros();

    println!("scrub: median of {ROUNDS} rounds of {ENTRIES_PER_ROUND} entries, ns per entry");
    println!();
    println!("| entry | JSON bytes | clone only | clone + scrub | scrub alone | ratio |");
    println!("|---|---:|---:|---:|---:|---:|");
    measure("clean", &scrubber, &clean_entry());
    measure(
        "with PII (email, IP, card, phone; password, bearer)",
        &scrubber,
        &pii_entry(),
    );
    println!();
    println!("building a Scrubber: {build_us} µs (once per client)");
}
