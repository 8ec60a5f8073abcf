//! The spool as the pipeline sees it: where undeliverable batches go instead of being dropped.

use std::path::PathBuf;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;

use crate::diagnostics::{Diagnostics, Event};
use crate::pipeline::batch::Batch;
use crate::pipeline::stats::{Counters, DropReason};
use crate::pipeline::Shared;
use crate::scrub::Scrubber;
use crate::spool::{Refused, Spool};

pub(crate) struct SpoolSettings {
    pub dir: PathBuf,
    pub max_bytes: u64,
}

#[derive(Default)]
pub(crate) struct Spooling {
    pub spool: Option<Spool>,
    /// Why a configured spool could not be opened.
    open_error: Option<String>,
    /// Records reach the disk settled and scrubbed, whichever path brought them.
    scrubber: Option<Arc<Scrubber>>,
    diagnostics: Option<Diagnostics>,
}

impl Spooling {
    /// Opens the configured spool, counting what an earlier client left in it. A spool that
    /// cannot be opened (another client holds it, no permission) leaves the client without
    /// one, which the stats and a warning report; telemetry never stops the host from starting.
    pub fn open(
        settings: Option<SpoolSettings>,
        scrubber: Option<Arc<Scrubber>>,
        diagnostics: Diagnostics,
        counters: &Counters,
    ) -> Spooling {
        let Some(settings) = settings else {
            return Spooling::default();
        };
        let mut spooling = Spooling {
            scrubber,
            diagnostics: Some(diagnostics),
            ..Spooling::default()
        };
        match Spool::open(&settings.dir, settings.max_bytes) {
            Ok((spool, recovered)) => {
                counters.spool_recovered.store(recovered.entries, Relaxed);
                counters
                    .spool_corrupt
                    .store(recovered.damaged_frames, Relaxed);
                spooling.spool = Some(spool);
            }
            Err(error) => {
                let message = format!("no spool: {}: {error}", settings.dir.display());
                diagnostics.warn(format_args!("{message}"));
                spooling.open_error = Some(message);
            }
        }
        spooling
    }

    pub fn error(&self) -> Option<String> {
        let failure = self.spool.as_ref().and_then(Spool::failure);
        failure.or_else(|| self.open_error.clone())
    }
}

impl Shared {
    /// A batch that cannot be delivered now: spooled when there is a spool that takes it,
    /// dropped as `reason` otherwise.
    pub(crate) fn keep_or_drop(&self, batch: Batch, reason: DropReason) {
        let entries = batch.records.len() as u64;
        let spooling = &self.spooling;
        let Some(spool) = &spooling.spool else {
            self.counters.dropped(reason, entries);
            return;
        };
        let scrubber = spooling.scrubber.as_deref();
        let batch = Batch {
            id: batch.id,
            records: batch
                .records
                .into_iter()
                .map(|r| r.settled(scrubber))
                .collect(),
        };
        match spool.append(&batch) {
            Ok(evicted) => {
                self.diagnostics.debug(
                    Event::Spool,
                    format_args!(
                        "spooled {entries} entries ({}); {evicted} older evicted",
                        reason.name()
                    ),
                );
                self.counters.spooled(entries);
                self.counters.refused(DropReason::SpoolEvicted, evicted);
            }
            Err(refused) => {
                if let Refused::Failed(message) = refused {
                    if let Some(diagnostics) = spooling.diagnostics {
                        diagnostics.warn(format_args!("{message}"));
                    }
                    self.counters.set_last_error(message);
                }
                self.counters.dropped(reason, entries);
            }
        }
    }
}
