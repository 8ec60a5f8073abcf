//! The SDK's own messages: warnings always reach stderr, debug detail only when asked for.
//! Neither ever carries an API key or a payload: callers pass counts, reasons, statuses and
//! URLs, never entry content or credentials.
//!
//! Each kind of event is rate-limited on its own, and lines are written by a background
//! thread through a short bounded queue: a stderr nobody reads (a full pipe) loses lines, it
//! never blocks a worker or a caller. Shutdown waits a bounded moment for the queue to be
//! written, so the lines it reports are not lost to a process exiting right after it.

use std::fmt;
use std::io::Write;
use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// What a line is about; each kind has its own rate limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Event {
    Warning,
    Endpoint,
    Handshake,
    Retry,
    Drop,
    Spool,
    Shutdown,
}

impl Event {
    const COUNT: usize = 7;

    fn name(self) -> &'static str {
        match self {
            Event::Warning => "warning",
            Event::Endpoint => "endpoint",
            Event::Handshake => "handshake",
            Event::Retry => "retry",
            Event::Drop => "drop",
            Event::Spool => "spool",
            Event::Shutdown => "shutdown",
        }
    }
}

/// Lines per second each kind may write, and the burst it may write at once.
const LINES_PER_SECOND: f64 = 5.0;
const BURST: f64 = 10.0;
/// Lines waiting for the writer thread; beyond it they are lost, and counted as suppressed.
const PENDING_LINES: usize = 64;

#[derive(Clone, Copy, Debug)]
pub(crate) struct Diagnostics {
    debug: bool,
}

impl Diagnostics {
    pub fn new(debug: bool) -> Diagnostics {
        Diagnostics { debug }
    }

    /// Whether debug lines are written: callers skip gathering what they would say otherwise.
    pub fn debugging(&self) -> bool {
        self.debug
    }

    pub fn warn(&self, message: fmt::Arguments<'_>) {
        emit(Event::Warning, format_args!("warning: {message}"));
    }

    pub fn debug(&self, event: Event, message: fmt::Arguments<'_>) {
        if self.debug {
            emit(event, message);
        }
    }
}

/// A token bucket: `rate` tokens a second up to `burst`; each line takes one.
#[derive(Debug)]
struct Bucket {
    tokens: f64,
    refilled: Option<Instant>,
    /// Lines refused since the last one written.
    suppressed: u64,
}

impl Bucket {
    const fn new() -> Bucket {
        Bucket {
            tokens: BURST,
            refilled: None,
            suppressed: 0,
        }
    }

    /// Takes a token if one is left at `now`; counts the line as suppressed otherwise.
    fn take(&mut self, now: Instant) -> bool {
        if let Some(refilled) = self.refilled {
            let earned = now.saturating_duration_since(refilled).as_secs_f64() * LINES_PER_SECOND;
            self.tokens = (self.tokens + earned).min(BURST);
        }
        self.refilled = Some(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            self.suppressed += 1;
            false
        }
    }
}

static BUCKETS: [Mutex<Bucket>; Event::COUNT] = [const { Mutex::new(Bucket::new()) }; Event::COUNT];

/// What the writer thread is handed: a line, or a marker it answers once all before it are out.
enum Pending {
    Line(String),
    Written(SyncSender<()>),
}

/// The writer thread's queue, with the process it belongs to: a forked child starts its own.
static WRITER: Mutex<Option<(u32, SyncSender<Pending>)>> = Mutex::new(None);

fn emit(event: Event, message: fmt::Arguments<'_>) {
    let mut bucket = BUCKETS[event as usize]
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if !bucket.take(Instant::now()) {
        return;
    }
    let line = match std::mem::take(&mut bucket.suppressed) {
        0 => format!("ferrolog: {message}\n"),
        n => format!(
            "ferrolog: {message} (suppressed {n} earlier {} lines)\n",
            event.name()
        ),
    };
    if !hand_to_writer(Pending::Line(line), true) {
        bucket.suppressed += 1;
    }
}

/// Waits until every line emitted so far is written, or `within` has passed. Returns at once
/// when this process never emitted a line, or when its queue is full (stderr is not read).
pub(crate) fn written(within: Duration) {
    let (done, answered) = sync_channel(1);
    if hand_to_writer(Pending::Written(done), false) {
        let _ = answered.recv_timeout(within);
    }
}

/// Hands `pending` to this process's writer thread, starting it when `start` allows; false
/// when it was not taken (queue full, no thread).
fn hand_to_writer(pending: Pending, start: bool) -> bool {
    let mut writer = WRITER.lock().unwrap_or_else(PoisonError::into_inner);
    let pid = std::process::id();
    if writer.as_ref().is_none_or(|(owner, _)| *owner != pid) {
        *writer = start
            .then(spawn_writer)
            .flatten()
            .map(|sender| (pid, sender));
    }
    let Some((_, sender)) = writer.as_ref() else {
        return false;
    };
    match sender.try_send(pending) {
        Ok(()) => true,
        Err(TrySendError::Full(_)) => false,
        Err(TrySendError::Disconnected(_)) => {
            *writer = None;
            false
        }
    }
}

fn spawn_writer() -> Option<SyncSender<Pending>> {
    let (sender, receiver) = sync_channel::<Pending>(PENDING_LINES);
    std::thread::Builder::new()
        .name("ferrolog-diagnostics".into())
        .spawn(move || {
            for pending in receiver {
                match pending {
                    // Written to the descriptor, past the test harness's capture, and only
                    // ever from this thread: a blocked stderr stalls nothing else.
                    Pending::Line(line) => {
                        let _ = std::io::stderr().lock().write_all(line.as_bytes());
                    }
                    Pending::Written(done) => {
                        let _ = done.try_send(());
                    }
                }
            }
        })
        .ok()?;
    Some(sender)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_bucket_allows_a_burst_then_its_rate() {
        let mut bucket = Bucket::new();
        let start = Instant::now();
        let burst = (0..100).filter(|_| bucket.take(start)).count();
        assert_eq!(burst, BURST as usize);
        assert_eq!(bucket.suppressed, 100 - BURST as u64);
        let later = start + Duration::from_secs(2);
        let refilled = (0..100).filter(|_| bucket.take(later)).count();
        assert_eq!(refilled, (2.0 * LINES_PER_SECOND) as usize);
    }

    #[test]
    fn a_bucket_never_holds_more_than_its_burst() {
        let mut bucket = Bucket::new();
        let start = Instant::now();
        assert!(bucket.take(start));
        let much_later = start + Duration::from_secs(3600);
        let allowed = (0..100).filter(|_| bucket.take(much_later)).count();
        assert_eq!(allowed, BURST as usize);
    }
}
