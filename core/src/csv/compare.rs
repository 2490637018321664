//! What a built product changes on the store's product, cell by cell, so a dry run can
//! show it and an unchanged product is not written at all.

use super::build::BuiltProduct;
use super::columns::Column;
use super::export::amount_text;
use super::paths::CategoryPaths;
use super::report::{ChangeCounts, ChangeKind, FieldChange};
use crate::catalog::{Product, VariantSpec};
use crate::money::Money;

pub(crate) struct Comparison {
    pub kind: ChangeKind,
    pub fields: Vec<FieldChange>,
    pub variants: ChangeCounts,
}

/// The comparison covers exactly the fields `save_product` writes, so "unchanged"
/// here means saving would change nothing. (Variant positions are left out: the file
/// never reorders existing variants.)
pub(crate) fn compare(
    current: Option<&Product>,
    built: &BuiltProduct,
    categories: &CategoryPaths,
) -> Comparison {
    let spec = &built.spec;
    let Some(current) = current else {
        return Comparison {
            kind: ChangeKind::Create,
            fields: Vec::new(),
            variants: ChangeCounts {
                created: spec.variants.len(),
                ..ChangeCounts::default()
            },
        };
    };
    let mut fields = Changes {
        list: Vec::new(),
        row: built.first_row,
    };
    fields.check(Column::Name, &current.name, &spec.name);
    fields.check(Column::Description, &current.description, &spec.description);
    let path = |id: Option<uuid::Uuid>| {
        id.map(|id| {
            categories
                .path(id)
                .unwrap_or("(unknown category)")
                .to_owned()
        })
        .unwrap_or_default()
    };
    fields.check(
        Column::Category,
        &path(current.category_id),
        &path(spec.category_id),
    );
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    fields.check(
        Column::TaxClass,
        &text(&current.tax_class),
        &text(&spec.tax_class),
    );
    fields.check(
        Column::HsnCode,
        &text(&current.hsn_code),
        &text(&spec.hsn_code),
    );
    fields.check(
        Column::Status,
        current.status.as_str(),
        spec.status.as_str(),
    );
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    fields.check(
        Column::ShowOnStorefront,
        yes_no(current.show_on_storefront),
        yes_no(spec.show_on_storefront),
    );
    for (i, column) in Column::OPTION_NAMES.into_iter().enumerate() {
        let name = |names: &[String]| names.get(i).cloned().unwrap_or_default();
        fields.check(
            column,
            &name(&current.option_names),
            &name(&spec.option_names),
        );
    }

    let mut variants = ChangeCounts::default();
    for (i, wanted) in spec.variants.iter().enumerate() {
        let row = built.variant_rows.get(i).copied().flatten();
        let Some(old) = current.variants.iter().find(|v| Some(v.id) == wanted.id) else {
            variants.created += 1;
            continue;
        };
        let before = fields.list.len();
        fields.row = row.unwrap_or(built.first_row);
        for (j, column) in Column::OPTION_VALUES.into_iter().enumerate() {
            let value = |values: &[String]| values.get(j).cloned().unwrap_or_default();
            fields.check(
                column,
                &value(&old.option_values),
                &value(&wanted.option_values),
            );
        }
        fields.check(Column::Sku, &text(&old.sku), &text(&wanted.sku));
        // An amount kept in another currency than the shop's is a change too; the
        // code is shown only then.
        let shop = wanted.price.currency();
        let money = |m: Money| {
            if m.currency() == shop {
                amount_text(m)
            } else {
                m.to_string()
            }
        };
        fields.check(Column::Price, &money(old.price), &money(wanted.price));
        let cost = |c: Option<Money>| c.map(money).unwrap_or_default();
        fields.check(Column::Cost, &cost(old.cost), &cost(wanted.cost));
        // Barcodes are a set: the order in the cell does not matter.
        let mut old_codes = old.barcodes.clone();
        old_codes.sort();
        let mut new_codes = codes(wanted);
        new_codes.sort();
        fields.check(Column::Barcodes, &old_codes.join(" "), &new_codes.join(" "));
        if fields.list.len() > before {
            variants.updated += 1;
        } else if row.is_some() {
            variants.unchanged += 1;
        }
    }
    let kind = if fields.list.is_empty() && variants.created == 0 {
        ChangeKind::Unchanged
    } else {
        ChangeKind::Update
    };
    Comparison {
        kind,
        fields: fields.list,
        variants,
    }
}

fn codes(variant: &VariantSpec) -> Vec<String> {
    variant
        .barcodes
        .iter()
        .map(|b| b.as_str().to_owned())
        .collect()
}

struct Changes {
    list: Vec<FieldChange>,
    row: u32,
}

impl Changes {
    fn check(&mut self, column: Column, before: &str, after: &str) {
        if before != after {
            self.list.push(FieldChange {
                row: self.row,
                column: column.name().to_owned(),
                before: before.to_owned(),
                after: after.to_owned(),
            });
        }
    }
}
