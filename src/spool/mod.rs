//! The disk spool: batches that could not be delivered are kept in append-only, checksummed
//! segment files and replayed, oldest first, when the endpoint answers again or the next
//! client opens the same directory.
//!
//! Bounded: when a batch would take the spool past its size, the oldest segments are deleted
//! and their entries counted as evicted. A damaged or cut frame is skipped and counted. The
//! first write error (a full disk) stops spooling for the rest of the client's life; batches
//! are then dropped with their own reasons, and the error is reported in the stats.

mod frame;
mod lock;
mod record;
mod segment;

use std::collections::VecDeque;
use std::fs::{DirBuilder, File};
use std::io::{self, Write};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::pipeline::batch::Batch;
use frame::Frame;
use lock::DirLock;

/// The default bound on the spool's size.
pub const DEFAULT_MAX_BYTES: u64 = 64 << 20;

/// Segments are this share of the bound, so evicting one frees an eighth of the spool, not
/// all of it, and a replayed segment is read into memory in one piece of bounded size.
const SEGMENTS_PER_BOUND: u64 = 8;
const MAX_SEGMENT_BYTES: u64 = 8 << 20;

pub(crate) struct Spool {
    dir: PathBuf,
    max_bytes: u64,
    segment_bytes: u64,
    state: Mutex<State>,
    _lock: DirLock,
}

struct State {
    /// Oldest first; appends go to the last one while `writer` is open.
    segments: VecDeque<Segment>,
    writer: Option<File>,
    next_sequence: u64,
    /// The write error that stopped spooling.
    failure: Option<String>,
    /// The segment a replay has taken out: never evicted or appended to meanwhile.
    replaying: Option<u64>,
}

struct Segment {
    sequence: u64,
    bytes: u64,
    entries: u64,
    /// Frames already found damaged and counted, so a replay counts only new damage.
    damaged: u64,
}

/// What a newly opened spool found left by an earlier client.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Recovered {
    pub entries: u64,
    pub damaged_frames: u64,
}

/// Why a batch was not spooled.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refused {
    /// An earlier write error stopped spooling.
    Stopped,
    /// The batch alone is larger than the spool may be, or than the room a replay leaves.
    TooLarge,
    /// This write failed; spooling stops now.
    Failed(String),
}

/// The oldest segment, taken out for replay: hand back what was not delivered with
/// [`Spool::put_back`].
pub(crate) struct Replay {
    pub sequence: u64,
    pub batches: Vec<Batch>,
    pub damaged_frames: u64,
    /// Entries counted in the segment when it was written or found that can no longer be
    /// read back (the file was damaged since).
    pub lost_entries: u64,
}

/// A segment's batches, and its frames that could not be read.
struct Contents {
    batches: Vec<Batch>,
    damaged_frames: u64,
}

fn read_segment(dir: &Path, sequence: u64) -> io::Result<Contents> {
    let bytes = std::fs::read(segment::path(dir, sequence))?;
    let mut contents = Contents {
        batches: Vec::new(),
        damaged_frames: 0,
    };
    for frame in frame::frames(&bytes) {
        match frame {
            Frame::Intact(payload) => match record::from_json(payload) {
                Some(batch) => contents.batches.push(batch),
                None => contents.damaged_frames += 1,
            },
            Frame::Damaged | Frame::Truncated => contents.damaged_frames += 1,
        }
    }
    Ok(contents)
}

fn entries(batches: &[Batch]) -> u64 {
    batches.iter().map(|b| b.records.len() as u64).sum()
}

impl Spool {
    /// Opens (creating it 0700 if needed) and locks `dir`, and counts what an earlier client
    /// left there. New batches always start a new segment: the last one may end in a frame
    /// cut short, after which nothing could be read.
    pub fn open(dir: &Path, max_bytes: u64) -> io::Result<(Spool, Recovered)> {
        DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
        let lock = DirLock::acquire(dir)?;
        let mut recovered = Recovered::default();
        let mut segments = VecDeque::new();
        for sequence in segment::list(dir)? {
            let contents = read_segment(dir, sequence)?;
            let size = std::fs::metadata(segment::path(dir, sequence))?.len();
            let entries = entries(&contents.batches);
            recovered.entries += entries;
            recovered.damaged_frames += contents.damaged_frames;
            segments.push_back(Segment {
                sequence,
                bytes: size,
                entries,
                damaged: contents.damaged_frames,
            });
        }
        let next_sequence = segments.back().map_or(1, |s| s.sequence + 1);
        let spool = Spool {
            dir: dir.to_owned(),
            max_bytes,
            segment_bytes: (max_bytes / SEGMENTS_PER_BOUND).clamp(1, MAX_SEGMENT_BYTES),
            state: Mutex::new(State {
                segments,
                writer: None,
                next_sequence,
                failure: None,
                replaying: None,
            }),
            _lock: lock,
        };
        Ok((spool, recovered))
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Appends `batch`, evicting the oldest segments to make room; returns how many entries
    /// were evicted.
    pub fn append(&self, batch: &Batch) -> Result<u64, Refused> {
        let frame = frame::encode(&record::to_json(batch));
        let length = frame.len() as u64;
        let mut state = self.lock();
        if state.failure.is_some() {
            return Err(Refused::Stopped);
        }
        if length > self.max_bytes {
            return Err(Refused::TooLarge);
        }
        let evicted = self.make_room(&mut state, length)?;
        let result = self.write(&mut state, &frame, batch.records.len() as u64);
        result.map(|()| evicted).map_err(|error| {
            let message = format!("spooling stopped: {error}");
            state.failure = Some(message.clone());
            state.writer = None;
            Refused::Failed(message)
        })
    }

    fn make_room(&self, state: &mut State, length: u64) -> Result<u64, Refused> {
        let mut evicted = 0;
        loop {
            let held: u64 = state.segments.iter().map(|s| s.bytes).sum();
            if held + length <= self.max_bytes {
                return Ok(evicted);
            }
            let replaying = state.replaying;
            let Some(index) = state
                .segments
                .iter()
                .position(|s| Some(s.sequence) != replaying)
            else {
                return Err(Refused::TooLarge);
            };
            if index + 1 == state.segments.len() {
                state.writer = None;
            }
            let Some(oldest) = state.segments.remove(index) else {
                return Err(Refused::TooLarge);
            };
            // Forgotten even if the file cannot be removed: it is out of the bound's count, and
            // a later open finds and replays it, which the batch ids make harmless.
            let _ = segment::remove(&self.dir, oldest.sequence);
            evicted += oldest.entries;
        }
    }

    fn write(&self, state: &mut State, frame: &[u8], entries: u64) -> io::Result<()> {
        let length = frame.len() as u64;
        let full = state
            .segments
            .back()
            .is_some_and(|s| s.bytes > 0 && s.bytes + length > self.segment_bytes);
        if full {
            state.writer = None;
        }
        if state.writer.is_none() {
            let sequence = state.next_sequence;
            state.writer = Some(segment::open_for_append(&self.dir, sequence)?);
            state.next_sequence += 1;
            state.segments.push_back(Segment {
                sequence,
                bytes: 0,
                entries: 0,
                damaged: 0,
            });
        }
        let (Some(writer), Some(last)) = (state.writer.as_mut(), state.segments.back_mut()) else {
            return Err(io::Error::other("no segment open"));
        };
        // Counted before the write: a frame cut short by the error still takes room.
        last.bytes += length;
        writer.write_all(frame)?;
        last.entries += entries;
        Ok(())
    }

    /// Takes the oldest segment out for replay; `None` when there is none, another replay is
    /// under way, or spooling stopped. Appends go to a new segment from now on.
    pub fn take_oldest(&self) -> Option<Replay> {
        let mut state = self.lock();
        if state.failure.is_some() || state.replaying.is_some() {
            return None;
        }
        let oldest = state.segments.front()?;
        let (sequence, counted, damaged) = (oldest.sequence, oldest.entries, oldest.damaged);
        if state.segments.len() == 1 {
            state.writer = None;
        }
        let contents = match read_segment(&self.dir, sequence) {
            Ok(contents) => contents,
            Err(error) => {
                state.failure = Some(format!("spooling stopped: cannot read a segment: {error}"));
                return None;
            }
        };
        state.replaying = Some(sequence);
        let read = entries(&contents.batches);
        Some(Replay {
            sequence,
            lost_entries: counted.saturating_sub(read),
            batches: contents.batches,
            damaged_frames: contents.damaged_frames.saturating_sub(damaged),
        })
    }

    /// Ends a replay: the segment is deleted when everything in it went out, or else rewritten
    /// to hold only `remaining`, in its place at the head of the spool.
    pub fn put_back(&self, sequence: u64, remaining: &[Batch]) -> Result<(), String> {
        let mut state = self.lock();
        state.replaying = None;
        let bytes: Vec<u8> = remaining
            .iter()
            .flat_map(|batch| frame::encode(&record::to_json(batch)))
            .collect();
        let written = if remaining.is_empty() {
            segment::remove(&self.dir, sequence)
        } else {
            segment::rewrite(&self.dir, sequence, &bytes)
        };
        let position = state.segments.iter().position(|s| s.sequence == sequence);
        let Some(index) = position else {
            return written.map_err(|e| e.to_string());
        };
        match written {
            Ok(()) if remaining.is_empty() => {
                state.segments.remove(index);
            }
            Ok(()) => {
                let kept = &mut state.segments[index];
                (kept.bytes, kept.entries, kept.damaged) =
                    (bytes.len() as u64, entries(remaining), 0);
            }
            // The segment is left as it was, to be replayed whole by a later client; this one
            // forgets it, and the caller drops what it could not put back.
            Err(error) => {
                state.segments.remove(index);
                let message = format!("spooling stopped: cannot rewrite a segment: {error}");
                state.failure = Some(message.clone());
                return Err(message);
            }
        }
        Ok(())
    }

    pub fn failure(&self) -> Option<String> {
        self.lock().failure.clone()
    }
}

#[cfg(test)]
mod tests;
