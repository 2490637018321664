//! Changes refused by a UNIQUE column (a variant's SKU, a category's name among its
//! siblings, a receipt number). Often a later change of the same page moves the other
//! row out of the way, so they are tried again before being given up and noted.

use galla_sync_protocol::Change;

use super::values::parse_id;
use super::{apply_one, ApplyReport, Ctx};
use crate::hlc::HybridClock;
use crate::store::StoreError;

type Clashed<'c> = Vec<(&'c Change, String)>;

/// Retries clashed changes; returns those that still clash, with the reason.
pub(super) fn retry<'c>(
    ctx: &Ctx<'_, '_>,
    clock: &mut HybridClock,
    mut clashed: Clashed<'c>,
    report: &mut ApplyReport,
) -> Result<Clashed<'c>, StoreError> {
    // Round after round while each gets something in: in a chain of changes, each
    // freeing the value the next one needs, one link goes in per round.
    while !clashed.is_empty() {
        let before = clashed.len();
        let mut still = Vec::new();
        for (change, _) in clashed {
            if let Some(reason) = report.count(apply_one(ctx, clock, change)?) {
                still.push((change, reason));
            }
        }
        clashed = still;
        if clashed.len() == before {
            break;
        }
    }
    swapped_skus(ctx, clock, clashed, report)
}

const SAVEPOINT: &str = "galla_incoming_swap";

/// Variants that swapped SKUs (the editor allows it in one save) each clash with the
/// other in any order. Together, with their own SKUs cleared first, they fit; one
/// whose SKU a row outside the group holds clashes even so and is left out, and the
/// rest are tried again without it.
fn swapped_skus<'c>(
    ctx: &Ctx<'_, '_>,
    clock: &mut HybridClock,
    clashed: Clashed<'c>,
    report: &mut ApplyReport,
) -> Result<Clashed<'c>, StoreError> {
    let (mut group, mut rest): (Clashed<'c>, Clashed<'c>) = clashed
        .into_iter()
        .partition(|(c, _)| c.entity == "variant");
    while group.len() >= 2 {
        ctx.tx.execute_batch(&format!("SAVEPOINT {SAVEPOINT}"))?;
        {
            let mut clear = ctx
                .tx
                .prepare_cached("UPDATE variants SET sku = NULL WHERE id = ?1")?;
            for (change, _) in &group {
                if let Some(id) = parse_id(&change.key) {
                    clear.execute([id])?;
                }
            }
        }
        let mut trial = ApplyReport::default();
        let mut fitted = Vec::new();
        let mut still = Vec::new();
        for (change, reason) in group {
            match trial.count(apply_one(ctx, clock, change)?) {
                Some(reason) => still.push((change, reason)),
                None => fitted.push((change, reason)),
            }
        }
        if still.is_empty() {
            ctx.tx.execute_batch(&format!("RELEASE {SAVEPOINT}"))?;
            report.applied += trial.applied;
            report.unchanged += trial.unchanged;
            report.skipped += trial.skipped;
            return Ok(rest);
        }
        ctx.tx
            .execute_batch(&format!("ROLLBACK TO {SAVEPOINT}; RELEASE {SAVEPOINT}"))?;
        rest.extend(still);
        group = fitted;
    }
    rest.extend(group);
    Ok(rest)
}
