//! Pushing the outbox: the batch to send, taking in the server's answer, and putting
//! the sequence right after this store was restored from an older copy.
//!
//! An outbox entry leaves only when the server has answered for it (SYNC.md rule 1),
//! and only an answer that matches what was sent counts: a reply that does not is
//! refused whole and changes nothing.

use rusqlite::{params, OptionalExtension, Transaction, TransactionBehavior};
use uuid::Uuid;

use galla_sync_protocol::{EntityKind, Entry, EntryResult, EntryStatus, PushReply};

use super::state::{self, to_u64};
use crate::hlc::HybridClock;
use crate::store::{settings, Error, Store, StoreError};

/// What a push's answer did to the outbox.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PushOutcome {
    pub applied: u64,
    pub already_applied: u64,
    pub rejected: u64,
}

/// The server's answer does not match the push it answers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SyncReplyError {
    #[error("the server answered {answered} entries for a push of {sent}")]
    WrongLength { sent: usize, answered: usize },
    #[error("the server's answer number {position} is for entry {answered}, but entry {sent} was sent there")]
    WrongSeq {
        position: usize,
        sent: u64,
        answered: u64,
    },
    #[error("entry {seq} is not waiting to be pushed any more (already answered, or renumbered)")]
    NotWaiting { seq: u64 },
    #[error("the entries sent were not in ascending order (entry {seq})")]
    SentOutOfOrder { seq: u64 },
}

impl Store {
    /// Up to `max` of the oldest waiting outbox entries, as they are pushed.
    pub fn outbox_batch(&self, max: usize) -> Result<Vec<Entry>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT seq, id, entity, entity_id, op, hlc, staff_id, payload FROM outbox
             ORDER BY seq LIMIT ?1",
        )?;
        let rows = stmt.query_map([i64::try_from(max).unwrap_or(i64::MAX)], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, String>(7)?,
            ))
        })?;
        let mut entries = Vec::new();
        for row in rows {
            let (seq, id, entity, key, op, hlc, staff_id, payload) = row?;
            let corrupt = |what: &str| StoreError::Corrupt(format!("{what} of outbox entry {seq}"));
            entries.push(Entry {
                seq: to_u64(seq, "outbox entry number")?,
                id: Uuid::parse_str(&id).map_err(|_| corrupt("the id"))?,
                entity,
                key,
                op,
                hlc,
                staff_id: staff_id
                    .map(|s| Uuid::parse_str(&s).map_err(|_| corrupt("the staff id")))
                    .transpose()?,
                payload: serde_json::from_str(&payload).map_err(|_| corrupt("the payload"))?,
            });
        }
        Ok(entries)
    }

    /// Takes in the server's answer to a push of `sent`, in one transaction: every
    /// answered entry leaves the outbox; a rejected one is kept in `sync_rejections`
    /// for people to see, and for a rejected record the rejected stamps are taken off
    /// its fields and the server's state of it (when given) is applied, so the local
    /// copy does not keep claiming a change the server never took.
    ///
    /// An answer that is not for exactly `sent` (length, order, entries still waiting
    /// with the same ids) is refused and nothing changes.
    pub fn apply_push_reply(
        &mut self,
        sent: &[Entry],
        reply: &PushReply,
        now_ms: u64,
    ) -> Result<PushOutcome, Error> {
        // The server's state of a rejected record may name one not here yet (a barcode
        // a variant made on another counter), so foreign keys are off while it is
        // applied, as for a pulled page. SQLite ignores the pragma inside a
        // transaction, so it is switched around it, and back on whatever happened.
        self.conn.pragma_update(None, "foreign_keys", false)?;
        let outcome = self.apply_push_reply_in_transaction(sent, reply, now_ms);
        let restored = self.conn.pragma_update(None, "foreign_keys", true);
        let outcome = outcome?;
        restored?;
        Ok(outcome)
    }

    fn apply_push_reply_in_transaction(
        &mut self,
        sent: &[Entry],
        reply: &PushReply,
        now_ms: u64,
    ) -> Result<PushOutcome, Error> {
        // Immediate: it writes anyway, and taking the write lock before the checks
        // read means nothing can change between them and the deletes.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        check_reply(&tx, sent, reply)?;
        let mut outcome = PushOutcome::default();
        for (entry, result) in sent.iter().zip(&reply.results) {
            tx.prepare_cached("DELETE FROM outbox WHERE seq = ?1")?
                .execute([seq_sql(entry.seq)])?;
            match result.status {
                EntryStatus::Applied => outcome.applied += 1,
                EntryStatus::AlreadyApplied => outcome.already_applied += 1,
                EntryStatus::Rejected => {
                    outcome.rejected += 1;
                    take_rejection(&tx, (&mut self.clock, self.device), entry, result, now_ms)?;
                }
            }
        }
        state::put(&tx, state::LAST_PUSH_MS, &now_ms.to_string())?;
        tx.commit()?;
        Ok(outcome)
    }

    /// After the server answered `sequence_conflict` (this store was restored from an
    /// older copy, so its numbers were already used for other entries) or
    /// `sequence_gap`: numbers every waiting entry, in its order, from
    /// `server_last_seq + 1` on, and makes later entries follow them.
    pub fn renumber_outbox(&mut self, server_last_seq: u64) -> Result<(), StoreError> {
        let first = server_last_seq
            .checked_add(1)
            .and_then(|s| i64::try_from(s).ok())
            .ok_or_else(|| {
                StoreError::Corrupt(format!("server sequence number {server_last_seq}"))
            })?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let waiting: Vec<i64> = tx
            .prepare("SELECT seq FROM outbox ORDER BY seq")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        // Out of the way first, so no new number meets an old one still in place,
        // whichever way the entries move. Stored numbers are all positive.
        tx.execute("UPDATE outbox SET seq = -seq", [])?;
        let mut next = first;
        {
            let mut renumber = tx.prepare("UPDATE outbox SET seq = ?2 WHERE seq = ?1")?;
            for old in &waiting {
                renumber.execute(params![-old, next])?;
                next = next.checked_add(1).ok_or_else(|| {
                    StoreError::Corrupt("outbox sequence numbers ran out".to_owned())
                })?;
            }
        }
        // AUTOINCREMENT hands out one past the larger of this and the largest seq.
        let last = next - 1;
        let updated = tx.execute(
            "UPDATE sqlite_sequence SET seq = ?1 WHERE name = 'outbox'",
            [last],
        )?;
        if updated == 0 {
            tx.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?1)",
                [last],
            )?;
        }
        tx.commit()?;
        Ok(())
    }
}

fn take_rejection(
    tx: &Transaction<'_>,
    (clock, device): (&mut HybridClock, Uuid),
    entry: &Entry,
    result: &EntryResult,
    now_ms: u64,
) -> Result<(), StoreError> {
    // Upserted: a rejection must never fail the whole answer, or the queue would
    // stick on it (SYNC.md rule 2).
    tx.prepare_cached(
        "INSERT INTO sync_rejections (seq, entry_id, entity, entity_key, op, hlc, code,
                 reason, at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (seq) DO UPDATE SET entry_id = excluded.entry_id,
                 entity = excluded.entity, entity_key = excluded.entity_key, op = excluded.op,
                 hlc = excluded.hlc, code = excluded.code, reason = excluded.reason,
                 at_ms = excluded.at_ms",
    )?
    .execute(params![
        seq_sql(entry.seq),
        entry.id.to_string(),
        entry.entity,
        entry.key,
        entry.op,
        entry.hlc,
        result.code.as_deref().unwrap_or("rejected"),
        result.reason.as_deref().unwrap_or("no reason given"),
        crate::store::to_sql_ms(now_ms),
    ])?;
    let is_record = galla_sync_protocol::entity(&entry.entity)
        .is_some_and(|spec| spec.kind == EntityKind::Record);
    if !is_record {
        return Ok(());
    }
    // Only the stamps this entry wrote: a later local edit of the same field keeps
    // its own stamp and is still on its way.
    tx.prepare_cached(
        "DELETE FROM field_clocks WHERE entity = ?1 AND entity_id = ?2 AND hlc = ?3",
    )?
    .execute(params![entry.entity, entry.key, entry.hlc])?;
    if let Some(current) = &result.current {
        super::incoming::apply_changes(tx, clock, device, std::slice::from_ref(current), now_ms)?;
        // Whatever the server's state moved the clock to must outlast this handle.
        if let Some(last) = clock.last() {
            if settings::last_stamp(tx)?.is_none_or(|saved| saved < last) {
                settings::save_last_stamp(tx, last)?;
            }
        }
    }
    Ok(())
}

/// The answer is for exactly `sent`, and everything sent is still waiting as sent.
fn check_reply(tx: &Transaction<'_>, sent: &[Entry], reply: &PushReply) -> Result<(), StoreError> {
    if reply.results.len() != sent.len() {
        return Err(SyncReplyError::WrongLength {
            sent: sent.len(),
            answered: reply.results.len(),
        }
        .into());
    }
    let mut waiting_id = tx.prepare_cached("SELECT id FROM outbox WHERE seq = ?1")?;
    let mut previous = None;
    for (position, (entry, result)) in sent.iter().zip(&reply.results).enumerate() {
        if previous.is_some_and(|p| p >= entry.seq) {
            return Err(SyncReplyError::SentOutOfOrder { seq: entry.seq }.into());
        }
        previous = Some(entry.seq);
        if result.seq != entry.seq {
            return Err(SyncReplyError::WrongSeq {
                position,
                sent: entry.seq,
                answered: result.seq,
            }
            .into());
        }
        let waiting: Option<String> = waiting_id
            .query_row([seq_sql(entry.seq)], |r| r.get(0))
            .optional()?;
        if waiting != Some(entry.id.to_string()) {
            return Err(SyncReplyError::NotWaiting { seq: entry.seq }.into());
        }
    }
    Ok(())
}

/// Sequence numbers come from SQLite, so they fit; one that does not cannot be waiting.
fn seq_sql(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}
