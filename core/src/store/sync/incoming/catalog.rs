//! The catalog's records, stored as `products.rs`, `categories.rs`, `barcodes.rs`
//! and `images.rs` store them. The search index follows through the tables' own
//! triggers, whatever order the records arrive in.

use galla_sync_protocol::Change;
use rusqlite::params;

use super::records::{column, id_key, merge, required, write_row, Incoming, Table};
use super::values::{parse_id, strings, unusable, Kind, Refusal};
use super::{Applied, Ctx};
use crate::hlc::HybridClock;

const PRODUCT_STATUS: &[&str] = &["draft", "active", "archived"];
const ACTIVE_ARCHIVED: &[&str] = &["active", "archived"];
const ACTIVE_REMOVED: &[&str] = &["active", "removed"];
const BARCODE_KINDS: &[&str] = &["ean13", "ean8", "upca"];

const PRODUCT: Table = Table {
    entity: "product",
    table: "products",
    columns: &[
        required("name", "name", Kind::Name),
        column("description", "description", Kind::Text),
        column("category_id", "category_id", Kind::OptId),
        column("tax_class", "tax_class", Kind::OptText),
        column("hsn_code", "hsn_code", Kind::OptText),
        required("status", "status", Kind::OneOf(PRODUCT_STATUS)),
        column("show_on_storefront", "show_on_storefront", Kind::Flag),
    ],
    // Kept as rows of `product_options`, one per name, in order.
    special: &["option_names"],
    created_hlc: true,
};

pub(super) const VARIANT: Table = Table {
    entity: "variant",
    table: "variants",
    columns: &[
        required("product_id", "product_id", Kind::Id),
        column("position", "position", Kind::Int),
        column("option_values", "options", Kind::Strings),
        column("sku", "sku", Kind::OptText),
        required("price_minor", "price_minor", Kind::Int),
        column("cost_minor", "cost_minor", Kind::OptInt),
        required("currency", "currency", Kind::Currency),
        column("status", "status", Kind::OneOf(ACTIVE_ARCHIVED)),
    ],
    special: &[],
    created_hlc: true,
};

pub(super) const CATEGORY: Table = Table {
    entity: "category",
    table: "categories",
    columns: &[
        required("name", "name", Kind::Name),
        column("parent_id", "parent_id", Kind::OptId),
        column("status", "status", Kind::OneOf(ACTIVE_ARCHIVED)),
    ],
    special: &[],
    created_hlc: true,
};

const BARCODE: Table = Table {
    entity: "barcode",
    table: "barcodes",
    columns: &[
        required("variant_id", "variant_id", Kind::Id),
        required("kind", "kind", Kind::OneOf(BARCODE_KINDS)),
        column("generated", "generated", Kind::Flag),
        column("status", "status", Kind::OneOf(ACTIVE_REMOVED)),
    ],
    special: &[],
    created_hlc: false,
};

const PRODUCT_IMAGE: Table = Table {
    entity: "product_image",
    table: "product_images",
    columns: &[
        required("position", "position", Kind::Int),
        required("width", "width", Kind::Int),
        required("height", "height", Kind::Int),
        required("byte_size", "byte_size", Kind::Int),
        column("status", "status", Kind::OneOf(ACTIVE_REMOVED)),
    ],
    // The row's key: checked against the change's key, never changed.
    special: &["product_id", "hash"],
    created_hlc: true,
};

pub(super) fn product(
    ctx: &Ctx<'_, '_>,
    clock: &mut HybridClock,
    change: &Change,
) -> Result<Applied, Refusal> {
    let id = id_key(change)?;
    merge(ctx, clock, change, &id, |incoming| {
        write_row(ctx, &PRODUCT, &[("id", id.clone())], incoming, &[])?;
        if incoming.wins("option_names") {
            write_options(ctx, &id, incoming)?;
        }
        Ok(())
    })
}

/// Replaces the product's option names as `products.rs` does: all rows, in order.
fn write_options(ctx: &Ctx<'_, '_>, product: &str, incoming: &Incoming<'_>) -> Result<(), Refusal> {
    let value = incoming.value("option_names");
    let names = if value.is_null() {
        Vec::new()
    } else {
        strings(value).ok_or_else(|| unusable("product: option_names is not a list of text"))?
    };
    ctx.tx
        .prepare_cached("DELETE FROM product_options WHERE product_id = ?1")?
        .execute([product])?;
    let mut insert = ctx.tx.prepare_cached(
        "INSERT INTO product_options (product_id, position, name) VALUES (?1, ?2, ?3)",
    )?;
    for (position, name) in (0_i64..).zip(&names) {
        insert.execute(params![product, position, name])?;
    }
    Ok(())
}

/// A barcode's key is the code itself.
pub(super) fn barcode(
    ctx: &Ctx<'_, '_>,
    clock: &mut HybridClock,
    change: &Change,
) -> Result<Applied, Refusal> {
    let code = change.key.as_str();
    if code.is_empty() || code.len() > 64 || !code.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(unusable("barcode: the key is not a code"));
    }
    merge(ctx, clock, change, code, |incoming| {
        write_row(ctx, &BARCODE, &[("code", code.to_owned())], incoming, &[]).map(drop)
    })
}

/// A picture row is keyed by product and content hash. The protocol writes the key
/// `product:hash`; this store's own write path keeps the field clocks under
/// `product/hash` (images.rs), so either is read and the clocks go under the local
/// form, where local edits of the same row look for them.
pub(super) fn product_image(
    ctx: &Ctx<'_, '_>,
    clock: &mut HybridClock,
    change: &Change,
) -> Result<Applied, Refusal> {
    let (product, hash) = change
        .key
        .split_once([':', '/'])
        .and_then(|(product, hash)| Some((parse_id(product)?, hash)))
        .filter(|(_, hash)| crate::images::is_content_hash(hash))
        .ok_or_else(|| unusable("product_image: the key is not product:hash"))?;
    let hash = hash.to_owned();
    let clock_key = format!("{product}/{hash}");
    merge(ctx, clock, change, &clock_key, |incoming| {
        let product_field = incoming.value("product_id").as_str().and_then(parse_id);
        let hash_field = incoming.value("hash").as_str();
        if (incoming.wins("product_id") && product_field.as_deref() != Some(product.as_str()))
            || (incoming.wins("hash") && hash_field != Some(hash.as_str()))
        {
            return Err(unusable(
                "product_image: product_id or hash differs from the key",
            ));
        }
        write_row(
            ctx,
            &PRODUCT_IMAGE,
            &[("product_id", product.clone()), ("hash", hash.clone())],
            incoming,
            &[],
        )
        .map(drop)
    })
}
