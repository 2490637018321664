//! `POST /sync/v1/push`: a device's entries, applied exactly once.
//!
//! One Postgres transaction per request. It locks the business row first (its feed
//! cursor counter, so cursors become visible in order) and then the device row (its
//! sequence), answers entries it has seen from `device_entries`, and applies each new
//! one under a savepoint, so that the database refusing one entry's data makes that
//! entry's rejection rather than failing the batch. The answers are stored in the same
//! transaction as the effects: a crash before commit leaves nothing, and the retry
//! applies everything once.

use std::collections::HashMap;

use axum::extract::State;
use axum::Json;
use galla_sync_protocol::{
    entity, stored_entity, EntityKind, Entry, EntryResult, EntryStatus, PushReply, PushRequest,
    MAX_PUSH_ENTRIES,
};
use sqlx::{Postgres, Transaction};
use uuid::Uuid;

use super::apply::{Batch, Outcome};
use super::auth::AuthDevice;
use super::pull::current_change;
use super::{now_ms, storable, JsonBody};
use crate::error::ApiError;
use crate::http::AppState;

/// The channel `events` listens on; the payload is `<business id>:<cursor>`.
pub const FEED_CHANNEL: &str = "galla_feed";

pub async fn push(
    State(state): State<AppState>,
    device: AuthDevice,
    JsonBody(request): JsonBody<PushRequest>,
) -> Result<Json<PushReply>, ApiError> {
    let entries = request.entries;
    if entries.len() > MAX_PUSH_ENTRIES {
        return Err(ApiError::TooLarge(format!(
            "A push carries at most {MAX_PUSH_ENTRIES} entries; this one has {}.",
            entries.len()
        )));
    }
    check_numbering(&entries)?;

    let mut tx = state.pool.begin().await?;
    let cursor: i64 =
        sqlx::query_scalar("SELECT feed_cursor FROM businesses WHERE id = $1 FOR UPDATE")
            .bind(device.business_id)
            .fetch_one(&mut *tx)
            .await?;
    let (last_seq, revoked): (i64, bool) = sqlx::query_as(
        "SELECT last_seq, revoked_at IS NOT NULL FROM devices WHERE id = $1 FOR UPDATE",
    )
    .bind(device.id)
    .fetch_one(&mut *tx)
    .await?;
    // Revoked between authentication and this lock: the revocation wins.
    if revoked {
        return Err(ApiError::DeviceRevoked);
    }
    let last_seq = u64::try_from(last_seq).unwrap_or(0);
    let Some(first) = entries.first().map(|e| e.seq) else {
        return Ok(Json(PushReply {
            results: Vec::new(),
            last_seq,
        }));
    };
    if first > last_seq.saturating_add(1) {
        return Err(ApiError::SequenceGap { last_seq, first });
    }

    let mut results = replayed(&mut tx, &device, &entries, last_seq).await?;
    let mut batch = Batch::new(device, cursor, now_ms());
    let mut answered = Vec::new();
    for entry in entries.iter().filter(|e| e.seq > last_seq) {
        let outcome = batch.apply_isolated(&mut tx, entry).await?;
        results.push(outcome.result(entry.seq));
        answered.push((entry, outcome));
    }
    remember(&mut tx, &batch, &answered).await?;
    // In the push's transaction, so the storefront shows the change on the very next
    // request, and never a state the feed does not hold.
    crate::storefront::projection::refresh(&mut tx, device.business_id, &batch.storefront_products)
        .await?;

    let new_last = entries.last().map_or(last_seq, |e| e.seq).max(last_seq);
    sqlx::query("UPDATE devices SET last_seq = $2, last_seen_at = now() WHERE id = $1")
        .bind(device.id)
        .bind(i64::try_from(new_last).unwrap_or(i64::MAX))
        .execute(&mut *tx)
        .await?;
    if batch.cursor != cursor {
        sqlx::query("UPDATE businesses SET feed_cursor = $2 WHERE id = $1")
            .bind(device.business_id)
            .bind(batch.cursor)
            .execute(&mut *tx)
            .await?;
        // Delivered to every listening server process when (and only if) this commits.
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(FEED_CHANNEL)
            .bind(format!("{}:{}", device.business_id, batch.cursor))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    let applied = answered
        .iter()
        .filter(|(_, o)| o.status == EntryStatus::Applied)
        .count();
    tracing::info!(
        device = %device.id,
        entries = entries.len(),
        new = answered.len(),
        applied,
        cursor = batch.cursor,
        "push"
    );
    Ok(Json(PushReply {
        results,
        last_seq: new_last,
    }))
}

/// Entries of one push must follow each other (n, n+1, …), from 1 up.
fn check_numbering(entries: &[Entry]) -> Result<(), ApiError> {
    if entries.first().is_some_and(|e| e.seq == 0) {
        return Err(ApiError::BadSequence(
            "Sequence numbers start at 1; this push has an entry numbered 0.".into(),
        ));
    }
    if let Some(pair) = entries
        .windows(2)
        .find(|pair| pair[1].seq != pair[0].seq.wrapping_add(1))
    {
        return Err(ApiError::BadSequence(format!(
            "Entries in one push must be numbered consecutively in ascending order, but {} is followed by {}.",
            pair[0].seq, pair[1].seq
        )));
    }
    if entries
        .last()
        .is_some_and(|e| i64::try_from(e.seq).is_err())
    {
        return Err(ApiError::BadSequence(
            "Sequence numbers this large are not accepted.".into(),
        ));
    }
    Ok(())
}

type StoredRow = (
    i64,
    Uuid,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

/// Answers for entries the server already holds, from what it answered then; refuses
/// the whole push if one of them is a different entry under the same number.
async fn replayed(
    tx: &mut Transaction<'static, Postgres>,
    device: &AuthDevice,
    entries: &[Entry],
    last_seq: u64,
) -> Result<Vec<EntryResult>, ApiError> {
    let old: Vec<&Entry> = entries.iter().filter(|e| e.seq <= last_seq).collect();
    let (Some(first), Some(last)) = (old.first(), old.last()) else {
        return Ok(Vec::new());
    };
    let rows: Vec<StoredRow> = sqlx::query_as(
        "SELECT seq, entry_id, entity, key, status, code, reason FROM device_entries
         WHERE device_id = $1 AND seq BETWEEN $2 AND $3",
    )
    .bind(device.id)
    .bind(i64::try_from(first.seq).unwrap_or(i64::MAX))
    .bind(i64::try_from(last.seq).unwrap_or(i64::MAX))
    .fetch_all(&mut **tx)
    .await?;
    let stored: HashMap<i64, StoredRow> = rows.into_iter().map(|row| (row.0, row)).collect();
    let mut results = Vec::with_capacity(old.len());
    for entry in old {
        let seq = i64::try_from(entry.seq).unwrap_or(i64::MAX);
        let Some((_, entry_id, entity_name, key, status, code, reason)) = stored.get(&seq) else {
            tracing::error!(device = %device.id, seq, "an entry below last_seq is missing from device_entries");
            return Err(ApiError::Internal);
        };
        if *entry_id != entry.id {
            return Err(ApiError::SequenceConflict { last_seq });
        }
        let result = if status == "rejected" {
            let current = if entity(entity_name).is_some_and(|e| e.kind == EntityKind::Record) {
                current_change(tx, device.business_id, entity_name, key).await?
            } else {
                None
            };
            EntryResult {
                seq: entry.seq,
                status: EntryStatus::Rejected,
                code: code.clone(),
                reason: reason.clone(),
                current,
            }
        } else {
            EntryResult {
                seq: entry.seq,
                status: EntryStatus::AlreadyApplied,
                code: None,
                reason: None,
                current: None,
            }
        };
        results.push(result);
    }
    Ok(results)
}

/// Keeps every new entry's answer (the exactly-once memory) and every rejection (for
/// the owner), in the push's transaction.
async fn remember(
    tx: &mut Transaction<'static, Postgres>,
    batch: &Batch,
    answered: &[(&Entry, Outcome)],
) -> Result<(), sqlx::Error> {
    if answered.is_empty() {
        return Ok(());
    }
    let mut seqs = Vec::new();
    let mut ids = Vec::new();
    let mut entities = Vec::new();
    let mut keys = Vec::new();
    let mut statuses = Vec::new();
    let mut codes = Vec::new();
    let mut reasons = Vec::new();
    for (entry, outcome) in answered {
        seqs.push(i64::try_from(entry.seq).unwrap_or(i64::MAX));
        ids.push(entry.id);
        entities.push(match stored_entity(&entry.entity, &entry.op) {
            Some(spec) => spec.name.to_owned(),
            None => storable(&entry.entity, 100),
        });
        keys.push(storable(&entry.key, 200));
        statuses.push(match outcome.status {
            EntryStatus::Applied => "applied",
            EntryStatus::AlreadyApplied => "already_applied",
            EntryStatus::Rejected => "rejected",
        });
        codes.push(outcome.rejection.as_ref().map(|r| r.code));
        reasons.push(
            outcome
                .rejection
                .as_ref()
                .map(|r| storable(&r.reason, 2000)),
        );
    }
    sqlx::query(
        "INSERT INTO device_entries (device_id, seq, entry_id, entity, key, status, code, reason)
         SELECT $1, * FROM UNNEST($2::bigint[], $3::uuid[], $4::text[], $5::text[], $6::text[],
                                  $7::text[], $8::text[])",
    )
    .bind(batch.device.id)
    .bind(&seqs)
    .bind(&ids)
    .bind(&entities)
    .bind(&keys)
    .bind(&statuses)
    .bind(&codes)
    .bind(&reasons)
    .execute(&mut **tx)
    .await?;

    let rejected: Vec<usize> = (0..answered.len())
        .filter(|i| answered[*i].1.status == EntryStatus::Rejected)
        .collect();
    if rejected.is_empty() {
        return Ok(());
    }
    let pick = |column: &Vec<String>| -> Vec<String> {
        rejected.iter().map(|i| column[*i].clone()).collect()
    };
    let ops: Vec<String> = rejected
        .iter()
        .map(|i| storable(&answered[*i].0.op, 100))
        .collect();
    let staff: Vec<Option<Uuid>> = rejected.iter().map(|i| answered[*i].0.staff_id).collect();
    sqlx::query(
        "INSERT INTO rejections (business_id, device_id, seq, entry_id, entity, key, op,
                                 staff_id, code, reason)
         SELECT $1, $2, * FROM UNNEST($3::bigint[], $4::uuid[], $5::text[], $6::text[],
                                      $7::text[], $8::uuid[], $9::text[], $10::text[])",
    )
    .bind(batch.business_id)
    .bind(batch.device.id)
    .bind(rejected.iter().map(|i| seqs[*i]).collect::<Vec<i64>>())
    .bind(rejected.iter().map(|i| ids[*i]).collect::<Vec<Uuid>>())
    .bind(pick(&entities))
    .bind(pick(&keys))
    .bind(&ops)
    .bind(&staff)
    .bind(
        rejected
            .iter()
            .map(|i| codes[*i].unwrap_or("rejected"))
            .collect::<Vec<&str>>(),
    )
    .bind(
        rejected
            .iter()
            .map(|i| reasons[*i].clone().unwrap_or_default())
            .collect::<Vec<String>>(),
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn entries(seqs: &[u64]) -> Vec<Entry> {
        seqs.iter()
            .map(|seq| Entry {
                seq: *seq,
                id: Uuid::nil(),
                entity: String::new(),
                key: String::new(),
                op: String::new(),
                hlc: String::new(),
                staff_id: None,
                payload: serde_json::Value::Null,
            })
            .collect()
    }

    #[test]
    fn numbering_must_be_consecutive_from_one() {
        assert!(check_numbering(&entries(&[])).is_ok());
        assert!(check_numbering(&entries(&[1, 2, 3])).is_ok());
        assert!(check_numbering(&entries(&[41])).is_ok());
        for bad in [&[0, 1][..], &[1, 3], &[2, 1], &[1, 1], &[u64::MAX]] {
            let err = check_numbering(&entries(bad)).unwrap_err();
            assert_eq!(err.code(), "bad_sequence", "{bad:?}");
        }
    }
}
