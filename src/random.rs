//! Randomness for ids and sampling: one fast generator per thread, seeded from the OS.
//!
//! Ids and sampling decisions are made on the caller's thread, so a syscall or a lock per draw
//! would sit on the hot path. Each thread instead reads the OS entropy source once, then runs
//! `fastrand`'s generator. The generator lives in a thread-local without a destructor, so a
//! host thread that never exits properly (a C `main`) leaks nothing. A forked child inherits
//! its parent's generator state and would repeat the parent's ids: [`reseed_after_fork`]
//! gives the (single) thread of the child fresh OS entropy. Not for keys or nonces.

use std::cell::RefCell;

thread_local! {
    static GENERATOR: RefCell<fastrand::Rng> = RefCell::new(fastrand::Rng::with_seed(os_seed()));
}

/// A seed from the OS; should the OS refuse, `fastrand`'s own seed (hashed from std's
/// per-process random keys, the thread and the clock) is the fallback, never a constant.
fn os_seed() -> u64 {
    let mut bytes = [0u8; 8];
    match getrandom::getrandom(&mut bytes) {
        Ok(()) => u64::from_le_bytes(bytes),
        Err(_) => fastrand::Rng::new().u64(..),
    }
}

/// Fills `bytes` with random bytes that are not all zero (no id may be all zero).
pub(crate) fn fill_nonzero(bytes: &mut [u8]) {
    GENERATOR.with(|generator| {
        let mut generator = generator.borrow_mut();
        loop {
            generator.fill(bytes);
            if bytes.iter().any(|&b| b != 0) {
                return;
            }
        }
    });
}

/// A uniform `u32`.
pub(crate) fn u32() -> u32 {
    GENERATOR.with(|generator| generator.borrow_mut().u32(..))
}

/// Reseeds the calling thread's generator from the OS. Call it in a forked child (the only
/// thread a child has), before it makes any id, so parent and child never share ids.
pub fn reseed_after_fork() {
    GENERATOR.with(|generator| generator.borrow_mut().seed(os_seed()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draw() -> [u8; 16] {
        let mut bytes = [0u8; 16];
        fill_nonzero(&mut bytes);
        bytes
    }

    fn set_state(seed: u64) {
        GENERATOR.with(|generator| generator.borrow_mut().seed(seed));
    }

    #[test]
    fn a_reseed_leaves_the_inherited_sequence() {
        // A fork copies the generator's state, and the same state repeats the same ids.
        set_state(7);
        let parent = draw();
        set_state(7);
        assert_eq!(draw(), parent);
        set_state(7);
        reseed_after_fork();
        assert_ne!(draw(), parent);
    }
}
