//! Where GCM nonces come from: a ChaCha20 CSPRNG in user space, seeded from the operating
//! system, so that a nonce costs a few nanoseconds instead of a `getrandom` system call.
//!
//! Why this is as good as the OS for nonces: spec §8 needs nonces that never repeat under one
//! key and that nobody can predict. ChaCha20 keyed with 256 OS-random bits is a CSPRNG: its
//! output cannot be told from random without the seed, so 96-bit nonces drawn from it collide
//! with the same negligible odds as the OS's own bytes (under 2^-32 after 2^32 entries). The
//! seed is refreshed every [`RESEED_EVERY`] nonces, and at once in a forked child: the pid
//! is checked before every nonce, so a child can never replay the stream its parent goes on
//! to use under the same session key (a `pthread_atfork` hook would miss a raw `clone`).

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

use super::random_bytes;

/// Nonces drawn before fresh OS entropy replaces the seed: defence in depth, not a limit of
/// ChaCha20. One `getrandom` per 65,536 entries costs nothing measurable.
const RESEED_EVERY: u32 = 1 << 16;

pub(crate) struct NonceSource {
    rng: ChaCha20Rng,
    pid: u32,
    left: u32,
}

impl NonceSource {
    pub fn new() -> NonceSource {
        NonceSource {
            rng: ChaCha20Rng::from_seed(random_bytes()),
            pid: std::process::id(),
            left: RESEED_EVERY,
        }
    }

    pub fn next<const N: usize>(&mut self) -> [u8; N] {
        if self.left == 0 || self.pid != std::process::id() {
            *self = NonceSource::new();
        }
        self.left -= 1;
        let mut bytes = [0; N];
        self.rng.fill_bytes(&mut bytes);
        bytes
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn nonces_do_not_repeat_across_a_reseed_or_across_sources() {
        let mut first = NonceSource::new();
        let mut second = NonceSource::new();
        let count = RESEED_EVERY as usize + 1000;
        let seen: HashSet<[u8; 12]> = (0..count)
            .map(|_| first.next())
            .chain((0..1000).map(|_| second.next()))
            .collect();
        assert_eq!(seen.len(), count + 1000);
        assert_eq!(first.left, RESEED_EVERY - 1000, "it was reseeded once");
    }

    #[test]
    fn a_changed_pid_reseeds_before_the_next_nonce() {
        let mut source = NonceSource::new();
        let mut twin = ChaCha20Rng::from_seed(source.rng.get_seed());
        // As a forked child sees it: the parent's state, another pid.
        source.pid = source.pid.wrapping_add(1);
        let mut replayed = [0; 12];
        twin.fill_bytes(&mut replayed);
        assert_ne!(source.next::<12>(), replayed);
        assert_eq!(source.pid, std::process::id());
    }
}
