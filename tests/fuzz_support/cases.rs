//! How long the property tests run, and a panic counter they assert on. Shared by the
//! library's and the collector's fuzz targets (the collector includes this file by path).
//!
//! `make test` runs each target at its small default; `FERROLOG_FUZZ_CASES=N` runs N cases
//! per property instead (`make fuzz`).

#![allow(dead_code)] // each test binary uses its own subset

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

use proptest::test_runner::{Config, TestRunner};

/// The number of cases per property: `FERROLOG_FUZZ_CASES` when set, else `default`.
pub fn cases(default: u32) -> u32 {
    std::env::var("FERROLOG_FUZZ_CASES")
        .ok()
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(default)
}

/// A runner for `cases(default)` cases. Failures are not written to a regressions file: a
/// failure found here is kept as a named regression test beside the property instead.
pub fn runner(default: u32) -> TestRunner {
    runner_of(cases(default))
}

fn runner_of(cases: u32) -> TestRunner {
    count_panics();
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        // A failure costs a few seconds of shrinking, not minutes.
        max_shrink_iters: 2_000,
        ..Config::default()
    })
}

/// A runner for properties whose cases are costly (megabytes each): `default` cases inside
/// `cargo test`, and one per `per` of `FERROLOG_FUZZ_CASES` when that is set.
pub fn costly_runner(default: u32, per: u32) -> TestRunner {
    runner_of((cases(default) / per).max(default))
}

static PANICS: AtomicUsize = AtomicUsize::new(0);

/// Counts every panic of the code under test, also those a panic boundary catches (an FFI
/// call's or a worker's), which would otherwise pass unseen; the default hook still prints
/// each one. A failed assertion of a test itself is not counted, so one failing property does
/// not fail the others of the same process.
fn count_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let in_a_test = info.location().is_some_and(|at| {
                let file = at.file();
                file.starts_with("tests/") || file.contains("/tests/") || file.contains("proptest")
            });
            if !in_a_test {
                PANICS.fetch_add(1, Ordering::SeqCst);
            }
            default(info);
        }));
    });
}

/// Panics so far anywhere in this test process.
pub fn panics() -> usize {
    PANICS.load(Ordering::SeqCst)
}
