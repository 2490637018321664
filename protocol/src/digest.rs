//! Digests both sides compute over what they hold, so a terminal can tell whether it
//! agrees with the server scope by scope (SYNC.md rule 8).
//!
//! A record's digest covers its entity, key and the stamp of every field: two copies
//! with the same stamps hold the same values, because a stamp names exactly one write.
//! A document's covers its entity and key: documents never change. A scope's digest is
//! the XOR of its rows' digests (order-free, so neither side sorts) with their count.

use sha2::{Digest, Sha256};

use crate::ScopeDigest;

const UNIT: u8 = 0x1f;
const RECORD: u8 = 0x1e;

fn fold(hasher: Sha256) -> i64 {
    let hash = hasher.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash[..8]);
    i64::from_be_bytes(first)
}

fn start(entity: &str, key: &str) -> Sha256 {
    let mut hasher = Sha256::new();
    hasher.update(entity.as_bytes());
    hasher.update([UNIT]);
    hasher.update(key.as_bytes());
    hasher
}

/// The digest of a record from its (field, stamp) pairs, in any order.
pub fn record_digest<'a>(
    entity: &str,
    key: &str,
    clocks: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> i64 {
    let mut clocks: Vec<(&str, &str)> = clocks.into_iter().collect();
    clocks.sort_unstable();
    let mut hasher = start(entity, key);
    for (field, stamp) in clocks {
        hasher.update([RECORD]);
        hasher.update(field.as_bytes());
        hasher.update([UNIT]);
        hasher.update(stamp.as_bytes());
    }
    fold(hasher)
}

pub fn document_digest(entity: &str, key: &str) -> i64 {
    fold(start(entity, key))
}

/// A running count and XOR of row digests for one scope.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScopeSum {
    pub count: u64,
    pub xor: i64,
}

impl ScopeSum {
    pub fn add(&mut self, digest: i64) {
        self.count += 1;
        self.xor ^= digest;
    }

    pub fn to_wire(self, scope: &str) -> ScopeDigest {
        ScopeDigest {
            scope: scope.to_owned(),
            count: self.count,
            digest: format!("{:016x}", self.xor),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_order_does_not_matter_but_every_stamp_does() {
        let a = record_digest("product", "k", [("name", "s1"), ("status", "s2")]);
        let b = record_digest("product", "k", [("status", "s2"), ("name", "s1")]);
        assert_eq!(a, b);
        assert_ne!(
            a,
            record_digest("product", "k", [("name", "s1"), ("status", "s3")])
        );
        assert_ne!(
            a,
            record_digest("variant", "k", [("name", "s1"), ("status", "s2")])
        );
        assert_ne!(document_digest("sale", "a"), document_digest("sale", "b"));
    }

    #[test]
    fn a_scope_sum_is_order_free() {
        let mut one = ScopeSum::default();
        let mut two = ScopeSum::default();
        for d in [1_i64, -7, 99] {
            one.add(d);
        }
        for d in [99_i64, 1, -7] {
            two.add(d);
        }
        assert_eq!(one, two);
        assert_eq!(one.to_wire("stock").count, 3);
        assert_eq!(one.to_wire("stock").digest.len(), 16);
    }

    /// Pinned to figures computed independently (Python's hashlib, following
    /// docs/sync-protocol.md), so a change to the digest, which would make terminals and
    /// servers of different versions disagree, cannot go unnoticed.
    #[test]
    fn the_digest_matches_the_written_definition() {
        assert_eq!(
            format!(
                "{:016x}",
                record_digest("product", "p1", [("status", "b"), ("name", "a")])
            ),
            "17fd95bf356d6a24"
        );
        assert_eq!(
            format!("{:016x}", document_digest("sale", "x")),
            "0fcac34b8f2092c5"
        );
    }
}
