//! Pipeline behaviour that needs no server: a protocol bug contained, accounting kept.

use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::context::Context;
use crate::transport::{Request, Response};

struct PanickingEncoder;

impl Encoder for PanickingEncoder {
    fn accepts(&self, _record: &Record) -> bool {
        true
    }

    fn encode(&mut self, _records: &[Record]) -> Request {
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
        diagnostics: Diagnostics::new(false),
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
