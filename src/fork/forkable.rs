//! A value that a forked child replaces with a fresh one instead of using its parent's.

use std::io;
use std::sync::atomic::{AtomicPtr, AtomicU32, AtomicU64, Ordering};

use super::{child, generation, renewing, set_aside};

type Renew<T> = Box<dyn Fn() -> io::Result<T> + Send + Sync>;

/// Holds a value made in this process and the means to make another.
///
/// A parent's value is never dropped in a child: its threads are gone, and its locks may be
/// held by them forever. It is set aside for the rest of the process instead, which is also
/// what keeps every `&T` handed out valid for as long as the `Forkable` lives.
pub(crate) struct Forkable<T> {
    current: AtomicPtr<T>,
    /// The fork generation `current` was made in.
    made_in: AtomicU64,
    /// The process `current` was made in, for forks that ran no handlers.
    made_by: AtomicU32,
    renew: Renew<T>,
}

impl<T> Forkable<T> {
    pub fn new(value: T, renew: impl Fn() -> io::Result<T> + Send + Sync + 'static) -> Self {
        super::install_handlers();
        Forkable {
            current: AtomicPtr::new(Box::into_raw(Box::new(value))),
            made_in: AtomicU64::new(generation()),
            made_by: AtomicU32::new(std::process::id()),
            renew: Box::new(renew),
        }
    }

    /// This process's value, made afresh on the first call after a fork: two atomic loads
    /// otherwise, cheap enough for the hot path.
    #[inline]
    pub fn get(&self) -> &T {
        if self.made_in.load(Ordering::Acquire) != generation() {
            self.renew_for(generation());
        }
        self.value()
    }

    /// Like [`get`](Self::get), and also notices a fork that ran no handlers (a raw `clone`,
    /// a `vfork` child that did not exec) by its process id: a system call, so only for
    /// calls that wait anyway (flush, shutdown, stats).
    pub fn get_checked(&self) -> &T {
        if self.made_in.load(Ordering::Acquire) == generation()
            && self.made_by.load(Ordering::Relaxed) != std::process::id()
        {
            child();
        }
        self.get()
    }

    /// The value, only if this process made it: what a shutdown of the process's own work
    /// may touch without starting anything new.
    pub fn owned(&self) -> Option<&T> {
        let mine = self.made_in.load(Ordering::Acquire) == generation()
            && self.made_by.load(Ordering::Relaxed) == std::process::id();
        mine.then(|| self.value())
    }

    fn value(&self) -> &T {
        // Never null, and never freed before `self` (see the type's comment).
        unsafe { &*self.current.load(Ordering::Acquire) }
    }

    #[cold]
    fn renew_for(&self, wanted: u64) {
        renewing(|| {
            if self.made_in.load(Ordering::Acquire) == wanted {
                return; // another thread renewed it while this one waited
            }
            // Should the child be unable to start anything, the parent's value stays in
            // place (its queue fills and counts drops) and the next call tries again.
            if let Ok(fresh) = (self.renew)() {
                let parents = self
                    .current
                    .swap(Box::into_raw(Box::new(fresh)), Ordering::AcqRel);
                set_aside(parents);
                self.made_by.store(std::process::id(), Ordering::Relaxed);
                self.made_in.store(wanted, Ordering::Release);
            }
        });
    }
}

impl<T> Drop for Forkable<T> {
    fn drop(&mut self) {
        if self.owned().is_some() {
            drop(unsafe { Box::from_raw(*self.current.get_mut()) });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::sync::Arc;

    /// Runs `check` in a forked child and says whether it held there within a few seconds
    /// (a child stuck spinning is killed by its alarm). The child's fork handlers bump its
    /// generation; the test process's own stays as it was.
    fn holds_in_child(check: impl FnOnce() -> bool) -> bool {
        match unsafe { libc::fork() } {
            0 => {
                unsafe { libc::alarm(10) };
                let held = std::panic::catch_unwind(std::panic::AssertUnwindSafe(check));
                unsafe { libc::_exit(if matches!(held, Ok(true)) { 0 } else { 1 }) }
            }
            -1 => panic!("fork failed: {}", io::Error::last_os_error()),
            pid => {
                let mut status = 0;
                assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
                libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0
            }
        }
    }

    fn counting(first: usize) -> (Forkable<usize>, Arc<AtomicUsize>) {
        let made = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&made);
        let forkable = Forkable::new(first, move || {
            Ok(100 + counter.fetch_add(1, Ordering::SeqCst))
        });
        (forkable, made)
    }

    #[test]
    fn a_child_renews_once_and_the_parent_never() {
        let (forkable, made) = counting(7);
        assert!(holds_in_child(|| {
            forkable.owned().is_none()
                && *forkable.get() == 100
                && *forkable.get() == 100
                && made.load(Ordering::SeqCst) == 1
                && forkable.owned() == Some(&100)
        }));
        assert_eq!(*forkable.get_checked(), 7);
        assert_eq!(made.load(Ordering::SeqCst), 0);
        assert_eq!(forkable.owned(), Some(&7));
    }

    #[test]
    fn a_failed_renewal_keeps_the_old_value_and_tries_again() {
        let attempts = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&attempts);
        let forkable = Forkable::new(7, move || {
            counter.fetch_add(1, Ordering::SeqCst);
            Err(io::Error::other("no threads"))
        });
        assert!(holds_in_child(|| {
            *forkable.get() == 7
                && *forkable.get() == 7
                && attempts.load(Ordering::SeqCst) == 2
                && forkable.owned().is_none()
        }));
    }

    #[test]
    fn nested_hooks_hold_renewals_off_until_the_child() {
        use super::super::{parent, prepare, GATE, RENEWING};
        // Python's fork hooks and the library's own both run around one fork.
        assert!(holds_in_child(|| {
            let before = generation();
            prepare();
            prepare();
            let held_twice = GATE.load(Ordering::Acquire) == 2;
            parent();
            let held_once = GATE.load(Ordering::Acquire) == 1;
            child();
            let open = GATE.load(Ordering::Acquire) == 0;
            child();
            parent();
            held_twice
                && held_once
                && open
                && GATE.load(Ordering::Acquire) & RENEWING == 0
                && GATE.load(Ordering::Acquire) == 0
                && generation() == before + 2
        }));
    }

    #[test]
    fn forks_from_many_threads_leave_every_child_able_to_renew() {
        let (forkable, _) = counting(7);
        std::thread::scope(|threads| {
            for _ in 0..4 {
                threads.spawn(|| {
                    for _ in 0..5 {
                        assert!(holds_in_child(|| *forkable.get() == 100));
                    }
                });
            }
        });
        assert_eq!(*forkable.get(), 7);
    }
}
