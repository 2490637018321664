//! Content-addressed blobs (product pictures): named by the SHA-256 of their bytes, in
//! 64 lower-case hex digits, the same name a `product_image` record carries.

use sha2::{Digest, Sha256};

/// The largest blob the server keeps: the largest picture a terminal accepts.
pub const MAX_BLOB_BYTES: usize = 20 * 1024 * 1024;

/// The name of `bytes`: their SHA-256 in lower-case hex.
pub fn blob_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `text` can name a blob (64 lower-case hex digits).
pub fn is_blob_hash(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The blob a `product_image` entry's key (`<product id>/<hash>`) names, if it does.
pub fn blob_of_image_key(key: &str) -> Option<&str> {
    key.split_once('/')
        .map(|(_, hash)| hash)
        .filter(|hash| is_blob_hash(hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blobs_are_named_by_their_sha256() {
        // sha256("abc"), from FIPS 180-2.
        assert_eq!(
            blob_hash(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(is_blob_hash(&blob_hash(b"")));
        for bad in [
            "",
            "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
            "../etc/passwd",
            &"a".repeat(63),
            &"g".repeat(64),
        ] {
            assert!(!is_blob_hash(bad), "{bad}");
        }
        let hash = blob_hash(b"abc");
        assert_eq!(
            blob_of_image_key(&format!("0190a0a0-0000-7000-8000-000000000001/{hash}")),
            Some(hash.as_str())
        );
        assert_eq!(blob_of_image_key("0190a0a0/xyz"), None);
        assert_eq!(blob_of_image_key(&hash), None);
    }
}
