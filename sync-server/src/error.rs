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
}

impl StartupError {
    /// 2 for mistakes in how the server was invoked or configured, so that
    /// scripts and supervisors can tell them from an environment that is
    /// not ready (1), which may fix itself on a retry.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            StartupError::Config(_) => ExitCode::from(2),
            _ => ExitCode::from(1),
        }
    }
}

/// An error answered to an HTTP client, always as
/// `{"error": {"code": "...", "message": "..."}}` so clients need one parser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    DatabaseUnavailable,
    NotFound,
    MethodNotAllowed,
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::DatabaseUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    /// Stable and machine-readable: clients branch on this, never on the message.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::DatabaseUnavailable => "database_unavailable",
            ApiError::NotFound => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
        }
    }

    pub fn message(&self) -> &'static str {
        match self {
            ApiError::DatabaseUnavailable => {
                "The server cannot reach its database right now. Try again shortly."
            }
            ApiError::NotFound => "There is nothing at this path.",
            ApiError::MethodNotAllowed => "This path does not accept this HTTP method.",
        }
    }
}

#[derive(Serialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize)]
struct ErrorDetail {
    code: &'static str,
    message: &'static str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: self.message(),
            },
        };
        (self.status(), Json(body)).into_response()
    }
}
