//! Stored entries: appended to `entries.jsonl` and kept in memory, newest last, for queries.

use std::collections::VecDeque;
use std::fs::{DirBuilder, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::DirBuilderExt;
use std::path::Path;
use std::time::SystemTime;

use chrono::{DateTime, Utc};
use ferrolog::wire::decoded::DecodedEntry;
use serde::Serialize;

use ferrolog::pipeline::batch::BatchId;

use crate::batches::{RecentBatches, REMEMBERED};
use crate::printer;

/// One entry as stored, served and written to `entries.jsonl`: the decoded entry's members
/// plus where it stands in the collector.
#[derive(Debug, Serialize)]
pub struct StoredEntry {
    pub id: u64,
    /// UTC time the collector stored it.
    pub received_at: String,
    #[serde(flatten)]
    pub entry: DecodedEntry,
}

pub struct Store {
    entries: VecDeque<StoredEntry>,
    capacity: usize,
    next_id: u64,
    rejected_total: u64,
    jsonl: File,
    print: bool,
    batches: RecentBatches,
    duplicate_batches: u64,
}

impl Store {
    /// Opens `data_dir/entries.jsonl` for appending, creating the directory if needed, for its
    /// owner only: it also holds the LogFlux private key and session keys.
    pub fn open(data_dir: &Path, capacity: usize, print: bool) -> io::Result<Store> {
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(data_dir)?;
        let jsonl = OpenOptions::new()
            .create(true)
            .append(true)
            .open(data_dir.join("entries.jsonl"))?;
        Ok(Store {
            entries: VecDeque::new(),
            capacity: capacity.max(1),
            next_id: 1,
            rejected_total: 0,
            jsonl,
            print,
            batches: RecentBatches::open(data_dir, REMEMBERED)?,
            duplicate_batches: 0,
        })
    }

    /// Stores one request's valid entries, unless its batch was stored already: then the
    /// client is answered as if it were stored now, since it is. The file is written first and
    /// in one piece, so a failed write stores nothing and the client can be told so.
    pub fn append(
        &mut self,
        batch: Option<BatchId>,
        entries: Vec<DecodedEntry>,
        rejected: usize,
    ) -> io::Result<()> {
        if batch.is_some_and(|id| self.batches.contains(&id)) {
            self.duplicate_batches += 1;
            return Ok(());
        }
        let received_at = DateTime::<Utc>::from(SystemTime::now())
            .format("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string();
        let stored: Vec<StoredEntry> = entries
            .into_iter()
            .zip(self.next_id..)
            .map(|(entry, id)| StoredEntry {
                id,
                received_at: received_at.clone(),
                entry,
            })
            .collect();

        let mut lines = Vec::new();
        for entry in &stored {
            serde_json::to_writer(&mut lines, entry)?;
            lines.push(b'\n');
        }
        self.jsonl.write_all(&lines)?;

        if self.print {
            let mut out = io::stdout().lock();
            for entry in &stored {
                // Watching is best effort: a closed terminal must not fail the ingest.
                let _ = writeln!(out, "{}", printer::line(&entry.entry));
            }
            let _ = out.flush();
        }

        self.next_id += stored.len() as u64;
        self.rejected_total += rejected as u64;
        for entry in stored {
            if self.entries.len() == self.capacity {
                self.entries.pop_front();
            }
            self.entries.push_back(entry);
        }
        if let Some(id) = batch {
            // The entries are stored: a lost id costs only the dedup of a resend after a
            // restart, not a failed answer, which would bring the resend about.
            if let Err(e) = self.batches.remember(id) {
                eprintln!("ferrolog-collector: could not record a batch id: {e}");
            }
        }
        Ok(())
    }

    pub fn entries(&self) -> impl Iterator<Item = &StoredEntry> {
        self.entries.iter()
    }

    /// Forgets the entries kept in memory; `entries.jsonl` is left as it is.
    pub fn clear(&mut self) -> usize {
        let cleared = self.entries.len();
        self.entries.clear();
        cleared
    }

    pub fn stored_total(&self) -> u64 {
        self.next_id - 1
    }

    /// Requests answered without storing, their batch having been stored before.
    pub fn duplicate_batches(&self) -> u64 {
        self.duplicate_batches
    }

    pub fn rejected_total(&self) -> u64 {
        self.rejected_total
    }
}
