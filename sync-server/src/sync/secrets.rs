//! Device tokens, pairing codes and owner passwords: how they are made, and the only
//! forms the server keeps of them (a SHA-256, an argon2id PHC string).

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

/// Tokens are versioned so a later scheme can be told apart in logs and by clients.
pub const TOKEN_PREFIX: &str = "gd1_";

/// No 0/O, 1/I/L: a person reads the code off one screen and types it on another.
pub const CODE_ALPHABET: &[u8; 31] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const CODE_LEN: usize = 12;

/// Owner passwords: long enough that the argon2 hash is not the only defence.
pub const MIN_PASSWORD_CHARS: usize = 10;

pub fn sha256(text: &str) -> Vec<u8> {
    Sha256::digest(text.as_bytes()).to_vec()
}

/// A new device credential: 256 random bits.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    format!("{TOKEN_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// A new pairing code, normalised (12 characters, no hyphens): about 59 bits.
pub fn new_code() -> String {
    let mut code = String::with_capacity(CODE_LEN);
    let mut buffer = [0u8; 32];
    while code.len() < CODE_LEN {
        OsRng.fill_bytes(&mut buffer);
        // Rejection sampling: 248 = 8 × 31, so every letter is equally likely.
        for byte in buffer.iter().filter(|b| **b < 248) {
            if code.len() == CODE_LEN {
                break;
            }
            code.push(char::from(CODE_ALPHABET[usize::from(*byte % 31)]));
        }
    }
    code
}

/// `K7QMX2PA9RTD` shown as `K7QM-X2PA-9RTD`.
pub fn show_code(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// What a person typed, in the form that is hashed: case and hyphens (and stray
/// spaces) ignored. `None` when it cannot be a code at all.
pub fn normalise_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

#[derive(Debug, thiserror::Error)]
#[error("cannot hash the password ({0})")]
pub struct HashError(String);

/// argon2id with the crate's defaults (19 MiB, t=2, p=1), as core uses for PINs.
pub fn hash_password(password: &str) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|err| HashError(err.to_string()))
}

/// A hash that no password matches, checked when an e-mail is unknown so that a wrong
/// e-mail takes as long to refuse as a wrong password.
const DECOY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$yV6m4xtsuOmDoQoA5v6E3bjmhxrZdIDBy+WmZfq8P5U";

/// Whether `password` matches the PHC string `hash` (`None`: no account, check the decoy).
pub fn verify_password(password: &str, hash: Option<&str>) -> bool {
    let matches = |phc: &str| {
        PasswordHash::new(phc)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    };
    match hash {
        Some(hash) => matches(hash),
        None => {
            let _ = matches(DECOY_HASH);
            false
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_the_alphabet_and_survive_how_people_type_them() {
        for _ in 0..50 {
            let code = new_code();
            assert_eq!(code.len(), CODE_LEN);
            let shown = show_code(&code);
            assert_eq!(shown.len(), 14);
            assert_eq!(normalise_code(&shown).as_deref(), Some(code.as_str()));
            assert_eq!(
                normalise_code(&shown.to_lowercase()).as_deref(),
                Some(code.as_str())
            );
        }
        assert_eq!(
            normalise_code("k7qm x2pa-9rtd").as_deref(),
            Some("K7QMX2PA9RTD")
        );
        assert_eq!(normalise_code("K7QM-X2PA-9RT"), None);
        assert_eq!(normalise_code("K7QM-X2PA-9RT0"), None);
        assert_eq!(normalise_code(""), None);
    }

    #[test]
    fn tokens_are_long_and_distinct() {
        let a = new_token();
        assert!(a.starts_with(TOKEN_PREFIX));
        assert_eq!(a.len(), TOKEN_PREFIX.len() + 43);
        assert_ne!(a, new_token());
        assert_eq!(sha256(&a).len(), 32);
    }

    #[test]
    fn passwords_verify_against_their_hash_only() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", Some(&hash)));
        assert!(!verify_password("wrong horse battery", Some(&hash)));
        assert!(!verify_password("anything", None));
        assert!(!verify_password("anything", Some("not a hash")));
        // The decoy must parse, or an unknown e-mail would be refused faster.
        assert!(PasswordHash::new(DECOY_HASH).is_ok());
    }
}
