//! Content-addressed blobs (product pictures): `PUT /sync/v1/blobs/{sha256}` keeps the
//! bytes once their hash checks out, `GET` hands them to any device of the same
//! business. A name is its content, so a blob never changes: putting one again is
//! answered 200 and changes nothing, and a GET may be cached for good.

use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use galla_sync_protocol::{blob_hash, is_blob_hash, MAX_BLOB_BYTES};

use super::auth::AuthDevice;
use crate::error::ApiError;
use crate::http::AppState;

const OCTET_STREAM: &str = "application/octet-stream";

fn checked_name(hash: &str) -> Result<&str, ApiError> {
    if is_blob_hash(hash) {
        Ok(hash)
    } else {
        Err(ApiError::BadParameter(format!(
            "{:?} is not a blob's name: 64 lower-case hex digits, the SHA-256 of its bytes.",
            crate::config::one_line(hash)
        )))
    }
}

pub async fn put(
    State(state): State<AppState>,
    device: AuthDevice,
    Path(hash): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<StatusCode, ApiError> {
    let hash = checked_name(&hash)?;
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim());
    if media_type != Some(OCTET_STREAM) {
        return Err(ApiError::UnsupportedMediaType);
    }
    let bytes = body.map_err(|rejection| match rejection.status() {
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge(format!(
            "A blob is at most {} MiB.",
            MAX_BLOB_BYTES / (1024 * 1024)
        )),
        _ => ApiError::Malformed(format!(
            "The body could not be read ({}).",
            crate::config::one_line(&rejection.body_text())
        )),
    })?;
    if bytes.is_empty() {
        return Err(ApiError::Malformed("A blob cannot be empty.".into()));
    }
    if blob_hash(&bytes) != hash {
        return Err(ApiError::Malformed(format!(
            "The bytes sent do not hash to {hash}; nothing was kept."
        )));
    }
    let size = i32::try_from(bytes.len()).map_err(|_| ApiError::TooLarge("Too large.".into()))?;
    let added = sqlx::query(
        "INSERT INTO blobs (business_id, hash, bytes, byte_size, device_id)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (business_id, hash) DO NOTHING",
    )
    .bind(device.business_id)
    .bind(hash)
    .bind(bytes.as_ref())
    .bind(size)
    .bind(device.id)
    .execute(&state.pool)
    .await?
    .rows_affected();
    Ok(if added == 1 {
        tracing::info!(device = %device.id, hash, size, "blob kept");
        StatusCode::CREATED
    } else {
        StatusCode::OK
    })
}

pub async fn get(
    State(state): State<AppState>,
    device: AuthDevice,
    Path(hash): Path<String>,
) -> Result<Response, ApiError> {
    let hash = checked_name(&hash)?;
    let bytes: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT bytes FROM blobs WHERE business_id = $1 AND hash = $2")
            .bind(device.business_id)
            .bind(hash)
            .fetch_optional(&state.pool)
            .await?;
    let bytes = bytes.ok_or_else(|| {
        ApiError::Missing(format!(
            "This business has no blob {hash} on the server (yet)."
        ))
    })?;
    Response::builder()
        .header(header::CONTENT_TYPE, OCTET_STREAM)
        .header(header::ETAG, format!("\"{hash}\""))
        .header(
            header::CACHE_CONTROL,
            "private, max-age=31536000, immutable",
        )
        .body(Body::from(bytes))
        .map_err(|_| ApiError::Internal)
}
