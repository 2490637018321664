//! Receiving, adjusting and counting stock in this device's shop, its history and the
//! reorder list. Quantities arrive as typed text and core parses them.

use std::collections::HashMap;

use galla_core::id::Uuid;
use galla_core::{Quantity, Store};

use super::{parse_uuid, Terminal};
use crate::wire::stock::{AdjustmentReasonView, CountInput, MovementView, ReorderLineView};
use crate::wire::IpcError;

/// Enough history for a screen; older movements are still in the ledger.
const HISTORY_LIMIT: usize = 500;

fn quantity(text: &str) -> Result<Quantity, IpcError> {
    Ok(Quantity::parse(text)?)
}

fn optional_text(text: &str) -> Option<&str> {
    let trimmed = text.trim();
    (!trimmed.is_empty()).then_some(trimmed)
}

impl Terminal {
    pub fn receive_stock(
        &self,
        variant_id: &str,
        quantity_text: &str,
        note: &str,
        now_ms: u64,
    ) -> Result<Vec<MovementView>, IpcError> {
        let variant = parse_uuid(variant_id, "item")?;
        let quantity = quantity(quantity_text)?;
        self.as_actor(|store, actor| {
            let shop = store.current_shop(now_ms)?.id;
            store.receive_stock(variant, shop, quantity, optional_text(note), actor, now_ms)?;
            history(store, variant)
        })
    }

    pub fn adjust_stock(
        &self,
        variant_id: &str,
        quantity_text: &str,
        reason: Option<AdjustmentReasonView>,
        note: &str,
        now_ms: u64,
    ) -> Result<Vec<MovementView>, IpcError> {
        let variant = parse_uuid(variant_id, "item")?;
        let quantity = quantity(quantity_text)?;
        self.as_actor(|store, actor| {
            let shop = store.current_shop(now_ms)?.id;
            store.adjust_stock(
                variant,
                shop,
                quantity,
                reason.map(Into::into),
                optional_text(note),
                actor,
                now_ms,
            )?;
            history(store, variant)
        })
    }

    /// A stocktake of one or more items in this shop: what is on the shelf.
    pub fn count_stock(
        &self,
        counts: Vec<CountInput>,
        now_ms: u64,
    ) -> Result<Vec<MovementView>, IpcError> {
        let mut parsed = Vec::with_capacity(counts.len());
        for c in &counts {
            parsed.push((parse_uuid(&c.variant_id, "item")?, quantity(&c.counted)?));
        }
        self.as_actor(|store, actor| {
            let shop = store.current_shop(now_ms)?.id;
            Ok(store
                .count_stock(shop, &parsed, actor, now_ms)?
                .into_iter()
                .map(|m| MovementView::new(m, Some(actor.name().to_owned()), None))
                .collect())
        })
    }

    pub fn set_low_stock_threshold(
        &self,
        variant_id: &str,
        threshold_text: &str,
        now_ms: u64,
    ) -> Result<(), IpcError> {
        let variant = parse_uuid(variant_id, "item")?;
        let threshold = optional_text(threshold_text).map(quantity).transpose()?;
        self.as_actor(|store, actor| {
            let shop = store.current_shop(now_ms)?.id;
            Ok(store.set_low_stock_threshold(actor, variant, shop, threshold, now_ms)?)
        })
    }

    /// Every movement of one item, in every shop, newest first.
    pub fn stock_history(&self, variant_id: &str) -> Result<Vec<MovementView>, IpcError> {
        let variant = parse_uuid(variant_id, "item")?;
        self.as_actor(|store, _| history(store, variant))
    }

    pub fn reorder_list(&self, now_ms: u64) -> Result<Vec<ReorderLineView>, IpcError> {
        self.as_actor(|store, _| {
            let shop = store.current_shop(now_ms)?.id;
            let mut lines = Vec::new();
            for line in store.reorder_list(shop)? {
                let Some(product) = store.product_of_variant(line.variant_id)? else {
                    continue;
                };
                let sku = product
                    .variants
                    .iter()
                    .find(|v| v.id == line.variant_id)
                    .and_then(|v| v.sku.clone());
                lines.push(ReorderLineView {
                    product_id: product.id.to_string(),
                    variant_id: line.variant_id.to_string(),
                    item: super::catalog::item_name(&product, line.variant_id),
                    sku,
                    on_hand_milli: line.on_hand.milli(),
                    threshold_milli: line.threshold.milli(),
                    shortfall_milli: line.shortfall.milli(),
                });
            }
            Ok(lines)
        })
    }
}

fn history(store: &Store, variant: Uuid) -> Result<Vec<MovementView>, IpcError> {
    let staff: HashMap<Uuid, String> = store
        .list_staff(true)?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    let shops: HashMap<Uuid, String> = store.shops()?.into_iter().map(|s| (s.id, s.name)).collect();
    Ok(store
        .stock_history(variant, None, HISTORY_LIMIT)?
        .into_iter()
        .map(|m| {
            let staff_name = m.staff_id.and_then(|id| staff.get(&id).cloned());
            let shop_name = shops.get(&m.shop_id).cloned();
            MovementView::new(m, staff_name, shop_name)
        })
        .collect())
}
