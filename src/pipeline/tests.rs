//! Pipeline behaviour that needs no server: a protocol bug contained, accounting kept.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::encoder::Encoded;
use super::*;
use crate::context::Context;
use crate::test_collector::Collector;
use crate::transport::Response;
use crate::wire::luminalog::{self, LuminaLogEncoder};

struct PanickingEncoder;

impl Encoder for PanickingEncoder {
    fn accepts(&self, _record: &Record) -> bool {
        true
    }

    fn encode(&mut self, _records: &[Record]) -> Result<Encoded, encoder::Verdict> {
        panic!("a bug in an encoder");
    }

    fn judge(&mut self, _response: &Response) -> encoder::Verdict {
        encoder::Verdict::DELIVERED
    }

    fn default_max_retries(&self) -> u32 {
        0
    }

    fn default_http_timeout(&self) -> Duration {
        Duration::from_secs(1)
    }
}

fn settings() -> Settings {
    Settings {
        batch_size: 10,
        flush_interval: Duration::from_secs(60),
        queue_size: 100,
        queue_max_bytes: 1 << 20,
        overflow: Overflow::DropNewest,
        block_timeout: Duration::ZERO,
        worker_count: 1,
        max_retries: None,
        retry_backoff: Duration::from_millis(1),
        http_timeout: None,
        scrubber: None,
        diagnostics: Diagnostics::new(false),
        spool: None,
    }
}

fn record(message: &str) -> Record {
    Record::with_pairs(
        Level::Info,
        message,
        std::iter::empty(),
        Arc::new(Context::default()),
    )
    .unwrap()
}

#[test]
fn a_panicking_encoder_loses_only_its_batch_and_the_worker_lives_on() {
    let pipeline = Pipeline::start(settings(), || Box::new(PanickingEncoder)).unwrap();
    for i in 0..3 {
        assert_eq!(pipeline.push(record(&format!("m{i}"))), Pushed::Accepted);
    }
    let report = pipeline.flush(Duration::from_secs(5));
    assert!(report.completed, "{report:?}");
    assert_eq!(pipeline.stats().dropped(DropReason::InternalError), 3);
    assert!(pipeline.stats().last_error.unwrap().contains("panic"));

    assert_eq!(pipeline.push(record("after")), Pushed::Accepted);
    assert!(pipeline.flush(Duration::from_secs(5)).completed);
    let stats = pipeline.stats();
    assert_eq!(
        (stats.dropped(DropReason::InternalError), stats.queued),
        (4, 0)
    );
    assert!(pipeline.shutdown(Duration::from_secs(1)).completed);
}

/// Sends real requests through the LuminaLog encoder to the collector, but judges them by a
/// script, so every path of the sender can be driven: splits, partial successes, retries.
struct ScriptedEncoder {
    inner: LuminaLogEncoder,
    script: Arc<Mutex<VecDeque<encoder::Verdict>>>,
    /// The size of every group encoded, in order.
    encoded: Arc<Mutex<Vec<usize>>>,
    /// Groups by the first character of the message, when set.
    partition_by_initial: bool,
}

impl Encoder for ScriptedEncoder {
    fn accepts(&self, _record: &Record) -> bool {
        true
    }

    fn partition(&self, records: Vec<Record>) -> Vec<Vec<Record>> {
        if !self.partition_by_initial {
            return vec![records];
        }
        let mut groups: Vec<Vec<Record>> = Vec::new();
        for record in records {
            let initial = record.message().chars().next();
            match groups
                .iter_mut()
                .find(|g| g[0].message().chars().next() == initial)
            {
                Some(group) => group.push(record),
                None => groups.push(vec![record]),
            }
        }
        groups
    }

    /// Entries whose message starts with "big" count as too large to carry.
    fn encode(&mut self, records: &[Record]) -> Result<Encoded, encoder::Verdict> {
        self.encoded.lock().unwrap().push(records.len());
        let excluded = records
            .iter()
            .filter(|r| r.message().starts_with("big"))
            .count();
        Ok(Encoded {
            excluded: excluded as u64,
            ..self.inner.encode(records)?
        })
    }

    fn judge(&mut self, response: &Response) -> encoder::Verdict {
        let scripted = self.script.lock().unwrap().pop_front();
        scripted.unwrap_or_else(|| self.inner.judge(response))
    }

    fn default_max_retries(&self) -> u32 {
        1
    }

    fn default_http_timeout(&self) -> Duration {
        Duration::from_secs(5)
    }
}

struct Scripted {
    pipeline: Pipeline,
    encoded: Arc<Mutex<Vec<usize>>>,
    _collector: Collector,
}

fn scripted(script: Vec<encoder::Verdict>, partition_by_initial: bool) -> Scripted {
    let collector = Collector::start();
    let script = Arc::new(Mutex::new(VecDeque::from(script)));
    let encoded = Arc::new(Mutex::new(Vec::new()));
    let make = {
        let (script, encoded, url) = (script.clone(), encoded.clone(), collector.ingest_url());
        move || -> Box<dyn Encoder> {
            Box::new(ScriptedEncoder {
                inner: LuminaLogEncoder::new(luminalog::encode::Options {
                    endpoint: Some(url.clone()),
                    api_key: "k".into(),
                    environment: None,
                    project_id: None,
                    privacy_mode: false,
                    gzip: false,
                    diagnostics: Diagnostics::new(false),
                }),
                script: script.clone(),
                encoded: encoded.clone(),
                partition_by_initial,
            })
        }
    };
    Scripted {
        pipeline: Pipeline::start(settings(), make).unwrap(),
        encoded,
        _collector: collector,
    }
}

fn push_and_flush(pipeline: &Pipeline, messages: &[&str]) {
    for message in messages {
        assert_eq!(pipeline.push(record(message)), Pushed::Accepted);
    }
    let report = pipeline.flush(Duration::from_secs(10));
    assert!(report.completed, "{report:?}");
}

#[test]
fn a_split_sends_each_half_on_its_own() {
    let s = scripted(vec![encoder::Verdict::Split], false);
    push_and_flush(&s.pipeline, &["a", "b", "c", "d", "e"]);
    assert_eq!(*s.encoded.lock().unwrap(), [5, 3, 2]);
    let stats = s.pipeline.stats();
    assert_eq!(
        (stats.sent, stats.dropped_total(), stats.requests),
        (5, 0, 2)
    );
}

#[test]
fn a_single_entry_too_large_to_send_is_a_validation_error() {
    let split = encoder::Verdict::Split;
    let s = scripted(vec![split, split, split], false);
    push_and_flush(&s.pipeline, &["a", "b"]);
    assert_eq!(*s.encoded.lock().unwrap(), [2, 1, 1]);
    assert_eq!(s.pipeline.stats().dropped(DropReason::ValidationError), 2);
}

#[test]
fn a_partial_success_drops_only_what_the_server_rejected() {
    let s = scripted(vec![encoder::Verdict::Delivered { rejected: 2 }], false);
    push_and_flush(&s.pipeline, &["a", "b", "c", "d", "e"]);
    let stats = s.pipeline.stats();
    assert_eq!((stats.sent, stats.dropped(DropReason::SendError)), (3, 2));
}

#[test]
fn groups_are_requests_of_their_own() {
    let s = scripted(vec![], true);
    push_and_flush(&s.pipeline, &["x1", "y1", "x2", "z1", "y2"]);
    assert_eq!(*s.encoded.lock().unwrap(), [2, 2, 1]);
    assert_eq!(s.pipeline.stats().requests, 3);
}

#[test]
fn server_directed_waits_need_not_use_up_attempts() {
    let free = encoder::Verdict::Retry {
        after: Some(Duration::from_millis(5)),
        counted: false,
        exhausted: DropReason::RatelimitBackoff,
    };
    let s = scripted(vec![free; 4], false);
    push_and_flush(&s.pipeline, &["a"]);
    let stats = s.pipeline.stats();
    assert_eq!(
        (stats.sent, stats.retried),
        (1, 4),
        "more waits than max_retries (1)"
    );
}

#[test]
fn an_exhausted_retry_is_dropped_with_the_reason_the_verdict_gave() {
    let limited = encoder::Verdict::Retry {
        after: Some(Duration::from_millis(5)),
        counted: true,
        exhausted: DropReason::RatelimitBackoff,
    };
    let s = scripted(vec![limited; 3], false);
    push_and_flush(&s.pipeline, &["a", "b"]);
    let stats = s.pipeline.stats();
    assert_eq!(stats.dropped(DropReason::RatelimitBackoff), 2);
    assert_eq!((stats.sent, stats.retried), (0, 1));
}

#[test]
fn entries_an_encoding_leaves_out_settle_once_as_validation_errors() {
    // Re-authentication re-encodes the group; the left-out entry is still counted once.
    let s = scripted(vec![encoder::Verdict::Reauthenticate], false);
    push_and_flush(&s.pipeline, &["a", "big one", "c"]);
    assert_eq!(*s.encoded.lock().unwrap(), [3, 3]);
    let stats = s.pipeline.stats();
    assert_eq!(
        (stats.sent, stats.dropped(DropReason::ValidationError)),
        (2, 1)
    );
    assert_eq!(stats.dropped_total(), 1);
}
