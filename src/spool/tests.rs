use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::Arc;

use super::*;
use crate::context::Context;
use crate::entry::Record;
use crate::level::Level;

struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "ferrolog-spool-{}-{}",
            std::process::id(),
            fastrand::u64(..)
        ));
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn batch(messages: &[&str]) -> Batch {
    let records = messages
        .iter()
        .map(|m| {
            Record::with_pairs(
                Level::Info,
                m,
                std::iter::empty(),
                Arc::new(Context::default()),
            )
            .unwrap()
        })
        .collect();
    Batch::new(records)
}

fn messages(batches: &[Batch]) -> Vec<String> {
    batches
        .iter()
        .flat_map(|b| b.records.iter().map(|r| r.message().to_owned()))
        .collect()
}

fn segment_files(dir: &Path) -> Vec<PathBuf> {
    let list = segment::list(dir).unwrap();
    list.into_iter().map(|s| segment::path(dir, s)).collect()
}

#[test]
fn batches_come_back_oldest_first_under_their_ids_in_files_for_the_owner_only() {
    let dir = TempDir::new();
    let (spool, recovered) = Spool::open(&dir.0, 1 << 20).unwrap();
    assert_eq!(recovered, Recovered::default());
    let (first, second) = (batch(&["a", "b"]), batch(&["c"]));
    assert_eq!(spool.append(&first), Ok(0));
    assert_eq!(spool.append(&second), Ok(0));
    for file in segment_files(&dir.0) {
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{}", file.display());
    }
    let dir_mode = std::fs::metadata(&dir.0).unwrap().permissions().mode();
    assert_eq!(dir_mode & 0o777, 0o700);

    let replay = spool.take_oldest().expect("a segment");
    assert_eq!(messages(&replay.batches), ["a", "b", "c"]);
    assert_eq!(replay.batches[0].id, first.id);
    assert_eq!(replay.batches[1].id, second.id);
    assert!(spool.take_oldest().is_none(), "one replay at a time");
    spool
        .put_back(replay.sequence, &replay.batches[1..])
        .unwrap();

    let again = spool.take_oldest().expect("the rest");
    assert_eq!(messages(&again.batches), ["c"]);
    spool.put_back(again.sequence, &[]).unwrap();
    assert!(spool.take_oldest().is_none());
    assert!(segment_files(&dir.0).is_empty());
}

#[test]
fn a_second_spool_on_the_same_directory_is_refused_until_the_first_closes() {
    let dir = TempDir::new();
    let (first, _) = Spool::open(&dir.0, 1 << 20).unwrap();
    let refused = Spool::open(&dir.0, 1 << 20).err().expect("locked");
    assert_eq!(refused.kind(), io::ErrorKind::WouldBlock);
    drop(first);
    assert!(Spool::open(&dir.0, 1 << 20).is_ok());
}

#[test]
fn a_reopened_spool_counts_what_it_finds_and_skips_a_damaged_frame() {
    let dir = TempDir::new();
    {
        let (spool, _) = Spool::open(&dir.0, 1 << 20).unwrap();
        for messages in [&["one"][..], &["two", "three"], &["four"]] {
            spool.append(&batch(messages)).unwrap();
        }
    }
    let file = &segment_files(&dir.0)[0];
    let mut bytes = std::fs::read(file).unwrap();
    let first_frame =
        frame::HEADER_BYTES + u32::from_le_bytes(bytes[..4].try_into().unwrap()) as usize;
    bytes[first_frame + frame::HEADER_BYTES + 2] ^= 0x20;
    std::fs::write(file, &bytes).unwrap();

    let (spool, recovered) = Spool::open(&dir.0, 1 << 20).unwrap();
    assert_eq!(
        recovered,
        Recovered {
            entries: 2,
            damaged_frames: 1
        }
    );
    let replay = spool.take_oldest().unwrap();
    assert_eq!(messages(&replay.batches), ["one", "four"]);
    assert_eq!(
        (replay.damaged_frames, replay.lost_entries),
        (0, 0),
        "counted once"
    );
}

#[test]
fn the_oldest_segments_are_evicted_to_stay_within_the_bound() {
    let dir = TempDir::new();
    let max = 8192;
    let (spool, _) = Spool::open(&dir.0, max).unwrap();
    let text = "x".repeat(300);
    let mut evicted = 0;
    for _ in 0..60 {
        evicted += spool.append(&batch(&[&text])).unwrap();
    }
    let held: u64 = segment_files(&dir.0)
        .iter()
        .map(|f| std::fs::metadata(f).unwrap().len())
        .sum();
    assert!(held <= max, "{held} bytes held");
    assert!(evicted > 0);
    let mut left = 0;
    while let Some(replay) = spool.take_oldest() {
        left += replay.batches.len() as u64;
        spool.put_back(replay.sequence, &[]).unwrap();
    }
    assert_eq!(left + evicted, 60);
    assert_eq!(
        spool.append(&batch(&[&"y".repeat(9000)])),
        Err(Refused::TooLarge)
    );
}

#[test]
fn a_write_error_stops_spooling_with_its_reason() {
    let dir = TempDir::new();
    let (spool, _) = Spool::open(&dir.0, 1 << 20).unwrap();
    // The next segment is a full disk.
    std::os::unix::fs::symlink("/dev/full", segment::path(&dir.0, 1)).unwrap();
    let Err(Refused::Failed(message)) = spool.append(&batch(&["lost"])) else {
        panic!("the write should fail");
    };
    assert!(message.contains("spooling stopped"), "{message}");
    assert_eq!(spool.failure(), Some(message));
    assert_eq!(spool.append(&batch(&["later"])), Err(Refused::Stopped));
    assert!(spool.take_oldest().is_none());
}
