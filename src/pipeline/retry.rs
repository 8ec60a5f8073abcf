//! The retry schedule: exponential backoff with jitter, capped.

use std::time::Duration;

/// No single wait exceeds this, however many retries came before.
const MAX_DELAY: Duration = Duration::from_secs(30);

#[derive(Clone, Copy, Debug)]
pub(crate) struct RetryPolicy {
    pub max_retries: u32,
    pub base: Duration,
}

impl RetryPolicy {
    /// The wait before retry `k` (0 for the first retry): `min(base·2^k, 30 s)·(1 + U[0, 0.25))`.
    /// The jitter only lengthens, so the schedule's minimum spacing holds, and spreads clients
    /// that failed together.
    pub fn delay(&self, k: u32) -> Duration {
        let exponential = self.base.saturating_mul(1u32 << k.min(20)).min(MAX_DELAY);
        exponential.mul_f64(1.0 + fastrand::f64() * 0.25)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_with_bounded_jitter_and_a_cap() {
        let policy = RetryPolicy {
            max_retries: 3,
            base: Duration::from_secs(1),
        };
        for _ in 0..200 {
            for (k, base) in [(0, 1.0), (1, 2.0), (2, 4.0), (10, 30.0), (40, 30.0)] {
                let d = policy.delay(k).as_secs_f64();
                assert!(d >= base && d < base * 1.25, "k={k} d={d}");
            }
        }
    }
}
