//! Catalog search on real SQLite files: what it finds, in what order, with which
//! filters, and that the index follows every kind of edit.
#![allow(clippy::unwrap_used)]

use galla_core::barcode::check_digit;
use galla_core::demo::{GeneratedProduct, GeneratedVariant};
use galla_core::{
    Actor, CatalogError, Error, ProductDraft, ProductFields, ProductHit, ProductQuery,
    ProductStatus, Store,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

const NOW: u64 = 1_763_700_000_000;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_in(dir.path()).unwrap();
    (dir, store)
}

/// The first-start owner, for the tests that write through the catalog's ordinary
/// methods. One per store: PIN hashing is slow on purpose.
fn owner(store: &mut Store) -> Actor {
    store.create_first_owner("Asha", "2580", NOW).unwrap()
}

fn draft(name: &str, price: &str, sku: &str, barcode: &str) -> ProductDraft {
    ProductDraft::parse(
        &ProductFields {
            name,
            price,
            sku,
            barcode,
        },
        galla_core::Currency::INR,
    )
    .unwrap()
}

/// A valid EAN-13 from a 12-digit body.
fn ean13(body: &str) -> String {
    format!("{body}{}", check_digit(body))
}

/// A product for `load_generated_catalog`, which is the one write path that can set a
/// category, a description and options today. `variants`: (option values, SKU, barcode).
fn item(
    name: &str,
    category: &[&str],
    options: &[&str],
    variants: &[(&[&str], &str, &str)],
) -> GeneratedProduct {
    GeneratedProduct {
        name: name.to_owned(),
        description: String::new(),
        category: category.iter().map(|c| (*c).to_owned()).collect(),
        status: ProductStatus::Active,
        option_names: options.iter().map(|o| (*o).to_owned()).collect(),
        variants: variants
            .iter()
            .map(|(values, sku, barcode)| GeneratedVariant {
                option_values: values.iter().map(|v| (*v).to_owned()).collect(),
                sku: (*sku).to_owned(),
                price_minor: 100_000,
                barcode: (*barcode).to_owned(),
            })
            .collect(),
    }
}

fn search(store: &Store, text: &str) -> Vec<ProductHit> {
    store.search_products(&ProductQuery::text(text)).unwrap()
}

fn names(hits: &[ProductHit]) -> Vec<&str> {
    hits.iter().map(|h| h.name.as_str()).collect()
}

/// Names found for `text`, sorted, for tests where the order is not the point.
fn found(store: &Store, text: &str) -> Vec<String> {
    let mut found: Vec<String> = search(store, text).into_iter().map(|h| h.name).collect();
    found.sort();
    found
}

#[test]
fn every_word_matches_as_the_start_of_a_word_in_any_order() {
    let (_dir, mut store) = store();
    let owner = owner(&mut store);
    for name in [
        "Silk Saree",
        "Cotton Saree",
        "Silk Dupatta",
        "Sambar Powder",
    ] {
        store
            .create_product(&owner, &draft(name, "10", "", ""), NOW)
            .unwrap();
    }
    assert_eq!(found(&store, "sil sar"), ["Silk Saree"]);
    assert_eq!(
        found(&store, "SAR sil"),
        ["Silk Saree"],
        "order and case do not matter"
    );
    assert_eq!(
        found(&store, "sa"),
        ["Cotton Saree", "Sambar Powder", "Silk Saree"]
    );
    assert_eq!(
        found(&store, "silk cotton"),
        Vec::<String>::new(),
        "every word must match"
    );
    assert_eq!(
        found(&store, "ilk"),
        Vec::<String>::new(),
        "the start of a word, not the middle"
    );
}

#[test]
fn accents_and_case_are_ignored_both_ways() {
    let (_dir, mut store) = store();
    let owner = owner(&mut store);
    store
        .create_product(&owner, &draft("Sārī Banārasī", "10", "", ""), NOW)
        .unwrap();
    store
        .create_product(&owner, &draft("Café Mocha", "10", "", ""), NOW)
        .unwrap();
    // The same accents as combining marks, as some keyboards and pastes produce them.
    store
        .create_product(&owner, &draft("Cre\u{0301}me Brulee", "10", "", ""), NOW)
        .unwrap();
    store
        .create_product(&owner, &draft("लाल साड़ी", "10", "", ""), NOW)
        .unwrap();
    assert_eq!(found(&store, "sari"), ["Sārī Banārasī"]);
    assert_eq!(found(&store, "BANARASI"), ["Sārī Banārasī"]);
    assert_eq!(found(&store, "cafe"), ["Café Mocha"]);
    assert_eq!(found(&store, "CAFÉ moc"), ["Café Mocha"]);
    assert_eq!(found(&store, "crème"), ["Cre\u{0301}me Brulee"]);
    assert_eq!(found(&store, "creme"), ["Cre\u{0301}me Brulee"]);
    assert_eq!(
        found(&store, "साड़ी"),
        ["लाल साड़ी"],
        "a word with Indic vowel signs stays one word"
    );
}

#[test]
fn skus_barcodes_categories_and_option_values_are_searchable() {
    let (_dir, mut store) = store();
    let code = ean13("890100000001");
    store
        .load_generated_catalog(
            [
                item(
                    "Kanjeevaram Saree",
                    &["Sarees", "Silk"],
                    &["Colour"],
                    &[
                        (&["Red"], "SAR-RED", &code),
                        (&["Peacock Blue"], "SAR-BLU", &ean13("890100000002")),
                    ],
                ),
                item(
                    "Straight Kurta",
                    &["Kurtas", "Women"],
                    &["Size", "Colour"],
                    &[(&["XL", "Black"], "KUR-XL", &ean13("890100000003"))],
                ),
            ]
            .into_iter(),
            NOW,
        )
        .unwrap();
    assert_eq!(
        found(&store, "silk"),
        ["Kanjeevaram Saree"],
        "by its category"
    );
    assert_eq!(
        found(&store, "sarees"),
        ["Kanjeevaram Saree"],
        "by its parent category"
    );
    assert_eq!(
        found(&store, "peacock"),
        ["Kanjeevaram Saree"],
        "by an option value"
    );
    assert_eq!(
        found(&store, "xl black"),
        ["Straight Kurta"],
        "by two option values"
    );
    assert_eq!(found(&store, "women kurta"), ["Straight Kurta"]);
    assert_eq!(
        found(&store, "sar-blu"),
        ["Kanjeevaram Saree"],
        "by SKU, any case"
    );
    assert_eq!(
        found(&store, "KUR"),
        ["Straight Kurta"],
        "by the start of a SKU"
    );
    assert_eq!(found(&store, &code), ["Kanjeevaram Saree"], "by barcode");
    assert_eq!(
        found(&store, "8901000000"),
        ["Kanjeevaram Saree", "Straight Kurta"]
    );
    assert_eq!(found(&store, "red xl"), Vec::<String>::new());
}

#[test]
fn a_hit_shows_the_matched_variant_or_else_the_first() {
    let (_dir, mut store) = store();
    let red = ean13("890100000011");
    let blue = ean13("890100000012");
    store
        .load_generated_catalog(
            [item(
                "Chiffon Dupatta",
                &["Dupattas"],
                &["Colour"],
                &[(&["Red"], "DUP-R", &red), (&["Blue"], "DUP-B", &blue)],
            )]
            .into_iter(),
            NOW,
        )
        .unwrap();
    let first = &search(&store, "dupatta")[0];
    assert_eq!(
        (
            first.sku.as_deref(),
            first.barcode.as_deref(),
            first.variant_count
        ),
        (Some("DUP-R"), Some(red.as_str()), 2)
    );
    assert_eq!(first.category.as_deref(), Some("Dupattas"));
    assert_eq!(first.price.map(|p| p.minor()), Some(100_000));
    assert_eq!(
        first
            .price
            .map(|p| p.currency().code().to_owned())
            .as_deref(),
        Some("INR")
    );
    let by_sku = &search(&store, "dup-b")[0];
    assert_eq!(
        by_sku.sku.as_deref(),
        Some("DUP-B"),
        "the typed SKU's variant"
    );
    let by_barcode = &search(&store, &blue)[0];
    assert_eq!(
        (by_barcode.sku.as_deref(), by_barcode.barcode.as_deref()),
        (Some("DUP-B"), Some(blue.as_str()))
    );
}

#[test]
fn an_exact_sku_or_barcode_comes_first_then_names_outrank_other_fields() {
    let (_dir, mut store) = store();
    let owner = owner(&mut store);
    store
        .create_product(&owner, &draft("Assam Tea 1 kg", "10", "", ""), NOW)
        .unwrap();
    store
        .create_product(
            &owner,
            &draft("Gift Box", "10", "TEA-1", "4006381333931"),
            NOW,
        )
        .unwrap();
    assert_eq!(
        names(&search(&store, "tea-1")),
        ["Gift Box", "Assam Tea 1 kg"],
        "the exact SKU first, though the other has both words in its name"
    );
    assert_eq!(
        names(&search(&store, "tea")),
        ["Assam Tea 1 kg", "Gift Box"]
    );
    store
        .create_product(
            &owner,
            &draft("Tea Strainer 4006381333931", "10", "", ""),
            NOW,
        )
        .unwrap();
    assert_eq!(
        names(&search(&store, "4006381333931"))[0],
        "Gift Box",
        "the exact barcode first"
    );
}

#[test]
fn equal_scores_are_ordered_by_name_on_every_page() {
    let (_dir, mut store) = store();
    // 420 products that score the same for "plain", more than one page plus the
    // spare rows the search scores beyond it, in an order unlike their names.
    let products: Vec<GeneratedProduct> = (0..420)
        .map(|i| {
            let code = ean13(&format!("89020{:07}", i));
            item(
                &format!("Plain Tea {:03}", (i * 7919) % 1000),
                &["Tea"],
                &[],
                &[(&[], &format!("PT-{i}"), &code)],
            )
        })
        .collect();
    store
        .load_generated_catalog(products.into_iter(), NOW)
        .unwrap();
    let mut expected: Vec<String> = (0..420)
        .map(|i| format!("Plain Tea {:03}", (i * 7919) % 1000))
        .collect();
    expected.sort();
    let mut seen = Vec::new();
    for page in 0..5 {
        let hits = store
            .search_products(&ProductQuery {
                text: "plain".into(),
                limit: 100,
                offset: page * 100,
                ..ProductQuery::default()
            })
            .unwrap();
        seen.extend(hits.into_iter().map(|h| h.name));
    }
    assert_eq!(
        seen, expected,
        "ties in order of name, pages without gaps or repeats"
    );
    let past_the_end = store
        .search_products(&ProductQuery {
            text: "plain".into(),
            offset: u32::MAX,
            ..ProductQuery::default()
        })
        .unwrap();
    assert!(past_the_end.is_empty());
}

#[test]
fn filters_by_category_with_its_sub_categories_and_by_status() {
    let (_dir, mut store) = store();
    let mut draft_item = item(
        "Silk Saree draft",
        &["Sarees", "Silk"],
        &[],
        &[(&[], "S-3", &ean13("890100000023"))],
    );
    draft_item.status = ProductStatus::Draft;
    let mut archived_item = item(
        "Silk Saree old",
        &["Sarees"],
        &[],
        &[(&[], "S-4", &ean13("890100000024"))],
    );
    archived_item.status = ProductStatus::Archived;
    store
        .load_generated_catalog(
            [
                item(
                    "Silk Saree",
                    &["Sarees", "Silk"],
                    &[],
                    &[(&[], "S-1", &ean13("890100000021"))],
                ),
                item(
                    "Silk Dupatta",
                    &["Dupattas"],
                    &[],
                    &[(&[], "S-2", &ean13("890100000022"))],
                ),
                draft_item,
                archived_item,
            ]
            .into_iter(),
            NOW,
        )
        .unwrap();
    let sarees = store
        .categories()
        .unwrap()
        .into_iter()
        .find(|c| c.name == "Sarees")
        .unwrap();
    let in_sarees = |text: &str, status| {
        let mut names: Vec<String> = store
            .search_products(&ProductQuery {
                text: text.into(),
                category: Some(sarees.id),
                status,
                ..ProductQuery::default()
            })
            .unwrap()
            .into_iter()
            .map(|h| h.name)
            .collect();
        names.sort();
        names
    };
    assert_eq!(
        in_sarees("silk", None),
        ["Silk Saree", "Silk Saree draft"],
        "sub-categories are included; archived is left out unless asked for"
    );
    assert_eq!(
        in_sarees("", None),
        ["Silk Saree", "Silk Saree draft"],
        "the list too"
    );
    assert_eq!(
        in_sarees("silk", Some(ProductStatus::Archived)),
        ["Silk Saree old"]
    );
    assert_eq!(
        in_sarees("", Some(ProductStatus::Draft)),
        ["Silk Saree draft"]
    );
    assert_eq!(
        in_sarees("silk", Some(ProductStatus::Active)),
        ["Silk Saree"]
    );
    assert_eq!(in_sarees("", Some(ProductStatus::Active)), ["Silk Saree"]);
    assert_eq!(
        in_sarees("S-2", None),
        Vec::<String>::new(),
        "not in Sarees"
    );
    assert_eq!(
        found(&store, "silk"),
        ["Silk Dupatta", "Silk Saree", "Silk Saree draft"],
        "no category filter, archived left out"
    );
}

#[test]
fn the_plain_list_is_newest_first_and_pages_through() {
    let (_dir, mut store) = store();
    let owner = owner(&mut store);
    for name in ["A", "B", "C", "D", "E"] {
        store
            .create_product(&owner, &draft(name, "1", "", ""), NOW)
            .unwrap();
    }
    let page = |offset, limit| {
        store
            .search_products(&ProductQuery {
                text: "  ".into(),
                limit,
                offset,
                ..ProductQuery::default()
            })
            .unwrap()
            .into_iter()
            .map(|h| h.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(page(0, 50), ["E", "D", "C", "B", "A"]);
    assert_eq!(page(1, 2), ["D", "C"]);
    assert_eq!(page(0, 0), ["E"], "a page has at least one row");
    assert_eq!(page(u32::MAX, 500), Vec::<String>::new());
}

#[test]
fn edits_are_found_at_once_and_old_values_no_longer_match() {
    let (_dir, mut store) = store();
    let owner = owner(&mut store);
    let tea = store
        .create_product(
            &owner,
            &draft("Masala Chai", "10", "CHAI-1", "4006381333931"),
            NOW,
        )
        .unwrap();
    store
        .update_product(
            &owner,
            tea.id,
            &draft("Ginger Chai", "10", "GC-1", "8901030865237"),
            NOW + 1,
        )
        .unwrap();
    assert_eq!(found(&store, "ginger"), ["Ginger Chai"]);
    assert_eq!(
        found(&store, "masala"),
        Vec::<String>::new(),
        "the old name"
    );
    assert_eq!(found(&store, "gc-1"), ["Ginger Chai"]);
    assert_eq!(
        found(&store, "chai-1").len(),
        1,
        "still a chai, but no SKU CHAI-1"
    );
    assert_eq!(search(&store, "chai-1")[0].sku.as_deref(), Some("GC-1"));
    assert_eq!(
        found(&store, "4006381333931"),
        Vec::<String>::new(),
        "a removed barcode"
    );
    assert_eq!(store.find_by_barcode("4006381333931").unwrap(), None);
    assert_eq!(found(&store, "8901030865237"), ["Ginger Chai"]);

    store
        .set_product_status(&owner, tea.id, ProductStatus::Archived, NOW + 2)
        .unwrap();
    assert_eq!(found(&store, "ginger"), Vec::<String>::new(), "archived");
    store
        .set_product_status(&owner, tea.id, ProductStatus::Active, NOW + 3)
        .unwrap();
    assert_eq!(found(&store, "ginger"), ["Ginger Chai"], "back again");
}

#[test]
fn renaming_or_moving_a_category_reindexes_everything_below_it() {
    let (_dir, mut store) = store();
    let owner = owner(&mut store);
    store
        .load_generated_catalog(
            [item(
                "Kanjeevaram",
                &["Sarees", "Silk"],
                &[],
                &[(&[], "K-1", &ean13("890100000031"))],
            )]
            .into_iter(),
            NOW,
        )
        .unwrap();
    let tree = store.categories().unwrap();
    let sarees = tree.iter().find(|c| c.name == "Sarees").unwrap().id;
    let silk = tree.iter().find(|c| c.name == "Silk").unwrap().id;
    store
        .rename_category(&owner, sarees, "Saris", NOW + 1)
        .unwrap();
    assert_eq!(
        found(&store, "saris"),
        ["Kanjeevaram"],
        "the parent's new name"
    );
    assert_eq!(
        found(&store, "sarees"),
        Vec::<String>::new(),
        "not its old one"
    );

    let wedding = store
        .create_category(&owner, "Wedding", None, NOW + 2)
        .unwrap();
    store
        .move_category(&owner, silk, Some(wedding.id), NOW + 3)
        .unwrap();
    assert_eq!(found(&store, "wedding silk"), ["Kanjeevaram"]);
    assert_eq!(found(&store, "saris"), Vec::<String>::new());
    let in_wedding = store
        .search_products(&ProductQuery {
            text: "kanj".into(),
            category: Some(wedding.id),
            ..ProductQuery::default()
        })
        .unwrap();
    assert_eq!(
        names(&in_wedding),
        ["Kanjeevaram"],
        "the category filter follows the move"
    );

    store
        .rename_category(&owner, silk, "Pure Silk", NOW + 4)
        .unwrap();
    assert_eq!(found(&store, "pure"), ["Kanjeevaram"]);
}

#[test]
fn changes_written_by_any_connection_are_indexed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    store
        .load_generated_catalog(
            [item(
                "Bandhani Dupatta",
                &["Dupattas"],
                &["Colour"],
                &[
                    (&["Red"], "BD-R", &ean13("890100000041")),
                    (&["Green"], "BD-G", &ean13("890100000042")),
                ],
            )]
            .into_iter(),
            NOW,
        )
        .unwrap();
    // As sync or a repair tool would write: straight to the tables.
    let conn = rusqlite::Connection::open(dir.path().join("galla.sqlite3")).unwrap();
    conn.execute_batch(
        "UPDATE products SET description = 'Tie-dyed in Jamnagar';
         UPDATE variants SET status = 'archived' WHERE sku = 'BD-G';
         UPDATE variants SET options = '[\"Maroon\"]' WHERE sku = 'BD-R';",
    )
    .unwrap();
    assert_eq!(found(&store, "jamnagar"), ["Bandhani Dupatta"]);
    assert_eq!(
        found(&store, "green"),
        Vec::<String>::new(),
        "an archived variant"
    );
    assert_eq!(found(&store, "bd-g"), Vec::<String>::new());
    assert_eq!(found(&store, &ean13("890100000042")), Vec::<String>::new());
    assert_eq!(store.find_by_barcode(&ean13("890100000042")).unwrap(), None);
    assert_eq!(found(&store, "maroon"), ["Bandhani Dupatta"]);
    assert_eq!(found(&store, "red"), Vec::<String>::new());
    let hit = &search(&store, "bandhani")[0];
    assert_eq!((hit.sku.as_deref(), hit.variant_count), (Some("BD-R"), 1));
}

#[test]
fn the_barcode_lookup_is_exact_and_forgiving_of_white_space() {
    let (_dir, mut store) = store();
    let owner = owner(&mut store);
    let saree = store
        .create_product(&owner, &draft("Saree", "10", "", "8901030865237"), NOW)
        .unwrap();
    let variant = saree.variants[0].id;
    assert_eq!(
        store.find_by_barcode(" 8901030865237\r\n").unwrap(),
        Some((saree.id, variant)),
        "a scanner's Enter and stray spaces"
    );
    assert_eq!(
        store.find_by_barcode("890103086523").unwrap(),
        None,
        "no prefixes"
    );
    assert_eq!(store.find_by_barcode("").unwrap(), None);
    assert_eq!(
        store.find_by_barcode("'; DROP TABLE barcodes; --").unwrap(),
        None
    );
    store
        .update_product(&owner, saree.id, &draft("Saree", "10", "", ""), NOW + 1)
        .unwrap();
    assert_eq!(
        store.find_by_barcode("8901030865237").unwrap(),
        None,
        "removed"
    );
}

#[test]
fn products_of_a_file_from_before_search_are_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("galla.sqlite3");
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    galla_core::store::migrations_for_tests::migrate_to(&mut conn, &path, 4).unwrap();
    // Rows as the version-4 app wrote them.
    let hlc = "001763700000000-0000000000-00000000000000000000000000000001";
    conn.execute_batch(&format!(
        "INSERT INTO categories (id, parent_id, name, created_hlc, updated_hlc) VALUES
           ('019a0000-0000-7000-8000-0000000000c1', NULL, 'Sarees', '{hlc}', '{hlc}'),
           ('019a0000-0000-7000-8000-0000000000c2', '019a0000-0000-7000-8000-0000000000c1', 'Silk', '{hlc}', '{hlc}');
         INSERT INTO products (id, name, description, category_id, status, created_hlc, updated_hlc) VALUES
           ('019a0000-0000-7000-8000-000000000001', 'Sārī', 'Handwoven', '019a0000-0000-7000-8000-0000000000c2', 'active', '{hlc}', '{hlc}'),
           ('019a0000-0000-7000-8000-000000000002', 'Tea', '', NULL, 'archived', '{hlc}', '{hlc}');
         INSERT INTO variants (id, product_id, options, sku, price_minor, currency, created_hlc, updated_hlc) VALUES
           ('019a0000-0000-7000-8000-0000000000a1', '019a0000-0000-7000-8000-000000000001', '[\"Red\"]', 'SAR-1', 129950, 'INR', '{hlc}', '{hlc}'),
           ('019a0000-0000-7000-8000-0000000000a2', '019a0000-0000-7000-8000-000000000002', '[]', NULL, 1000, 'INR', '{hlc}', '{hlc}');
         INSERT INTO barcodes (code, variant_id, kind, updated_hlc) VALUES
           ('8901030865237', '019a0000-0000-7000-8000-0000000000a1', 'ean13', '{hlc}');"
    ))
    .unwrap();
    drop(conn);

    let store = Store::open(&path).unwrap();
    for text in [
        "sari",
        "handwoven",
        "sarees silk",
        "red",
        "sar-1",
        "8901030865237",
    ] {
        assert_eq!(
            found(&store, text),
            ["Sārī"],
            "{text:?} after the migration"
        );
    }
    let archived = store
        .search_products(&ProductQuery {
            text: "tea".into(),
            status: Some(ProductStatus::Archived),
            ..ProductQuery::default()
        })
        .unwrap();
    assert_eq!(names(&archived), ["Tea"]);
    assert!(store.find_by_barcode("8901030865237").unwrap().is_some());
}

const HOSTILE: &[&str] = &[
    "\"",
    "\"\"",
    "*",
    "**",
    "\"*",
    "NEAR(",
    "NEAR(a b, 2)",
    "a OR b",
    "a AND b",
    "NOT a",
    "col:x",
    "name:silk",
    "{name}: silk",
    "^silk",
    "-silk",
    "+silk",
    "silk*",
    "(silk",
    "silk)",
    "a:b:c",
    "'",
    "';--",
    "\\",
    "\u{0}",
    "\u{0}silk",
    "\u{1b}[2J",
    "\u{feff}",
    "\u{202e}evil",
    "☃",
    "🙂 saree",
    "e\u{0301}",
    "\u{0301}",
    "x\u{200b}y",
    "–—",
    "NULL",
];

#[test]
fn hostile_input_is_only_text() {
    let (_dir, mut store) = store();
    let owner = owner(&mut store);
    store
        .create_product(&owner, &draft("Silk Saree", "10", "A-1", ""), NOW)
        .unwrap();
    let essay = "silk ".repeat(2_000);
    let long_word = "s".repeat(10_000);
    for text in HOSTILE
        .iter()
        .copied()
        .chain([essay.as_str(), long_word.as_str()])
    {
        let result = store.search_products(&ProductQuery::text(text));
        assert!(result.is_ok(), "{text:?} gave {result:?}");
        assert!(store.find_by_barcode(text).is_ok());
    }
    assert_eq!(
        found(&store, "NEAR(silk"),
        Vec::<String>::new(),
        "NEAR is a word here"
    );
    assert_eq!(
        found(&store, "name:silk"),
        Vec::<String>::new(),
        "name is a word here"
    );
    assert_eq!(found(&store, "\"silk\""), ["Silk Saree"]);
    assert_eq!(found(&store, "-silk"), ["Silk Saree"], "no NOT");
}

#[test]
fn any_text_searches_without_error() {
    let (_dir, mut store) = store();
    let owner = owner(&mut store);
    store
        .create_product(&owner, &draft("Silk Saree", "10", "A-1", ""), NOW)
        .unwrap();
    let pieces = prop_oneof![
        any::<String>(),
        proptest::sample::select(HOSTILE).prop_map(str::to_owned),
        "[a-zA-Z0-9 \"*:^()+\\-{}.,']{0,24}",
    ];
    let text = proptest::collection::vec(pieces, 0..6).prop_map(|p| p.concat());
    let mut runner = TestRunner::new(Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&text, |text| {
            let result = store.search_products(&ProductQuery::text(&text));
            prop_assert!(result.is_ok(), "{:?} gave {:?}", text, result);
            prop_assert!(store.find_by_barcode(&text).is_ok());
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_loaded_catalog_has_the_rows_of_ordinary_writes_but_is_not_queued_for_sync() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let owner = owner(&mut store);
    let made = store
        .create_product(
            &owner,
            &draft("Made by hand", "10", "HAND-1", "4006381333931"),
            NOW,
        )
        .unwrap();
    let queued = store.pending_changes().unwrap().len();
    let loaded = store
        .load_generated_catalog(galla_core::demo::generate_catalog(3, 200), NOW + 1)
        .unwrap();
    assert_eq!(loaded.products, 200);
    assert!(loaded.categories_created > 5, "{loaded:?}");
    assert_eq!(
        store.pending_changes().unwrap().len(),
        queued,
        "demo data is local-only: nothing queued for sync"
    );
    let conn = rusqlite::Connection::open(dir.path().join("galla.sqlite3")).unwrap();
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        count("SELECT count(*) FROM variants"),
        1 + loaded.variants as i64
    );
    assert_eq!(
        count("SELECT count(*) FROM barcodes"),
        1 + loaded.variants as i64
    );
    // The same row shape as `create_product` made: defaults left as it leaves them,
    // one clock stamp for the creation.
    let shape = "SELECT p.tax_class IS NULL, p.hsn_code IS NULL, p.show_on_storefront,
                        p.created_hlc = p.updated_hlc, v.cost_minor IS NULL, v.status, v.currency,
                        b.kind, b.generated, b.status, b.updated_hlc = p.created_hlc
                 FROM products p JOIN variants v ON v.product_id = p.id
                 JOIN barcodes b ON b.variant_id = v.id WHERE p.id = ?1 AND v.position = 0";
    type Shape = (
        bool,
        bool,
        i64,
        bool,
        bool,
        String,
        String,
        String,
        i64,
        String,
        bool,
    );
    let shape_of = |id: &str| -> Shape {
        conn.query_row(shape, [id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
                r.get(10)?,
            ))
        })
        .unwrap()
    };
    let generated_id: String = conn
        .query_row(
            "SELECT id FROM products WHERE id <> ?1 AND status = 'active' LIMIT 1",
            [made.id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(shape_of(&generated_id), shape_of(&made.id.to_string()));
    // Every field an ordinary write stamps has a clock, for every loaded row.
    let clocks = |entity: &str, fields: &str| {
        count(&format!(
            "SELECT count(*) FROM field_clocks WHERE entity = '{entity}' AND field IN ({fields})"
        ))
    };
    assert_eq!(
        clocks("product", "'name', 'status', 'option_names'"),
        3 * 201
    );
    assert_eq!(
        clocks(
            "variant",
            "'product_id', 'sku', 'price_minor', 'currency', 'option_values'"
        ),
        5 * (1 + loaded.variants as i64)
    );
    assert_eq!(
        clocks("barcode", "'variant_id', 'kind', 'generated', 'status'"),
        4 * (1 + loaded.variants as i64)
    );
    assert_eq!(
        clocks("category", "'name', 'parent_id', 'status'"),
        3 * loaded.categories_created as i64
    );
    assert!(
        !search(&store, "saree").is_empty(),
        "loaded products are searchable"
    );
    assert_eq!(
        count("SELECT count(*) FROM search_index_paused"),
        0,
        "the load's pause of the search triggers ends with it"
    );
    store
        .create_product(&owner, &draft("After the load", "1", "", ""), NOW + 2)
        .unwrap();
    assert_eq!(found(&store, "after load"), ["After the load"]);
}

#[test]
fn a_load_that_clashes_writes_nothing() {
    let (_dir, mut store) = store();
    let owner = owner(&mut store);
    store
        .create_product(&owner, &draft("Mine", "10", "SAR-000000-1", ""), NOW)
        .unwrap();
    let mut catalog: Vec<GeneratedProduct> = galla_core::demo::generate_catalog(5, 3).collect();
    catalog[2].variants[0].sku = "sar-000000-1".into();
    let clash = store.load_generated_catalog(catalog.into_iter(), NOW);
    assert!(
        matches!(clash, Err(Error::Catalog(CatalogError::SkuTaken(_)))),
        "{clash:?}"
    );
    assert_eq!(
        store.list_products(true).unwrap().len(),
        1,
        "all or nothing"
    );
    assert!(store.categories().unwrap().is_empty());
    assert_eq!(found(&store, "mine"), ["Mine"]);
    store
        .create_product(&owner, &draft("Yours", "1", "", ""), NOW + 1)
        .unwrap();
    assert_eq!(
        found(&store, "yours"),
        ["Yours"],
        "the index is not left paused"
    );
}
