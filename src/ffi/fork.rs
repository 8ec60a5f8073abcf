//! Fork hooks, for runtimes that run their own handlers around `fork` (Python's
//! `os.register_at_fork`). The library registers the same handlers with `pthread_atfork` when
//! its first client starts, so C hosts need not call these; calling both is safe.

use super::boundary;
use crate::fork;

/// Call right before `fork()`: holds off the library's internal renewals until the fork is
/// over. Every call must be answered by one call of ferrolog_fork_parent or ferrolog_fork_child.
#[no_mangle]
pub extern "C" fn ferrolog_fork_prepare() {
    boundary!((), { fork::prepare() })
}

/// Call in the parent right after `fork()` returns.
#[no_mangle]
pub extern "C" fn ferrolog_fork_parent() {
    boundary!((), { fork::parent() })
}

/// Call in the child right after `fork()` returns, before any other ferrolog call: every
/// client's next call there starts fresh workers and leaves the parent's entries to the parent.
#[no_mangle]
pub extern "C" fn ferrolog_fork_child() {
    boundary!((), { fork::child() })
}
