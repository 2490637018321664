//! Who is asking: the bearer token of an enrolled device, resolved to the device and
//! its business. Every sync path but `enroll` takes an [`AuthDevice`].

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use uuid::Uuid;

use super::secrets;
use crate::error::ApiError;
use crate::http::AppState;

/// An enrolled, not revoked device, as its token says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthDevice {
    pub id: Uuid,
    pub business_id: Uuid,
    pub shop_id: Option<Uuid>,
}

impl FromRequestParts<AppState> for AuthDevice {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer_token(parts).ok_or(ApiError::Unauthenticated)?;
        let row: Option<(Uuid, Uuid, Option<Uuid>, bool)> = sqlx::query_as(
            "SELECT id, business_id, shop_id, revoked_at IS NOT NULL
             FROM devices WHERE token_hash = $1",
        )
        .bind(secrets::sha256(token))
        .fetch_optional(&state.pool)
        .await?;
        let (id, business_id, shop_id, revoked) = row.ok_or(ApiError::Unauthenticated)?;
        if revoked {
            return Err(ApiError::DeviceRevoked);
        }
        // Throttled, so a device pulling often does not write on every request.
        sqlx::query(
            "UPDATE devices SET last_seen_at = now()
             WHERE id = $1 AND (last_seen_at IS NULL OR last_seen_at < now() - interval '1 minute')",
        )
        .bind(id)
        .execute(&state.pool)
        .await?;
        Ok(AuthDevice {
            id,
            business_id,
            shop_id,
        })
    }
}

fn bearer_token(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}
