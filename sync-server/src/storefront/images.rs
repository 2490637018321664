//! Product pictures by content hash: the bytes as uploaded, or a thumbnail made once on
//! first request and kept. Only pictures of products on the storefront are served.

use axum::body::Body;
use axum::extract::{Extension, Path, State};
use axum::http::header;
use axum::response::Response;
use galla_core::images::{is_content_hash, make_thumbnail, THUMBNAIL_SIDE};
use uuid::Uuid;

use super::Storefront;
use crate::error::ApiError;
use crate::http::AppState;
use crate::sync::QueryPairs;

/// A picture as uploaded (JPEG, PNG or WebP). Its URL names its content, so it is
/// cached for a year.
#[utoipa::path(
    get,
    path = "/storefront/v1/{business}/images/{hash}",
    tag = "images",
    params(
        ("business" = String, Path, description = "The business's public slug"),
        ("hash" = String, Path, description = "The picture's SHA-256 in lower-case hex, as in a product's images"),
    ),
    responses(
        (status = 200, description = "The picture", content_type = "image/*"),
        super::schema::Refusals,
    )
)]
pub async fn original(
    State(state): State<AppState>,
    Extension(shop): Extension<Storefront>,
    Path((_, hash)): Path<(String, String)>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Response, ApiError> {
    super::no_parameters(&pairs)?;
    let bytes = public_blob(&state, shop.business_id, &hash).await?;
    let media_type = media_type(&bytes);
    picture(bytes, media_type)
}

/// A JPEG at most 256 pixels on its longer side.
#[utoipa::path(
    get,
    path = "/storefront/v1/{business}/images/{hash}/thumbnail",
    tag = "images",
    params(
        ("business" = String, Path, description = "The business's public slug"),
        ("hash" = String, Path, description = "The picture's SHA-256 in lower-case hex"),
    ),
    responses(
        (status = 200, description = "The thumbnail", content_type = "image/jpeg"),
        super::schema::Refusals,
    )
)]
pub async fn thumbnail(
    State(state): State<AppState>,
    Extension(shop): Extension<Storefront>,
    Path((_, hash)): Path<(String, String)>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Response, ApiError> {
    super::no_parameters(&pairs)?;
    let side = i32::try_from(THUMBNAIL_SIDE).unwrap_or(256);
    let kept: Option<Vec<u8>> = sqlx::query_scalar(
        "SELECT t.bytes FROM storefront_thumbnails t
         WHERE t.business_id = $1 AND t.hash = $2 AND t.side = $3
           AND EXISTS (SELECT 1 FROM storefront_products p
                       WHERE p.business_id = $1 AND p.image_hashes @> ARRAY[$2])",
    )
    .bind(shop.business_id)
    .bind(&hash)
    .bind(side)
    .fetch_optional(&state.pool)
    .await?;
    if let Some(jpeg) = kept {
        return picture(jpeg, "image/jpeg");
    }
    let bytes = public_blob(&state, shop.business_id, &hash).await?;
    let made = tokio::task::spawn_blocking(move || make_thumbnail(&bytes))
        .await
        .map_err(|_| ApiError::Internal)?;
    let jpeg = match made {
        Ok(thumbnail) => thumbnail.jpeg,
        Err(error) => {
            // The bytes were checked when they were uploaded; a picture that cannot be
            // read now is the server's problem, not the client's.
            tracing::warn!(%error, hash, "cannot make a storefront thumbnail");
            return Err(ApiError::Internal);
        }
    };
    sqlx::query(
        "INSERT INTO storefront_thumbnails (business_id, hash, side, bytes) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
    )
    .bind(shop.business_id)
    .bind(&hash)
    .bind(side)
    .bind(&jpeg)
    .execute(&state.pool)
    .await?;
    picture(jpeg, "image/jpeg")
}

/// The bytes of `hash`, if a product on the storefront shows it.
async fn public_blob(state: &AppState, business_id: Uuid, hash: &str) -> Result<Vec<u8>, ApiError> {
    let missing = || {
        ApiError::Missing(format!(
            "This storefront shows no picture {:?}.",
            hash.chars().take(64).collect::<String>()
        ))
    };
    if !is_content_hash(hash) {
        return Err(missing());
    }
    let bytes: Option<Vec<u8>> = sqlx::query_scalar(
        "SELECT b.bytes FROM blobs b
         WHERE b.business_id = $1 AND b.hash = $2
           AND EXISTS (SELECT 1 FROM storefront_products p
                       WHERE p.business_id = $1 AND p.image_hashes @> ARRAY[$2])",
    )
    .bind(business_id)
    .bind(hash)
    .fetch_optional(&state.pool)
    .await?;
    bytes.ok_or_else(missing)
}

fn picture(bytes: Vec<u8>, media_type: &'static str) -> Result<Response, ApiError> {
    Response::builder()
        .header(header::CONTENT_TYPE, media_type)
        .header(header::CACHE_CONTROL, super::IMMUTABLE)
        .body(Body::from(bytes))
        .map_err(|_| ApiError::Internal)
}

/// What the picture's first bytes say it is; the upload accepted only these three.
fn media_type(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if bytes.starts_with(b"\x89PNG") {
        "image/png"
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        "image/webp"
    } else {
        "application/octet-stream"
    }
}
