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

use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Mutex, Once, PoisonError};

pub(crate) use forkable::Forkable;

/// Bumped in every child; a value made under another generation belongs to a parent.
static GENERATION: AtomicU64 = AtomicU64::new(0);
/// How many `prepare` calls are not yet answered by `parent` or `child`.
static PREPARED: AtomicU32 = AtomicU32::new(0);
/// Held while a value is renewed, and across a fork, so a child never sees half a renewal.
static RENEWING: AtomicBool = AtomicBool::new(false);

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
    if PREPARED.fetch_add(1, Ordering::AcqRel) == 0 {
        lock_renewals();
    }
}

/// After a fork, in the parent: nothing of the parent's changes.
pub fn parent() {
    release_prepared();
}

/// After a fork, in the child: every value made before it is the parent's from now on, and the
/// calling thread's id generator leaves the sequence it shares with the parent.
pub fn child() {
    GENERATION.fetch_add(1, Ordering::AcqRel);
    crate::random::reseed_after_fork();
    release_prepared();
}

fn release_prepared() {
    let answered = PREPARED.fetch_update(Ordering::AcqRel, Ordering::Acquire, |prepared| {
        prepared.checked_sub(1)
    });
    if answered == Ok(1) {
        unlock_renewals();
    }
}

/// A spin lock rather than a mutex: `prepare` holds it across `fork` and `child` releases it
/// in the child, which a mutex guard cannot do; it is only contended around a fork.
fn lock_renewals() {
    while RENEWING
        .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
        .is_err()
    {
        std::thread::yield_now();
    }
}

fn unlock_renewals() {
    RENEWING.store(false, Ordering::Release);
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
    struct Unlock;
    impl Drop for Unlock {
        fn drop(&mut self) {
            unlock_renewals();
        }
    }
    lock_renewals();
    let _unlock = Unlock;
    renew()
}
