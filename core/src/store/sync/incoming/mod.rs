//! The incoming half of sync: applying pulled changes from the server's feed to the
//! local store (docs/sync-protocol.md, "Pull").
//!
//! A page is applied in one transaction together with the move of the pull cursor, so
//! an interrupted pull resumes where it stopped and a page is never half applied
//! (SYNC.md rule 7). Inside it, each change runs under its own savepoint: a change
//! this store cannot take (a missing field, a SKU another item holds) is rolled back,
//! noted in `sync_skipped` and passed over, so one bad change never blocks the feed.

mod catalog;
mod clashes;
mod documents;
mod people;
mod records;
mod sales;
mod search;
mod values;

use galla_sync_protocol::{Change, EntityKind, PullPage};
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior};
use uuid::Uuid;

use crate::hlc::HybridClock;
use crate::store::{settings, Error, Store, StoreError};
use records::plain_record;
use values::Refusal;

/// What applying a set of changes did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplyReport {
    /// Changes that altered something here.
    pub applied: u64,
    /// Changes already here (this device's own, a page applied twice), changes whose
    /// every stamp lost to a local one, and entities this app does not know.
    pub unchanged: u64,
    /// Changes this store cannot take; each has a row in `sync_skipped`.
    pub skipped: u64,
}

impl ApplyReport {
    /// Counts what one change did; a clash is left to the caller, with its reason.
    fn count(&mut self, verdict: Verdict) -> Option<String> {
        match verdict {
            Verdict::Applied => self.applied += 1,
            Verdict::Unchanged => self.unchanged += 1,
            Verdict::Skipped => self.skipped += 1,
            Verdict::Clash(reason) => return Some(reason),
        }
        None
    }
}

/// What one change did when it could be applied.
enum Applied {
    Changed,
    Unchanged,
}

/// What every change's code works with.
struct Ctx<'a, 't> {
    tx: &'a Transaction<'t>,
    /// This device, whose own sales coming back move its receipt series.
    device: Uuid,
    now_ms: u64,
}

const CURSOR_KEY: &str = "cursor";

impl Store {
    /// Applies one page of the feed and moves the pull cursor (sync_state `cursor`) to
    /// `page.next`, all in one transaction. The cursor never moves backwards: a page
    /// older than what was already pulled is applied (harmlessly, changes are
    /// idempotent) but leaves the cursor where it is.
    pub fn apply_pull_page(&mut self, page: &PullPage, now_ms: u64) -> Result<ApplyReport, Error> {
        apply_page(self, page, now_ms, true)
    }

    /// Applies a page of a scoped re-fetch (verify's repair). The main cursor is left
    /// alone: a scoped page says nothing about the other scopes.
    pub fn apply_repair_page(
        &mut self,
        page: &PullPage,
        now_ms: u64,
    ) -> Result<ApplyReport, Error> {
        apply_page(self, page, now_ms, false)
    }
}

/// Feed order is not causal (a variant may come before its product, a movement
/// before its shop), so foreign keys are off while a page applies. SQLite ignores
/// `PRAGMA foreign_keys` inside a transaction, so it is switched around it, and back
/// on whatever the page did.
fn apply_page(
    store: &mut Store,
    page: &PullPage,
    now_ms: u64,
    moves_cursor: bool,
) -> Result<ApplyReport, Error> {
    // Each change's savepoint keeps a statement journal; in memory rather than in a
    // temporary file, as the generated-catalog loader does.
    let temp_store: i64 = store
        .conn
        .pragma_query_value(None, "temp_store", |r| r.get(0))?;
    store.conn.pragma_update(None, "temp_store", "MEMORY")?;
    store.conn.pragma_update(None, "foreign_keys", false)?;
    let result = apply_page_in_transaction(store, page, now_ms, moves_cursor);
    let restored = store.conn.pragma_update(None, "foreign_keys", true);
    let temp_restored = store.conn.pragma_update(None, "temp_store", temp_store);
    let report = result?;
    restored?;
    temp_restored?;
    Ok(report)
}

fn apply_page_in_transaction(
    store: &mut Store,
    page: &PullPage,
    now_ms: u64,
    moves_cursor: bool,
) -> Result<ApplyReport, Error> {
    // Immediate: the page writes anyway, and taking the write lock up front avoids a
    // busy upgrade halfway through against the counter's own connection.
    let tx = store
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    search::pause(&tx)?;
    let (report, touched) =
        apply_changes_noting(&tx, &mut store.clock, store.device, &page.changes, now_ms)?;
    search::index_touched(&tx, &touched)?;
    if moves_cursor {
        advance_cursor(&tx, page.next)?;
    }
    tx.commit()?;
    Ok(report)
}

/// Moves the cursor to `next` unless it is already further on.
fn advance_cursor(tx: &Transaction<'_>, next: u64) -> Result<(), StoreError> {
    let current: Option<String> = tx
        .prepare_cached("SELECT value FROM sync_state WHERE key = ?1")?
        .query_row([CURSOR_KEY], |r| r.get(0))
        .optional()?;
    if let Some(text) = current {
        let current = text
            .parse::<u64>()
            .map_err(|_| StoreError::Corrupt(format!("the pull cursor {text:?}")))?;
        if current >= next {
            return Ok(());
        }
    }
    tx.prepare_cached(
        "INSERT INTO sync_state (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute([CURSOR_KEY, &next.to_string()])?;
    Ok(())
}

/// Applies feed changes inside the caller's transaction: records merge per field,
/// documents are inserted when not yet here, unknown entities are passed over, and
/// unusable changes are rolled back to their own savepoint and noted in
/// `sync_skipped`. Fails only when the store itself fails; the caller then rolls
/// back. Also used by the outgoing half to apply the server's `current` state of a
/// rejected record.
///
/// The caller must have turned foreign keys off before opening `tx` (they cannot be
/// switched inside a transaction): a change may name a record that has not arrived
/// yet (a variant its product, a barcode its variant, a picture its product, a
/// category its parent, a movement its shop), and with foreign keys on, that change
/// fails its insert and is skipped instead of applied.
pub(in crate::store) fn apply_changes(
    tx: &Transaction<'_>,
    clock: &mut HybridClock,
    device: Uuid,
    changes: &[Change],
    now_ms: u64,
) -> Result<ApplyReport, StoreError> {
    apply_changes_noting(tx, clock, device, changes, now_ms).map(|(report, _)| report)
}

/// `apply_changes`, also answering the changes that may have altered something here
/// (applied, or retried after a clash): the ones the search index must look at.
fn apply_changes_noting<'c>(
    tx: &Transaction<'_>,
    clock: &mut HybridClock,
    device: Uuid,
    changes: &'c [Change],
    now_ms: u64,
) -> Result<(ApplyReport, Vec<&'c Change>), StoreError> {
    let ctx = Ctx { tx, device, now_ms };
    // Another handle on this file (the counter's, beside sync's) may have issued a
    // later stamp than this clock has seen; the clock saved below must not fall
    // behind it.
    if let Some(saved) = settings::last_stamp(tx)? {
        if clock.last().is_none_or(|mine| mine < saved) {
            *clock = HybridClock::new(device, Some(saved));
        }
    }
    let before = clock.last();
    let mut report = ApplyReport::default();
    let mut clashed = Vec::new();
    let mut touched = Vec::new();
    for change in changes {
        let verdict = apply_one(&ctx, clock, change)?;
        if matches!(verdict, Verdict::Applied | Verdict::Clash(_)) {
            touched.push(change);
        }
        if let Some(reason) = report.count(verdict) {
            clashed.push((change, reason));
        }
    }
    for (change, reason) in clashes::retry(&ctx, clock, clashed, &mut report)? {
        skip(
            &ctx,
            change,
            &format!("a value that must be unique is held by another row here ({reason})"),
        )?;
        report.skipped += 1;
    }
    if clock.last() != before {
        if let Some(last) = clock.last() {
            settings::save_last_stamp(tx, last)?;
        }
    }
    Ok((report, touched))
}

const SAVEPOINT: &str = "galla_incoming_change";

enum Verdict {
    Applied,
    Unchanged,
    /// Rolled back and noted in `sync_skipped`.
    Skipped,
    /// Rolled back, not noted yet: the caller may retry it.
    Clash(String),
}

/// Applies one change under its own savepoint, so whatever an unusable change wrote
/// before it failed is undone while the rest of the page stays.
fn apply_one(
    ctx: &Ctx<'_, '_>,
    clock: &mut HybridClock,
    change: &Change,
) -> Result<Verdict, StoreError> {
    ctx.tx.execute_batch(&format!("SAVEPOINT {SAVEPOINT}"))?;
    let undo = || {
        ctx.tx
            .execute_batch(&format!("ROLLBACK TO {SAVEPOINT}; RELEASE {SAVEPOINT}"))
    };
    match dispatch(ctx, clock, change) {
        Ok(applied) => {
            ctx.tx.execute_batch(&format!("RELEASE {SAVEPOINT}"))?;
            Ok(match applied {
                Applied::Changed => Verdict::Applied,
                Applied::Unchanged => Verdict::Unchanged,
            })
        }
        Err(Refusal::Clash(reason)) => {
            undo()?;
            Ok(Verdict::Clash(reason))
        }
        Err(Refusal::Unusable(reason)) => {
            undo()?;
            skip(ctx, change, &reason)?;
            Ok(Verdict::Skipped)
        }
        Err(Refusal::Failed(e)) => {
            // The whole page fails; the caller's rollback takes the savepoint with it.
            let _ = undo();
            Err(e)
        }
    }
}

fn dispatch(
    ctx: &Ctx<'_, '_>,
    clock: &mut HybridClock,
    change: &Change,
) -> Result<Applied, Refusal> {
    let Some(spec) = galla_sync_protocol::entity(&change.entity) else {
        // A newer server's entity: nothing here to put it in (rule 10).
        return Ok(Applied::Unchanged);
    };
    match (spec.kind, spec.name) {
        (EntityKind::Record, "product") => catalog::product(ctx, clock, change),
        (EntityKind::Record, "variant") => plain_record(ctx, clock, change, &catalog::VARIANT),
        (EntityKind::Record, "category") => plain_record(ctx, clock, change, &catalog::CATEGORY),
        (EntityKind::Record, "barcode") => catalog::barcode(ctx, clock, change),
        (EntityKind::Record, "product_image") => catalog::product_image(ctx, clock, change),
        (EntityKind::Record, "shop") => plain_record(ctx, clock, change, &people::SHOP),
        (EntityKind::Record, "staff") => people::staff(ctx, clock, change),
        (EntityKind::Record, "customer") => people::customer(ctx, clock, change),
        (EntityKind::Document, "stock_movement") => documents::stock_movement(ctx, change),
        (EntityKind::Document, "sale") => sales::sale(ctx, change),
        (EntityKind::Document, "shift") => documents::shift(ctx, change),
        (EntityKind::Document, "shift_closing") => documents::shift_closing(ctx, change),
        (EntityKind::Document, "cash_movement") => documents::cash_movement(ctx, change),
        (EntityKind::Document, "store_credit") => documents::store_credit(ctx, change),
        (EntityKind::Document, "audit") => documents::audit(ctx, change),
        // Listed in the protocol but with no table here: as for an unknown entity.
        _ => Ok(Applied::Unchanged),
    }
}

/// Notes a change that was not applied, outside its rolled-back savepoint.
fn skip(ctx: &Ctx<'_, '_>, change: &Change, reason: &str) -> Result<(), StoreError> {
    let entity: String = change.entity.chars().take(100).collect();
    let key: String = change.key.chars().take(200).collect();
    let reason: String = reason.chars().take(500).collect();
    ctx.tx
        .prepare_cached(
            "INSERT INTO sync_skipped (entity, entity_key, cursor, reason, at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(rusqlite::params![
            entity,
            key,
            i64::try_from(change.cursor).ok(),
            reason,
            crate::store::to_sql_ms(ctx.now_ms)
        ])?;
    Ok(())
}
