//! The stock ledger's screens, as they cross IPC. Quantities travel as integer
//! thousandths and are typed as text that core parses.

use galla_core::{AdjustmentReason, StockMovement};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename = "AdjustmentReason", rename_all = "snake_case")]
#[ts(rename = "AdjustmentReason")]
pub enum AdjustmentReasonView {
    Damaged,
    Lost,
    Found,
    Correction,
    OwnUse,
}

impl From<AdjustmentReasonView> for AdjustmentReason {
    fn from(r: AdjustmentReasonView) -> AdjustmentReason {
        match r {
            AdjustmentReasonView::Damaged => AdjustmentReason::Damaged,
            AdjustmentReasonView::Lost => AdjustmentReason::Lost,
            AdjustmentReasonView::Found => AdjustmentReason::Found,
            AdjustmentReasonView::Correction => AdjustmentReason::Correction,
            AdjustmentReasonView::OwnUse => AdjustmentReason::OwnUse,
        }
    }
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct CountInput {
    pub variant_id: String,
    /// What is on the shelf, as typed.
    pub counted: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MovementView {
    pub id: String,
    #[ts(type = "number")]
    pub at_ms: u64,
    /// receive, sale, return, adjustment, count, transfer_out, transfer_in
    pub kind: String,
    #[ts(type = "number")]
    pub quantity_milli: i64,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub staff_name: Option<String>,
    pub shop_name: Option<String>,
}

impl MovementView {
    pub fn new(
        m: StockMovement,
        staff_name: Option<String>,
        shop_name: Option<String>,
    ) -> MovementView {
        MovementView {
            id: m.id.to_string(),
            at_ms: m.at_ms,
            kind: m.kind.as_str().to_owned(),
            quantity_milli: m.quantity.milli(),
            reason: m.reason.map(|r| r.as_str().to_owned()),
            note: m.note,
            staff_name,
            shop_name,
        }
    }
}

/// One line of the reorder list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ReorderLineView {
    pub product_id: String,
    pub variant_id: String,
    /// "Silk saree (Red / M)".
    pub item: String,
    pub sku: Option<String>,
    #[ts(type = "number")]
    pub on_hand_milli: i64,
    #[ts(type = "number")]
    pub threshold_milli: i64,
    #[ts(type = "number")]
    pub shortfall_milli: i64,
}
