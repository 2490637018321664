//! When to try again after a failed sync: doubling waits from one second up to five
//! minutes, each shortened by a random part so that counters cut off together do not
//! all come back in the same instant.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Backoff {
    failures: u32,
    state: u64,
}

const BASE_MS: u64 = 1_000;
const MAX_MS: u64 = 5 * 60 * 1_000;

impl Backoff {
    /// `seed` varies the random part between devices (the device id's bits will do).
    pub fn new(seed: u64) -> Backoff {
        Backoff {
            failures: 0,
            state: seed | 1,
        }
    }

    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Call after a success: the next failure starts from the shortest wait again.
    pub fn reset(&mut self) {
        self.failures = 0;
    }

    /// Call after a transient failure; returns how long to wait before the next try.
    pub fn next_delay(&mut self) -> Duration {
        let ceiling = BASE_MS
            .saturating_mul(1_u64 << self.failures.min(20))
            .min(MAX_MS);
        self.failures = self.failures.saturating_add(1);
        // xorshift64: plenty for spreading retries, and no dependency.
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        let spread = ceiling / 2;
        Duration::from_millis(ceiling - spread + self.state % (spread + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_within_bounds_and_reset() {
        let mut backoff = Backoff::new(42);
        let mut previous_ceiling = 0;
        for failure in 0..30_u32 {
            let ceiling = (BASE_MS << failure.min(20)).min(MAX_MS);
            let delay = backoff.next_delay().as_millis();
            assert!(delay >= u128::from(ceiling / 2), "{failure}: {delay}");
            assert!(delay <= u128::from(ceiling), "{failure}: {delay}");
            assert!(ceiling >= previous_ceiling);
            previous_ceiling = ceiling;
        }
        assert_eq!(backoff.failures(), 30);
        backoff.reset();
        assert!(backoff.next_delay().as_millis() <= u128::from(BASE_MS));
    }

    #[test]
    fn devices_spread_out() {
        let a: Vec<_> = (0..5)
            .map(|_| Backoff::new(1))
            .map(|mut b| b.next_delay())
            .collect();
        let mut x = Backoff::new(1);
        let mut y = Backoff::new(2);
        let mut differ = false;
        for _ in 0..8 {
            differ |= x.next_delay() != y.next_delay();
        }
        assert!(differ);
        assert!(a.windows(2).all(|w| w[0] == w[1]), "same seed, same waits");
    }
}
