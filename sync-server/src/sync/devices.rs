//! What an owner does from a device: pairing codes for new devices, the device list,
//! and revoking a device. The acting staff member must be an active owner on the server.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::Json;
use galla_core::staff::Role;
use galla_sync_protocol::{DeviceInfo, PairingCode, PairingCodeRequest, RevokeRequest};
use serde_json::{json, Value};
use sqlx::PgConnection;
use uuid::Uuid;

use super::auth::AuthDevice;
use super::authorize::staff_member;
use super::enroll::new_pairing_code;
use super::{JsonBody, QueryPairs};
use crate::error::ApiError;
use crate::http::AppState;

async fn require_owner(
    conn: &mut PgConnection,
    device: &AuthDevice,
    staff_id: Uuid,
    doing: &str,
) -> Result<(), ApiError> {
    match staff_member(conn, device.business_id, staff_id).await? {
        Some(member) if member.active && member.role == Some(Role::Owner) => Ok(()),
        _ => Err(ApiError::Forbidden(format!(
            "Only an active owner can {doing}; staff member {staff_id} is not one on the server."
        ))),
    }
}

pub async fn pairing_code(
    State(state): State<AppState>,
    device: AuthDevice,
    JsonBody(request): JsonBody<PairingCodeRequest>,
) -> Result<Json<PairingCode>, ApiError> {
    let mut conn = state.pool.acquire().await?;
    require_owner(&mut conn, &device, request.staff_id, "add devices").await?;
    if let Some(shop) = request.shop_id {
        let known: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM records
                            WHERE business_id = $1 AND entity = 'shop' AND key = $2)",
        )
        .bind(device.business_id)
        .bind(shop.to_string())
        .fetch_one(&mut *conn)
        .await?;
        if !known {
            return Err(ApiError::Missing(format!(
                "This business has no shop {shop} on the server; sync the shop first."
            )));
        }
    }
    let made = new_pairing_code(
        &mut conn,
        device.business_id,
        request.shop_id,
        Some((device.id, request.staff_id)),
    )
    .await?;
    tracing::info!(device = %device.id, "pairing code made");
    Ok(Json(made.code))
}

type DeviceRow = (
    Uuid,
    String,
    Option<Uuid>,
    i64,
    Option<i64>,
    Option<i64>,
    i64,
);

pub async fn list(
    State(state): State<AppState>,
    device: AuthDevice,
    query: QueryPairs,
) -> Result<Json<Value>, ApiError> {
    let staff_id = query
        .get("staff_id")
        .and_then(|text| Uuid::parse_str(text).ok())
        .ok_or_else(|| {
            ApiError::BadParameter(
                "staff_id must name the owner asking, as a UUID: devices?staff_id=….".into(),
            )
        })?;
    let mut conn = state.pool.acquire().await?;
    require_owner(&mut conn, &device, staff_id, "see the devices").await?;
    let rows: Vec<DeviceRow> = sqlx::query_as(
        "SELECT id, name, shop_id,
                (extract(epoch FROM enrolled_at) * 1000)::bigint,
                (extract(epoch FROM last_seen_at) * 1000)::bigint,
                (extract(epoch FROM revoked_at) * 1000)::bigint,
                last_seq
         FROM devices WHERE business_id = $1 ORDER BY enrolled_at, id",
    )
    .bind(device.business_id)
    .fetch_all(&mut *conn)
    .await?;
    let ms = |value: i64| u64::try_from(value).unwrap_or(0);
    let devices: Vec<DeviceInfo> = rows
        .into_iter()
        .map(
            |(device_id, name, shop_id, enrolled, seen, revoked, last_seq)| DeviceInfo {
                device_id,
                name,
                shop_id,
                enrolled_at_ms: ms(enrolled),
                last_seen_at_ms: seen.map(ms),
                revoked_at_ms: revoked.map(ms),
                last_seq: ms(last_seq),
            },
        )
        .collect();
    Ok(Json(json!({ "devices": devices })))
}

pub async fn revoke(
    State(state): State<AppState>,
    device: AuthDevice,
    path: Result<Path<String>, PathRejection>,
    JsonBody(request): JsonBody<RevokeRequest>,
) -> Result<Json<Value>, ApiError> {
    let target = path
        .ok()
        .and_then(|Path(text)| Uuid::parse_str(&text).ok())
        .ok_or_else(|| ApiError::BadParameter("The path must name a device id (a UUID).".into()))?;
    let mut conn = state.pool.acquire().await?;
    require_owner(&mut conn, &device, request.staff_id, "revoke devices").await?;
    if target == device.id {
        return Err(ApiError::Forbidden(
            "A device cannot revoke itself; revoke it from another of the owner's devices.".into(),
        ));
    }
    // Revoking twice keeps the first time.
    let revoked: Option<i64> = sqlx::query_scalar(
        "UPDATE devices SET revoked_at = coalesce(revoked_at, now())
         WHERE id = $1 AND business_id = $2
         RETURNING (extract(epoch FROM revoked_at) * 1000)::bigint",
    )
    .bind(target)
    .bind(device.business_id)
    .fetch_optional(&mut *conn)
    .await?;
    let revoked_at_ms = revoked
        .ok_or_else(|| ApiError::Missing(format!("This business has no device {target}.")))?;
    tracing::info!(device = %target, by = %device.id, "device revoked");
    Ok(Json(json!({
        "device_id": target,
        "revoked_at_ms": u64::try_from(revoked_at_ms).unwrap_or(0),
    })))
}
