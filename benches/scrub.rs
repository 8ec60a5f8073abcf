//! Cost of PII scrubbing per entry on the worker: the message and three attributes of a typical
//! log entry (about 270 bytes as JSON), once clean and once holding PII. Each iteration clones
//! the entry (the worker owns what it scrubs) and scrubs the clone; the clone alone is the
//! baseline. Figures are medians over rounds, in nanoseconds per entry; the ratio is the median of
//! the per-round ratios.

use std::hint::black_box;
use std::time::Instant;

use ferrolog::scrub::{ScrubOptions, Scrubber};
use serde_json::{json, Map, Value};

const ROUNDS: usize = 31;
const ENTRIES_PER_ROUND: usize = 10_000;

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

/// Nanoseconds per entry of one round.
fn round_ns(each_entry: &mut impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..ENTRIES_PER_ROUND {
        each_entry();
    }
    start.elapsed().as_nanos() as f64 / ENTRIES_PER_ROUND as f64
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// The rounds of the baseline and of the scrubbing alternate, so that a neighbour's load on the
/// shared cores weighs on both alike.
fn measure(name: &str, scrubber: &Scrubber, original: &Entry) {
    let mut clone_only = || {
        black_box(cloned(black_box(original)));
    };
    let mut clone_and_scrub = || {
        let mut entry = cloned(black_box(original));
        black_box(scrubber.scrub_text(&entry.message));
        black_box(scrubber.scrub_attributes(&mut entry.attributes));
        black_box(entry);
    };
    let (mut baseline, mut scrubbed) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        baseline.push(round_ns(&mut clone_only));
        scrubbed.push(round_ns(&mut clone_and_scrub));
    }
    let ratios = baseline.iter().zip(&scrubbed).map(|(b, s)| s / b).collect();
    let extra = baseline.iter().zip(&scrubbed).map(|(b, s)| s - b).collect();
    println!(
        "| {name} | {} | {:.0} | {:.0} | {:.0} | {:.1}× |",
        json_size(original),
        median(baseline),
        median(scrubbed),
        median(extra),
        median(ratios),
    );
}

fn main() {
    let scrubber = Scrubber::new(ScrubOptions::default());
    let build_start = Instant::now();
    black_box(Scrubber::new(ScrubOptions::default()));
    let build_us = build_start.elapsed().as_micros();

    println!("scrub: {ROUNDS} rounds of {ENTRIES_PER_ROUND} entries each way, median ns per entry");
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
