//! Batch ids (`X-Ferrolog-Batch`): a client sends a batch again after a lost answer or from
//! its spool, under the same id; the ids of recent batches are remembered so that a batch
//! is stored once however often it arrives, across restarts too: the ids are appended to
//! `batch-ids.log` in the data dir and read back on start.

use std::collections::{HashSet, VecDeque};
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use ferrolog::pipeline::batch::{BatchId, BATCH_HEADER};
use hyper::header::HeaderMap;

/// Enough for any client's retries and spool, and at most a few MiB.
pub const REMEMBERED: usize = 100_000;

/// The request's batch id; `Err` names what is wrong with a malformed one.
pub fn batch_id(headers: &HeaderMap) -> Result<Option<BatchId>, String> {
    let Some(value) = headers.get(BATCH_HEADER) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .and_then(BatchId::parse)
        .map(Some)
        .ok_or_else(|| format!("{BATCH_HEADER} must be 32 hex digits"))
}

const LOG_FILE: &str = "batch-ids.log";

/// The most recent batch ids, forgetting the oldest beyond a bound.
pub struct RecentBatches {
    seen: HashSet<BatchId>,
    order: VecDeque<BatchId>,
    capacity: usize,
    /// Where each id is appended; `None` keeps them in memory only.
    log: Option<File>,
}

impl RecentBatches {
    pub fn new(capacity: usize) -> RecentBatches {
        RecentBatches {
            seen: HashSet::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
            log: None,
        }
    }

    /// The ids remembered in `data_dir` by an earlier run, appending new ones there. The log is
    /// rewritten with only the remembered ids when it has grown to twice that many, so it
    /// stays bounded; a line cut short by a crash is skipped.
    pub fn open(data_dir: &Path, capacity: usize) -> io::Result<RecentBatches> {
        let path = data_dir.join(LOG_FILE);
        let mut recent = RecentBatches::new(capacity);
        let mut lines = 0;
        match File::open(&path) {
            Ok(file) => {
                for line in BufReader::new(file).lines() {
                    lines += 1;
                    if let Some(id) = BatchId::parse(line?.trim()) {
                        recent.remember_in_memory(id);
                    }
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        if lines > 2 * recent.capacity {
            let compacted = data_dir.join(format!("{LOG_FILE}.new"));
            let mut file = owner_only().write(true).truncate(true).open(&compacted)?;
            file.write_all(recent.lines().as_bytes())?;
            file.sync_all()?;
            std::fs::rename(&compacted, &path)?;
        }
        let mut log = owner_only().append(true).open(&path)?;
        // Whatever a crash left half-written ends here, not glued to the next id.
        log.write_all(b"\n")?;
        recent.log = Some(log);
        Ok(recent)
    }

    pub fn contains(&self, id: &BatchId) -> bool {
        self.seen.contains(id)
    }

    /// Remembers `id`, in the log too when there is one; on a failed write it is still
    /// remembered until the collector stops.
    pub fn remember(&mut self, id: BatchId) -> io::Result<()> {
        if !self.remember_in_memory(id) {
            return Ok(());
        }
        match &mut self.log {
            Some(log) => log.write_all(format!("{id}\n").as_bytes()),
            None => Ok(()),
        }
    }

    /// Whether `id` is new.
    fn remember_in_memory(&mut self, id: BatchId) -> bool {
        if !self.seen.insert(id) {
            return false;
        }
        self.order.push_back(id);
        if self.order.len() > self.capacity {
            if let Some(oldest) = self.order.pop_front() {
                self.seen.remove(&oldest);
            }
        }
        true
    }

    fn lines(&self) -> String {
        self.order.iter().map(|id| format!("{id}\n")).collect()
    }
}

fn owner_only() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.create(true).mode(0o600);
    options
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    #[test]
    fn the_oldest_ids_are_forgotten_beyond_the_bound() {
        let mut recent = RecentBatches::new(2);
        let ids: Vec<BatchId> = (0..3).map(|_| BatchId::random()).collect();
        for id in &ids {
            recent.remember(*id).unwrap();
        }
        recent.remember(ids[2]).unwrap();
        assert!(!recent.contains(&ids[0]));
        assert!(recent.contains(&ids[1]) && recent.contains(&ids[2]));
    }

    #[test]
    fn ids_survive_a_restart_and_the_log_stays_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let ids: Vec<BatchId> = (0..5).map(|_| BatchId::random()).collect();
        let mut first = RecentBatches::open(dir.path(), 2).unwrap();
        for id in &ids {
            first.remember(*id).unwrap();
        }
        drop(first);
        let path = dir.path().join(LOG_FILE);
        // A crash in the middle of writing an id.
        let mut log = OpenOptions::new().append(true).open(&path).unwrap();
        log.write_all(b"0123").unwrap();
        drop(log);

        let second = RecentBatches::open(dir.path(), 2).unwrap();
        assert!(!second.contains(&ids[2]), "beyond the bound");
        assert!(second.contains(&ids[3]) && second.contains(&ids[4]));
        let kept = std::fs::read_to_string(&path).unwrap();
        assert_eq!(kept, format!("{}\n{}\n\n", ids[3], ids[4]), "compacted");
        let mode = std::fs::metadata(&path).unwrap().permissions();
        assert_eq!(
            std::os::unix::fs::PermissionsExt::mode(&mode) & 0o777,
            0o600
        );
    }

    #[test]
    fn a_malformed_header_is_named() {
        let mut headers = HeaderMap::new();
        assert_eq!(batch_id(&headers), Ok(None));
        let id = BatchId::random();
        headers.insert(
            BATCH_HEADER,
            HeaderValue::from_str(&id.to_string()).unwrap(),
        );
        assert_eq!(batch_id(&headers), Ok(Some(id)));
        headers.insert(BATCH_HEADER, HeaderValue::from_static("not-an-id"));
        assert!(batch_id(&headers).unwrap_err().contains("32 hex digits"));
    }
}
