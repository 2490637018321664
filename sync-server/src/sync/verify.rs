//! `GET /sync/v1/verify`: per scope, the number of rows and the XOR of their digests,
//! at one feed position, so a terminal can tell where it disagrees (SYNC.md rule 8).

use std::collections::HashMap;

use axum::extract::State;
use axum::Json;
use galla_sync_protocol::{ScopeSum, VerifyReply, SCOPES};

use super::auth::AuthDevice;
use crate::error::ApiError;
use crate::http::AppState;

pub async fn verify(
    State(state): State<AppState>,
    device: AuthDevice,
) -> Result<Json<VerifyReply>, ApiError> {
    let mut tx = state.pool.begin().await?;
    // One snapshot for the cursor and the sums: a push committing in between must not
    // be half counted.
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    let cursor: i64 = sqlx::query_scalar("SELECT feed_cursor FROM businesses WHERE id = $1")
        .bind(device.business_id)
        .fetch_one(&mut *tx)
        .await?;
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT scope, count(*), bit_xor(digest) FROM records
         WHERE business_id = $1 GROUP BY scope",
    )
    .bind(device.business_id)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    let sums: HashMap<String, ScopeSum> = rows
        .into_iter()
        .map(|(scope, count, xor)| {
            (
                scope,
                ScopeSum {
                    count: u64::try_from(count).unwrap_or(0),
                    xor,
                },
            )
        })
        .collect();
    Ok(Json(VerifyReply {
        cursor: u64::try_from(cursor).unwrap_or(0),
        scopes: SCOPES
            .iter()
            .map(|scope| sums.get(*scope).copied().unwrap_or_default().to_wire(scope))
            .collect(),
    }))
}
