//! One sync: push everything waiting, then pull everything new; and "Verify".

use galla_core::Store;
use galla_sync_protocol::{
    blob_of_image_key, Entry, PullPage, PushRequest, ScopeDigest, MAX_PULL_LIMIT, PUSH_BATCH,
};

use crate::{SyncError, Transport};

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub pushed: u64,
    pub applied: u64,
    pub already_applied: u64,
    pub rejected: u64,
    pub pulled: u64,
    pub pages: u64,
    /// Times the outbox was renumbered because the store had been restored from an
    /// older copy (the server answered `sequence_conflict`).
    pub renumbered: u64,
}

/// A restored store renumbers once; if the server still disagrees something else is
/// wrong, and looping would hide it.
const MAX_RENUMBERS: u64 = 2;

/// Pushes the whole outbox, then pulls the feed to its end. Stops at the first
/// failure; what was done before it stays done (each batch and each page is its own
/// transaction), so the next call carries on from there.
pub fn sync_once(
    store: &mut Store,
    transport: &dyn Transport,
    now_ms: &dyn Fn() -> u64,
) -> Result<SyncReport, SyncError> {
    let result = push_all(store, transport, now_ms).and_then(|mut report| {
        pull_all(store, transport, now_ms, &mut report)?;
        Ok(report)
    });
    match &result {
        Ok(_) => store.note_sync_result(None, now_ms())?,
        Err(SyncError::Revoked) => store.note_revoked()?,
        Err(SyncError::Store(_)) => {}
        Err(e) => store.note_sync_result(Some(&e.to_string()), now_ms())?,
    }
    result
}

fn push_all(
    store: &mut Store,
    transport: &dyn Transport,
    now_ms: &dyn Fn() -> u64,
) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport::default();
    loop {
        let entries = store.outbox_batch(PUSH_BATCH)?;
        if entries.is_empty() {
            return Ok(report);
        }
        send_pictures(store, transport, &entries)?;
        let request = PushRequest { entries };
        match transport.push(&request) {
            Ok(reply) => {
                let outcome = store.apply_push_reply(&request.entries, &reply, now_ms())?;
                report.pushed += request.entries.len() as u64;
                report.applied += outcome.applied;
                report.already_applied += outcome.already_applied;
                report.rejected += outcome.rejected;
            }
            Err(SyncError::Refused {
                code,
                last_seq: Some(last_seq),
                ..
            }) if (code == "sequence_conflict" || code == "sequence_gap")
                && report.renumbered < MAX_RENUMBERS =>
            {
                store.renumber_outbox(last_seq)?;
                report.renumbered += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

/// The bytes of each picture a batch names go up before the batch, so a device that
/// receives the record can fetch the picture. A picture this device never had (it came
/// by sync and was not fetched) has nothing to send; whoever added it sent it.
fn send_pictures(
    store: &Store,
    transport: &dyn Transport,
    entries: &[Entry],
) -> Result<(), SyncError> {
    for entry in entries.iter().filter(|e| e.entity == "product_image") {
        let Some(hash) = blob_of_image_key(&entry.key) else {
            continue;
        };
        let Some(file) = store.image_file(hash) else {
            continue;
        };
        // A file that cannot be read now is sent with a later batch naming it, if any;
        // it must not hold the queue up.
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        transport.put_blob(hash, &bytes)?;
    }
    Ok(())
}

/// Fetches a picture some product names but this device does not have yet, and keeps
/// it. `Ok(false)` when the server has no such picture (the device that added it has
/// not synced) or no product here names it.
pub fn fetch_image(
    store: &Store,
    transport: &dyn Transport,
    hash: &str,
) -> Result<bool, SyncError> {
    if store.image_file(hash).is_some() {
        return Ok(true);
    }
    if !store.knows_image(hash)? {
        return Ok(false);
    }
    let Some(bytes) = transport.get_blob(hash)? else {
        return Ok(false);
    };
    store
        .keep_fetched_image(hash, &bytes)
        .map_err(|e| SyncError::Garbage(format!("picture {hash}: {e}")))?;
    Ok(true)
}

fn pull_all(
    store: &mut Store,
    transport: &dyn Transport,
    now_ms: &dyn Fn() -> u64,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    loop {
        let after = store.pull_cursor()?;
        // The largest pages: fewer commits, and a first sync is mostly commits.
        let page = transport.pull(after, MAX_PULL_LIMIT, None)?;
        check_page(&page, after)?;
        store.apply_pull_page(&page, now_ms())?;
        report.pulled += page.changes.len() as u64;
        report.pages += 1;
        if !page.more {
            return Ok(());
        }
    }
}

/// A page must move forward from where it was asked, in order: anything else would
/// make the cursor skip changes or go back, so such a page is refused unapplied.
fn check_page(page: &PullPage, after: u64) -> Result<(), SyncError> {
    let mut last = after;
    for change in &page.changes {
        if change.cursor <= last {
            return Err(SyncError::Garbage(format!(
                "feed cursors out of order ({} after {last})",
                change.cursor
            )));
        }
        last = change.cursor;
    }
    if page.next != last {
        return Err(SyncError::Garbage(format!(
            "the page ends at {last} but says to continue from {}",
            page.next
        )));
    }
    if page.more && page.changes.is_empty() {
        return Err(SyncError::Garbage(String::from(
            "an empty page that says more follows",
        )));
    }
    Ok(())
}

/// One scope as compared by Verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeCheck {
    pub scope: String,
    pub server: ScopeDigest,
    /// This device's digest before any repair.
    pub before: ScopeDigest,
    /// And after the repair, when the scope differed.
    pub after: Option<ScopeDigest>,
}

impl ScopeCheck {
    pub fn agrees(&self) -> bool {
        let now = self.after.as_ref().unwrap_or(&self.before);
        now.count == self.server.count && now.digest == self.server.digest
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyReport {
    pub sync: SyncReport,
    pub scopes: Vec<ScopeCheck>,
}

impl VerifyReport {
    pub fn agrees(&self) -> bool {
        self.scopes.iter().all(ScopeCheck::agrees)
    }

    pub fn repaired(&self) -> Vec<&str> {
        self.scopes
            .iter()
            .filter(|s| s.after.is_some())
            .map(|s| s.scope.as_str())
            .collect()
    }
}

/// Catching up takes one more pull when someone else synced meanwhile; a few tries,
/// then Verify says it could not get a still picture.
const VERIFY_TRIES: usize = 5;

/// "Verify": syncs, then compares this device's digests with the server's at the same
/// feed position, and re-fetches every scope that differs.
pub fn verify(
    store: &mut Store,
    transport: &dyn Transport,
    now_ms: &dyn Fn() -> u64,
) -> Result<VerifyReport, SyncError> {
    let sync = sync_once(store, transport, now_ms)?;
    if store.sync_status()?.pending > 0 {
        return Err(SyncError::Garbage(String::from(
            "changes are still waiting to be sent; verify again when they are",
        )));
    }
    for _ in 0..VERIFY_TRIES {
        let server = transport.verify()?;
        let mut caught_up = SyncReport::default();
        pull_all(store, transport, now_ms, &mut caught_up)?;
        if caught_up.pulled > 0 || store.pull_cursor()? < server.cursor {
            continue;
        }
        let local = store.scope_digests()?;
        let mut scopes = Vec::new();
        for server_scope in server.scopes {
            let before = local
                .iter()
                .find(|l| l.scope == server_scope.scope)
                .cloned()
                .unwrap_or_else(|| empty(&server_scope.scope));
            let differs =
                before.count != server_scope.count || before.digest != server_scope.digest;
            let after = if differs {
                repair(store, transport, now_ms, &server_scope.scope)?;
                let again = store.scope_digests()?;
                Some(
                    again
                        .into_iter()
                        .find(|l| l.scope == server_scope.scope)
                        .unwrap_or_else(|| empty(&server_scope.scope)),
                )
            } else {
                None
            };
            scopes.push(ScopeCheck {
                scope: server_scope.scope.clone(),
                server: server_scope,
                before,
                after,
            });
        }
        return Ok(VerifyReport { sync, scopes });
    }
    Err(SyncError::Garbage(String::from(
        "the server kept changing while verifying; try again in a quieter moment",
    )))
}

fn empty(scope: &str) -> ScopeDigest {
    galla_sync_protocol::ScopeSum::default().to_wire(scope)
}

/// Re-fetches one scope from the start of the feed; what is already here is left as it
/// is (merges are idempotent), what is missing is filled in.
fn repair(
    store: &mut Store,
    transport: &dyn Transport,
    now_ms: &dyn Fn() -> u64,
    scope: &str,
) -> Result<(), SyncError> {
    let mut after = 0;
    loop {
        let page = transport.pull(after, MAX_PULL_LIMIT, Some(scope))?;
        check_page(&page, after)?;
        store.apply_repair_page(&page, now_ms())?;
        if !page.more {
            return Ok(());
        }
        after = page.next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use galla_sync_protocol::Change;
    use serde_json::json;

    fn change(cursor: u64) -> Change {
        Change {
            cursor,
            entity: "sale".into(),
            key: format!("k{cursor}"),
            data: json!({}),
            clocks: None,
        }
    }

    fn page(cursors: &[u64], next: u64, more: bool) -> PullPage {
        PullPage {
            changes: cursors.iter().copied().map(change).collect(),
            next,
            more,
        }
    }

    #[test]
    fn only_pages_that_move_forward_in_order_are_taken() {
        assert!(check_page(&page(&[11, 12, 20], 20, true), 10).is_ok());
        assert!(check_page(&page(&[], 10, false), 10).is_ok());
        for (bad, after) in [
            (page(&[10, 12], 12, false), 10),
            (page(&[12, 11], 12, false), 10),
            (page(&[11, 12], 13, false), 10),
            (page(&[11, 12], 11, false), 10),
            (page(&[], 9, false), 10),
            (page(&[], 10, true), 10),
        ] {
            assert!(
                matches!(check_page(&bad, after), Err(SyncError::Garbage(_))),
                "{bad:?}"
            );
        }
    }
}
