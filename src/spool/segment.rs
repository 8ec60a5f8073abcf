//! Segment files: `<sequence>.seg`, numbered in the order they were started, so the oldest
//! batch is in the lowest-numbered file. Created for the owner only (0600): they hold entries.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

const EXTENSION: &str = "seg";

pub fn path(dir: &Path, sequence: u64) -> PathBuf {
    dir.join(format!("{sequence:020}.{EXTENSION}"))
}

/// The sequence numbers of the segments in `dir`, oldest first. A rewrite that a crash
/// interrupted leaves a `.tmp` file behind; the segment it was replacing is still whole, so
/// the leftover is removed.
pub fn list(dir: &Path) -> io::Result<Vec<u64>> {
    let mut sequences = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        match path.extension().and_then(|e| e.to_str()) {
            Some(EXTENSION) => {
                if let Some(sequence) = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .and_then(|s| s.parse().ok())
                {
                    sequences.push(sequence);
                }
            }
            Some("tmp") => {
                let _ = fs::remove_file(&path);
            }
            _ => {}
        }
    }
    sequences.sort_unstable();
    Ok(sequences)
}

/// Opens a segment for appending, creating it 0600.
pub fn open_for_append(dir: &Path, sequence: u64) -> io::Result<File> {
    OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path(dir, sequence))
}

/// Replaces a segment's contents in one step: written beside it, then renamed over it, so a
/// crash leaves either the old segment or the new one, never half of one.
pub fn rewrite(dir: &Path, sequence: u64, bytes: &[u8]) -> io::Result<()> {
    let target = path(dir, sequence);
    let temporary = target.with_extension("tmp");
    let mut file = OpenOptions::new()
        .create(true)
        .write(true)
        .truncate(true)
        .mode(0o600)
        .open(&temporary)?;
    file.write_all(bytes)?;
    file.sync_data()?;
    fs::rename(&temporary, &target)
}

pub fn remove(dir: &Path, sequence: u64) -> io::Result<()> {
    match fs::remove_file(path(dir, sequence)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
