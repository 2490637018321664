//! The two kinds of failure: the process failing to start, and a request
//! failing. Both carry messages meant for people.

use std::net::SocketAddr;
use std::process::ExitCode;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::config::ConfigError;
use crate::db::DbError;

/// Anything that stops the server from starting or keeps it from running.
/// `main` prints it as one line prefixed with `galla-server: `.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] ConfigError),

    #[error(transparent)]
    Database(#[from] DbError),

    #[error("cannot listen on {addr} ({reason}). Set GALLA_LISTEN or `listen` to a free address.")]
    Bind { addr: SocketAddr, reason: String },

    #[error("the HTTP server stopped unexpectedly ({reason}).")]
    Serve { reason: String },

    #[error("cannot start the async runtime ({reason}).")]
    Runtime { reason: String },

    #[error(transparent)]
    Cli(#[from] crate::cli::CliError),
}

impl StartupError {
    /// 2 for mistakes in how the server was invoked or configured, so that
    /// scripts and supervisors can tell them from an environment that is
    /// not ready (1), which may fix itself on a retry.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            StartupError::Config(_) => ExitCode::from(2),
            StartupError::Cli(err) if err.is_usage() => ExitCode::from(2),
            _ => ExitCode::from(1),
        }
    }
}

/// An error answered to an HTTP client, always as
/// `{"error": {"code": "...", "message": "..."}}` so clients need one parser (409s add
/// `last_seq`). Codes are the ones listed in docs/sync-protocol.md.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    DatabaseUnavailable,
    NotFound,
    MethodNotAllowed,
    /// The body is not the JSON described in the protocol; the text says what is wrong.
    Malformed(String),
    BadParameter(String),
    BadSequence(String),
    Unauthenticated,
    EnrolmentRefused,
    DeviceRevoked,
    Forbidden(String),
    /// Like `NotFound`, with a message that names what is missing.
    Missing(String),
    SequenceConflict {
        last_seq: u64,
    },
    SequenceGap {
        last_seq: u64,
        first: u64,
    },
    DeviceTaken,
    TooLarge(String),
    UnsupportedMediaType,
    /// Too many requests from one client; it may try again after this many seconds.
    RateLimited {
        retry_after_secs: u64,
    },
    Internal,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::DatabaseUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::NotFound | ApiError::Missing(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Malformed(_) | ApiError::BadParameter(_) | ApiError::BadSequence(_) => {
                StatusCode::BAD_REQUEST
            }
            ApiError::Unauthenticated | ApiError::EnrolmentRefused => StatusCode::UNAUTHORIZED,
            ApiError::DeviceRevoked | ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::SequenceConflict { .. }
            | ApiError::SequenceGap { .. }
            | ApiError::DeviceTaken => StatusCode::CONFLICT,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Stable and machine-readable: clients branch on this, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::DatabaseUnavailable => "database_unavailable",
            ApiError::NotFound | ApiError::Missing(_) => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::Malformed(_) => "malformed",
            ApiError::BadParameter(_) => "bad_parameter",
            ApiError::BadSequence(_) => "bad_sequence",
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::EnrolmentRefused => "enrolment_refused",
            ApiError::DeviceRevoked => "device_revoked",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::SequenceConflict { .. } => "sequence_conflict",
            ApiError::SequenceGap { .. } => "sequence_gap",
            ApiError::DeviceTaken => "device_taken",
            ApiError::TooLarge(_) => "too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Internal => "internal",
        }
    }

    pub fn message(&self) -> String {
        match self {
            ApiError::DatabaseUnavailable => {
                "The server cannot reach its database right now. Try again shortly.".into()
            }
            ApiError::NotFound => "There is nothing at this path.".into(),
            ApiError::MethodNotAllowed => "This path does not accept this HTTP method.".into(),
            ApiError::Malformed(text)
            | ApiError::BadParameter(text)
            | ApiError::BadSequence(text)
            | ApiError::Forbidden(text)
            | ApiError::Missing(text)
            | ApiError::TooLarge(text) => text.clone(),
            ApiError::Unauthenticated => {
                "This request needs a device credential: send `Authorization: Bearer <token>` with the token from enrolment. An unknown token gets this answer too.".into()
            }
            ApiError::EnrolmentRefused => {
                "Enrolment refused: the pairing code is wrong, used or expired, or the e-mail and password do not match. Ask the owner for a new code.".into()
            }
            ApiError::DeviceRevoked => {
                "This device has been removed from the business by its owner. What it has not synced stays on it; ask the owner to enrol it again under a new id.".into()
            }
            ApiError::SequenceConflict { last_seq } => format!(
                "This device's entries were numbered differently before (the server holds up to {last_seq}); its store may have been restored from an older copy. Renumber the waiting entries to follow {last_seq} and push again."
            ),
            ApiError::SequenceGap { last_seq, first } => format!(
                "Entries {} to {} are missing: the server holds this device's entries up to {last_seq} and this push starts at {first}.",
                last_seq.saturating_add(1),
                first.saturating_sub(1)
            ),
            ApiError::DeviceTaken => {
                "This device id is already enrolled. A device enrols once; a reinstalled app makes a new id.".into()
            }
            ApiError::UnsupportedMediaType => {
                "The body must be JSON, sent with `Content-Type: application/json`.".into()
            }
            ApiError::RateLimited { retry_after_secs } => format!(
                "Too many requests from this address; try again in {retry_after_secs} s (Retry-After)."
            ),
            ApiError::Internal => {
                "Something went wrong on the server; it has been logged. Try again later.".into()
            }
        }
    }

    fn last_seq(&self) -> Option<u64> {
        match self {
            ApiError::SequenceConflict { last_seq } | ApiError::SequenceGap { last_seq, .. } => {
                Some(*last_seq)
            }
            _ => None,
        }
    }

    /// A database failure while answering: the database being away is worth a retry
    /// (503); anything else is the server's own fault (500), logged here so the answer
    /// can stay free of internals.
    pub fn from_db(error: sqlx::Error) -> ApiError {
        if crate::db::is_unavailable(&error) {
            tracing::warn!(%error, "database unavailable");
            ApiError::DatabaseUnavailable
        } else {
            tracing::error!(%error, "database error");
            ApiError::Internal
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        ApiError::from_db(error)
    }
}

#[derive(Serialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize)]
struct ErrorDetail {
    code: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_seq: Option<u64>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: self.message(),
                last_seq: self.last_seq(),
            },
        };
        let mut response = (self.status(), Json(body)).into_response();
        if let ApiError::RateLimited { retry_after_secs } = self {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, retry_after_secs.into());
        }
        response
    }
}
