//! `GET /sync/v1/pull`: the business's feed from a cursor, a page at a time.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::Json;
use galla_sync_protocol::{Change, PullPage, DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT, SCOPES};
use serde_json::Value;
use sqlx::types::Json as Jsonb;
use sqlx::PgConnection;
use uuid::Uuid;

use super::auth::AuthDevice;
use super::QueryPairs;
use crate::error::ApiError;
use crate::http::AppState;

type ChangeRow = (
    i64,
    String,
    String,
    Jsonb<Value>,
    Option<Jsonb<BTreeMap<String, String>>>,
);

const COLUMNS: &str = "cursor, entity, key, data, clocks";

fn change(row: ChangeRow) -> Change {
    let (cursor, entity, key, data, clocks) = row;
    Change {
        // The table's check keeps cursors positive.
        cursor: u64::try_from(cursor).unwrap_or(0),
        entity,
        key,
        data: data.0,
        clocks: clocks.map(|clocks| clocks.0),
    }
}

/// The feed's current change for one row, if the business has that row.
pub async fn current_change(
    conn: &mut PgConnection,
    business_id: Uuid,
    entity: &str,
    key: &str,
) -> Result<Option<Change>, sqlx::Error> {
    let row: Option<ChangeRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM records WHERE business_id = $1 AND entity = $2 AND key = $3"
    ))
    .bind(business_id)
    .bind(entity)
    .bind(key)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(change))
}

/// What a pull asks for, read from the query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullQuery {
    pub after: u64,
    pub limit: u32,
    pub scope: Option<&'static str>,
}

impl PullQuery {
    pub fn parse(query: &QueryPairs) -> Result<PullQuery, ApiError> {
        let after = match query.get("after") {
            None => 0,
            Some(text) => text
                .parse::<u64>()
                .ok()
                .filter(|n| i64::try_from(*n).is_ok())
                .ok_or_else(|| {
                    ApiError::BadParameter(format!(
                        "after={text:?} is not a cursor: use 0 or the `next` of the previous page."
                    ))
                })?,
        };
        let limit = match query.get("limit") {
            None => DEFAULT_PULL_LIMIT,
            Some(text) => text
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=MAX_PULL_LIMIT).contains(n))
                .ok_or_else(|| {
                    ApiError::BadParameter(format!(
                        "limit={text:?} is not a page size from 1 to {MAX_PULL_LIMIT}."
                    ))
                })?,
        };
        let scope = match query.get("scope") {
            None => None,
            Some(text) => Some(SCOPES.iter().copied().find(|s| *s == text).ok_or_else(|| {
                ApiError::BadParameter(format!(
                    "scope={text:?} is not a scope; use one of {}.",
                    SCOPES.join(", ")
                ))
            })?),
        };
        Ok(PullQuery {
            after,
            limit,
            scope,
        })
    }
}

pub async fn pull(
    State(state): State<AppState>,
    device: AuthDevice,
    query: QueryPairs,
) -> Result<Json<PullPage>, ApiError> {
    let query = PullQuery::parse(&query)?;
    let after = i64::try_from(query.after).unwrap_or(i64::MAX);
    // One more than asked for tells whether more follow, without a count.
    let fetch = i64::from(query.limit) + 1;
    let rows: Vec<ChangeRow> = match query.scope {
        None => {
            sqlx::query_as(&format!(
                "SELECT {COLUMNS} FROM records WHERE business_id = $1 AND cursor > $2
             ORDER BY cursor LIMIT $3"
            ))
            .bind(device.business_id)
            .bind(after)
            .bind(fetch)
            .fetch_all(&state.pool)
            .await?
        }
        Some(scope) => {
            sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM records WHERE business_id = $1 AND scope = $4 AND cursor > $2
             ORDER BY cursor LIMIT $3"
        ))
            .bind(device.business_id)
            .bind(after)
            .bind(fetch)
            .bind(scope)
            .fetch_all(&state.pool)
            .await?
        }
    };
    let more = rows.len() > query.limit as usize;
    let changes: Vec<Change> = rows
        .into_iter()
        .take(query.limit as usize)
        .map(change)
        .collect();
    let next = changes.last().map_or(query.after, |c| c.cursor);
    Ok(Json(PullPage {
        changes,
        next,
        more,
    }))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<PullQuery, ApiError> {
        PullQuery::parse(&QueryPairs(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        ))
    }

    #[test]
    fn defaults_and_bounds() {
        assert_eq!(
            parse(&[]).unwrap(),
            PullQuery {
                after: 0,
                limit: DEFAULT_PULL_LIMIT,
                scope: None
            }
        );
        let q = parse(&[
            ("after", "17"),
            ("limit", "5000"),
            ("scope", "stock"),
            ("x", "y"),
        ])
        .unwrap();
        assert_eq!((q.after, q.limit, q.scope), (17, 5000, Some("stock")));
        for bad in [
            ("after", "-1"),
            ("after", "abc"),
            ("after", ""),
            ("after", "9223372036854775808"),
            ("limit", "0"),
            ("limit", "5001"),
            ("limit", "1.5"),
            ("scope", "everything"),
            ("scope", ""),
        ] {
            let err = parse(&[bad]).unwrap_err();
            assert_eq!(err.code(), "bad_parameter", "{bad:?}");
        }
    }
}
