//! Hybrid logical clock (SYNC.md rule 5). Orders catalog edits across devices whose
//! wall clocks disagree: a stamp is (wall milliseconds, logical counter, device id), and a
//! device never issues a stamp lower than one it has issued or seen, so an edit made
//! after seeing another always wins over it, however wrong the local clock is.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HlcStamp {
    wall_ms: u64,
    logical: u32,
    /// Tie-break between devices that stamped the same instant.
    device: Uuid,
}

impl HlcStamp {
    pub fn wall_ms(&self) -> u64 {
        self.wall_ms
    }

    pub fn logical(&self) -> u32 {
        self.logical
    }

    pub fn device(&self) -> Uuid {
        self.device
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HlcError {
    #[error("a clock stamp from another device is {ahead_ms} ms ahead of this one, more than the {max_ms} ms allowed; check the date and time of both devices")]
    TooFarAhead { ahead_ms: u64, max_ms: u64 },
    #[error("\"{0}\" is not a clock stamp")]
    Malformed(String),
    #[error("the logical clock overflowed")]
    Overflow,
}

/// The clock of one device. Time comes in as an argument so decisions stay testable.
#[derive(Debug, Clone)]
pub struct HybridClock {
    device: Uuid,
    last: Option<HlcStamp>,
    max_ahead_ms: u64,
}

impl HybridClock {
    /// A remote stamp more than this far in the future is refused rather than let it
    /// drag every later local edit into the future with it.
    pub const DEFAULT_MAX_AHEAD_MS: u64 = 24 * 60 * 60 * 1000;

    pub fn new(device: Uuid, last: Option<HlcStamp>) -> HybridClock {
        HybridClock {
            device,
            last,
            max_ahead_ms: Self::DEFAULT_MAX_AHEAD_MS,
        }
    }

    pub fn last(&self) -> Option<HlcStamp> {
        self.last
    }

    /// A stamp for a local event happening at `now_ms`.
    pub fn tick(&mut self, now_ms: u64) -> Result<HlcStamp, HlcError> {
        let stamp = match self.last {
            Some(last) if last.wall_ms >= now_ms => HlcStamp {
                wall_ms: last.wall_ms,
                logical: last.logical.checked_add(1).ok_or(HlcError::Overflow)?,
                device: self.device,
            },
            _ => HlcStamp {
                wall_ms: now_ms,
                logical: 0,
                device: self.device,
            },
        };
        self.last = Some(stamp);
        Ok(stamp)
    }

    /// Takes in a stamp seen from another device so later local stamps order after it.
    pub fn observe(&mut self, remote: HlcStamp, now_ms: u64) -> Result<HlcStamp, HlcError> {
        let ahead_ms = remote.wall_ms.saturating_sub(now_ms);
        if ahead_ms > self.max_ahead_ms {
            return Err(HlcError::TooFarAhead {
                ahead_ms,
                max_ms: self.max_ahead_ms,
            });
        }
        let last = self.last.unwrap_or(HlcStamp {
            wall_ms: 0,
            logical: 0,
            device: self.device,
        });
        let wall_ms = now_ms.max(last.wall_ms).max(remote.wall_ms);
        let logical = if wall_ms == last.wall_ms && wall_ms == remote.wall_ms {
            last.logical.max(remote.logical).checked_add(1)
        } else if wall_ms == last.wall_ms {
            last.logical.checked_add(1)
        } else if wall_ms == remote.wall_ms {
            remote.logical.checked_add(1)
        } else {
            Some(0)
        }
        .ok_or(HlcError::Overflow)?;
        let stamp = HlcStamp {
            wall_ms,
            logical,
            device: self.device,
        };
        self.last = Some(stamp);
        Ok(stamp)
    }
}

/// Fixed-width text that sorts the same way the stamps do, so SQLite and Postgres can
/// compare stamps as plain strings.
impl fmt::Display for HlcStamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:015}-{:010}-{}",
            self.wall_ms,
            self.logical,
            self.device.as_simple()
        )
    }
}

impl FromStr for HlcStamp {
    type Err = HlcError;

    fn from_str(text: &str) -> Result<HlcStamp, HlcError> {
        let malformed = || HlcError::Malformed(text.chars().take(80).collect());
        let mut parts = text.splitn(3, '-');
        let (Some(wall), Some(logical), Some(device)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed());
        };
        if wall.len() != 15 || logical.len() != 10 || device.len() != 32 {
            return Err(malformed());
        }
        Ok(HlcStamp {
            wall_ms: wall.parse().map_err(|_| malformed())?,
            logical: logical.parse().map_err(|_| malformed())?,
            device: Uuid::try_parse(device).map_err(|_| malformed())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn device(n: u8) -> Uuid {
        Uuid::from_bytes([n; 16])
    }

    #[test]
    fn a_slow_clock_still_moves_forward() {
        let mut clock = HybridClock::new(device(1), None);
        let a = clock.tick(1_000).expect("tick");
        let b = clock.tick(900).expect("tick");
        assert!(b > a, "a stamp after a clock step back must still be later");
        assert_eq!(b.wall_ms(), 1_000);
        assert_eq!(b.logical(), 1);
    }

    #[test]
    fn an_edit_made_after_seeing_another_wins_despite_skew() {
        // Device 2's wall clock is three hours behind device 1's.
        let mut fast = HybridClock::new(device(1), None);
        let mut slow = HybridClock::new(device(2), None);
        let three_hours = 3 * 60 * 60 * 1000;
        let first = fast.tick(10 * three_hours).expect("tick");
        slow.observe(first, 9 * three_hours).expect("observe");
        let second = slow.tick(9 * three_hours + 5).expect("tick");
        assert!(
            second > first,
            "the later edit must order after the one it saw"
        );
    }

    #[test]
    fn refuses_stamps_from_far_in_the_future() {
        let mut clock = HybridClock::new(device(1), None);
        let mut future = HybridClock::new(device(2), None);
        let stamp = future
            .tick(HybridClock::DEFAULT_MAX_AHEAD_MS * 3)
            .expect("tick");
        assert!(matches!(
            clock.observe(stamp, 0),
            Err(HlcError::TooFarAhead { .. })
        ));
        assert_eq!(
            clock.last(),
            None,
            "a refused stamp must not move the clock"
        );
    }

    #[test]
    fn text_form_round_trips_and_rejects_garbage() {
        let mut clock = HybridClock::new(device(7), None);
        let stamp = clock.tick(1_732_000_000_000).expect("tick");
        assert_eq!(stamp.to_string().parse::<HlcStamp>(), Ok(stamp));
        for bad in ["", "x", "1-2-3", "000000000000001-0000000000-zz"] {
            assert!(bad.parse::<HlcStamp>().is_err(), "{bad:?} must not parse");
        }
    }

    proptest! {
        #[test]
        fn stamps_are_strictly_increasing(times in proptest::collection::vec(0u64..1_000_000, 1..50)) {
            let mut clock = HybridClock::new(device(3), None);
            let mut previous: Option<HlcStamp> = None;
            for now in times {
                let stamp = clock.tick(now).expect("tick");
                if let Some(p) = previous {
                    prop_assert!(stamp > p);
                    prop_assert!(stamp.to_string() > p.to_string(), "text order must match");
                }
                previous = Some(stamp);
            }
        }
    }
}
