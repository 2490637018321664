//! Why a sync did not finish, sorted by what the terminal should do about it.

use galla_core::{Error as StoreFailure, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The server could not be reached or did not answer in time. Try again later.
    #[error(
        "the server cannot be reached ({0}); changes wait on this device and go when it is back"
    )]
    Offline(String),
    /// The server failed (5xx). Try again later.
    #[error("the server had a problem ({status} {code}: {message}); retrying later")]
    Server {
        status: u16,
        code: String,
        message: String,
    },
    /// The server refused the request itself (4xx other than the ones below).
    #[error("the server refused the request ({status} {code}: {message})")]
    Refused {
        status: u16,
        code: String,
        message: String,
        last_seq: Option<u64>,
    },
    #[error(
        "this device is not enrolled with the server, or its credential is wrong; enrol it again"
    )]
    Unauthenticated,
    #[error("this device has been revoked by the owner; its unsynced changes stay on it and can be exported")]
    Revoked,
    /// The answer was not what the protocol describes. Nothing local was changed.
    #[error("the server's answer could not be used ({0}); nothing was changed on this device")]
    Garbage(String),
    #[error(transparent)]
    Store(#[from] StoreFailure),
}

impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> SyncError {
        SyncError::Store(StoreFailure::Store(e))
    }
}

impl SyncError {
    /// Whether retrying later, unchanged, may succeed.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            SyncError::Offline(_) | SyncError::Server { .. } | SyncError::Garbage(_)
        )
    }
}
