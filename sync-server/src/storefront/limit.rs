//! A token bucket per client address: each client may make `rate` requests a second on
//! average and `burst` at once (a page load asks for several things together). In
//! process and in memory, so one server's limit is per server; enough for one shop's
//! website, and a proxy in front can do more.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Tokens are counted in thousandths so that refills stay in integers.
const MILLI: u64 = 1000;
/// Past this many clients, buckets that are full again are forgotten.
const PRUNE_AT: usize = 10_000;

#[derive(Debug)]
pub struct RateLimit {
    rate: u64,
    burst: u64,
    buckets: Mutex<HashMap<Option<IpAddr>, Bucket>>,
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens_milli: u64,
    at: Instant,
}

impl RateLimit {
    /// `rate` requests a second per client, up to `burst` at once; a rate of 0 turns the
    /// limit off.
    pub fn new(rate: u32, burst: u32) -> RateLimit {
        RateLimit {
            rate: u64::from(rate),
            burst: u64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `client`'s bucket, or says how long until one is free.
    pub fn take(&self, client: Option<IpAddr>, now: Instant) -> Result<(), Duration> {
        if self.rate == 0 {
            return Ok(());
        }
        let full = self.burst * MILLI;
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() >= PRUNE_AT {
            let rate = self.rate;
            buckets.retain(|_, b| refilled(b, rate, full, now) < full);
        }
        let bucket = buckets.entry(client).or_insert(Bucket {
            tokens_milli: full,
            at: now,
        });
        bucket.tokens_milli = refilled(bucket, self.rate, full, now);
        bucket.at = now;
        if bucket.tokens_milli >= MILLI {
            bucket.tokens_milli -= MILLI;
            Ok(())
        } else {
            // `rate` tokens a second is `rate` thousandths a millisecond.
            let missing = MILLI - bucket.tokens_milli;
            Err(Duration::from_millis(missing.div_ceil(self.rate)))
        }
    }
}

fn refilled(bucket: &Bucket, rate: u64, full: u64, now: Instant) -> u64 {
    let elapsed_ms =
        u64::try_from(now.saturating_duration_since(bucket.at).as_millis()).unwrap_or(u64::MAX);
    bucket
        .tokens_milli
        .saturating_add(elapsed_ms.saturating_mul(rate))
        .min(full)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_the_rate() {
        let limit = RateLimit::new(10, 3);
        let client = Some(IpAddr::from([192, 0, 2, 1]));
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limit.take(client, start).is_ok());
        }
        let wait = limit.take(client, start).unwrap_err();
        assert_eq!(wait, Duration::from_millis(100));
        // Another client has its own bucket.
        assert!(limit
            .take(Some(IpAddr::from([192, 0, 2, 2])), start)
            .is_ok());
        assert!(limit
            .take(client, start + Duration::from_millis(99))
            .is_err());
        assert!(limit
            .take(client, start + Duration::from_millis(200))
            .is_ok());
        // Never more than the burst, however long the client waited.
        let later = start + Duration::from_secs(3600);
        for _ in 0..3 {
            assert!(limit.take(client, later).is_ok());
        }
        assert!(limit.take(client, later).is_err());
    }

    #[test]
    fn a_rate_of_zero_is_no_limit() {
        let limit = RateLimit::new(0, 1);
        for _ in 0..1000 {
            assert!(limit.take(None, Instant::now()).is_ok());
        }
    }
}
