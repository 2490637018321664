//! Sync, protocol version 1: the `/sync/v1/` paths of docs/sync-protocol.md.

pub mod apply;
pub mod auth;
pub mod authorize;
pub mod blobs;
pub mod devices;
pub mod documents;
pub mod enroll;
pub mod events;
pub mod merge;
pub mod pull;
pub mod push;
pub mod secrets;
pub mod validate;
pub mod verify;

use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{DefaultBodyLimit, FromRequest, Query, Request};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use galla_sync_protocol::{MAX_BLOB_BYTES, MAX_BODY_BYTES};
use serde::de::DeserializeOwned;

use crate::error::ApiError;
use crate::http::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sync/v1/enroll", post(enroll::enroll))
        .route("/sync/v1/push", post(push::push))
        .route("/sync/v1/pull", get(pull::pull))
        .route("/sync/v1/verify", get(verify::verify))
        .route("/sync/v1/events", get(events::events))
        .route(
            "/sync/v1/blobs/{hash}",
            put(blobs::put)
                .layer(DefaultBodyLimit::max(MAX_BLOB_BYTES))
                .get(blobs::get),
        )
        .route("/sync/v1/pairing-codes", post(devices::pairing_code))
        .route("/sync/v1/devices", get(devices::list))
        .route("/sync/v1/devices/{device_id}/revoke", post(devices::revoke))
}

/// A JSON body, with every way of getting it wrong answered in the one error shape.
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => Err(match rejection.status() {
                StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge(format!(
                    "The body is larger than the server takes ({} MiB). Push fewer entries at a time.",
                    MAX_BODY_BYTES / (1024 * 1024)
                )),
                StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
                _ => ApiError::Malformed(format!(
                    "The body is not the JSON this path takes ({}).",
                    crate::config::one_line(&rejection.body_text())
                )),
            }),
        }
    }
}

/// Query parameters as sent, in order; each handler reads what it knows (unknown ones
/// are ignored, as the protocol only ever adds).
pub struct QueryPairs(pub Vec<(String, String)>);

impl QueryPairs {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for QueryPairs {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, ApiError> {
        Query::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map(|Query(pairs)| QueryPairs(pairs))
            .map_err(|_| {
                ApiError::BadParameter(
                    "The query string cannot be read; check its encoding.".into(),
                )
            })
    }
}

/// The server's clock in Unix milliseconds.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Text from a client, made safe to keep in a `text` column: Postgres refuses NUL
/// characters, and a hostile entry must not make its rejection unstorable or huge.
pub fn storable(text: &str, max_chars: usize) -> String {
    text.chars()
        .take(max_chars)
        .map(|c| if c == '\0' { '\u{fffd}' } else { c })
        .collect()
}
