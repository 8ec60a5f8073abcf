//! Fork safety (DESIGN.md §2): a forked child has only the thread that called `fork`, so the
//! parent's workers, their queue and every lock they held are gone or frozen in it. The child
//! must never touch them; its first call builds a fresh pipeline instead.
//!
//! A process-wide fork generation, bumped in each child, tells every [`Forkable`] that its
//! value belongs to a parent. The library registers `pthread_atfork` handlers the first time a
//! client starts, so C hosts need do nothing; runtimes that run their own fork handlers
//! (Python's `os.register_at_fork`) may call [`prepare`], [`parent`] and [`child`] as well:
//! the calls nest, so both paths together are safe.

mod forkable;

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Mutex, Once, PoisonError};

pub(crate) use forkable::Forkable;

/// Bumped in every child; a value made under another generation belongs to a parent.
static GENERATION: AtomicU64 = AtomicU64::new(0);

/// Keeps forks and renewals apart, so a child never sees half a renewal: the low bits count
/// forks under way (any number of threads may fork at once), the high bit marks a renewal
/// (one at a time, and never during a fork). A spin lock rather than a mutex: `prepare` holds
/// it across `fork`, and in the child, the only thread left, [`child`] releases it outright.
static GATE: AtomicU32 = AtomicU32::new(0);
const RENEWING: u32 = 1 << 31;

/// The addresses of the parents' values a child has set aside: kept, so the memory stays
/// reachable (a leak checker sees it as held, which it is: for good, on purpose).
static PARENTS_VALUES: Mutex<Vec<usize>> = Mutex::new(Vec::new());

pub(crate) fn generation() -> u64 {
    GENERATION.load(Ordering::Acquire)
}

/// Registers the `pthread_atfork` handlers, once per process.
pub(crate) fn install_handlers() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        extern "C" fn on_prepare() {
            prepare();
        }
        extern "C" fn on_parent() {
            parent();
        }
        extern "C" fn on_child() {
            child();
        }
        // A refusal (ENOMEM) leaves the explicit hooks and the pid check on cold calls.
        unsafe { libc::pthread_atfork(Some(on_prepare), Some(on_parent), Some(on_child)) };
    });
}

/// Before a fork: waits for any renewal in progress to finish and holds renewals off until
/// the fork is over.
pub fn prepare() {
    acquire(|gate| (gate & RENEWING == 0).then_some(gate + 1));
}

/// After a fork, in the parent: one fork fewer under way; nothing else of the parent changes.
pub fn parent() {
    let _ = GATE.fetch_update(Ordering::AcqRel, Ordering::Acquire, |gate| {
        (gate & !RENEWING)
            .checked_sub(1)
            .map(|forks| forks | (gate & RENEWING))
    });
}

/// After a fork, in the child: every value made before it is the parent's from now on, and the
/// calling thread's id generator leaves the sequence it shares with the parent. The forks and
/// renewals the gate counted were other threads', which the child does not have.
pub fn child() {
    GENERATION.fetch_add(1, Ordering::AcqRel);
    crate::random::reseed_after_fork();
    GATE.store(0, Ordering::Release);
}

/// Spins until `next` allows a change of the gate, and makes it.
fn acquire(next: impl Fn(u32) -> Option<u32>) {
    while GATE
        .fetch_update(Ordering::Acquire, Ordering::Relaxed, &next)
        .is_err()
    {
        std::thread::yield_now();
    }
}

/// Keeps a parent's value for the rest of the process, never to be dropped. Called during
/// a renewal, so a fork never finds the list's lock held.
fn set_aside<T>(value: *mut T) {
    PARENTS_VALUES
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(value as usize);
}

/// Runs `renew` with renewals held off from every other thread and from a fork.
fn renewing<T>(renew: impl FnOnce() -> T) -> T {
    struct Release;
    impl Drop for Release {
        fn drop(&mut self) {
            GATE.fetch_and(!RENEWING, Ordering::Release);
        }
    }
    acquire(|gate| (gate == 0).then_some(RENEWING));
    let _release = Release;
    renew()
}
