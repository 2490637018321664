//! The full product editor's write path (`save_product`) on real SQLite files.
#![allow(clippy::unwrap_used)]

use galla_core::barcode::Barcode;
use galla_core::catalog::{ProductForm, ProductSpec, VariantForm};
use galla_core::store::INTERNAL_PREFIX;
use galla_core::{CatalogError, Currency, Error, Product, Store};

const NOW: u64 = 1_763_700_000_000;

fn variant(values: &[&str], sku: &str, price: &str, barcodes: &[&str]) -> VariantForm {
    VariantForm {
        id: None,
        option_values: values.iter().map(|v| (*v).to_owned()).collect(),
        sku: sku.to_owned(),
        price: price.to_owned(),
        cost: String::new(),
        barcodes: barcodes.iter().map(|b| (*b).to_owned()).collect(),
    }
}

fn kurta_form(category: Option<galla_core::id::Uuid>) -> ProductForm {
    ProductForm {
        name: "Cotton kurta".into(),
        description: "Hand block printed.\nMachine wash cold.".into(),
        category_id: category,
        hsn_code: "6211".into(),
        show_on_storefront: true,
        option_names: vec!["Size".into(), "Colour".into()],
        variants: vec![
            variant(&["M", "Indigo"], "KUR-M-IND", "899", &[]),
            variant(&["L", "Indigo"], "KUR-L-IND", "949.50", &["8901030865237"]),
        ],
        ..ProductForm::default()
    }
}

fn spec(form: &ProductForm) -> ProductSpec {
    ProductSpec::parse(form, Currency::INR).unwrap()
}

/// The form that would show `product` in the editor, as the UI would fill it.
fn form_of(product: &Product) -> ProductForm {
    ProductForm {
        name: product.name.clone(),
        description: product.description.clone(),
        category_id: product.category_id,
        tax_class: product.tax_class.clone().unwrap_or_default(),
        hsn_code: product.hsn_code.clone().unwrap_or_default(),
        status: Some(product.status),
        show_on_storefront: product.show_on_storefront,
        option_names: product.option_names.clone(),
        variants: product
            .variants
            .iter()
            .map(|v| VariantForm {
                id: Some(v.id),
                option_values: v.option_values.clone(),
                sku: v.sku.clone().unwrap_or_default(),
                price: (v.price.minor() / 100).to_string()
                    + "."
                    + &format!("{:02}", v.price.minor() % 100),
                cost: v
                    .cost
                    .map(|c| (c.minor() / 100).to_string())
                    .unwrap_or_default(),
                barcodes: v.barcodes.clone(),
            })
            .collect(),
    }
}

fn field_error(result: Result<Product, Error>) -> (String, CatalogError) {
    match result {
        Err(Error::Catalog(CatalogError::Invalid(e))) => (e.field, e.error),
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[test]
fn a_product_with_two_variants_and_a_category_is_kept_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let category = store.create_category("Kurtas", None, NOW).unwrap();
    let saved = store
        .save_product(None, &spec(&kurta_form(Some(category.id))), NOW)
        .unwrap();
    drop(store);

    let store = Store::open_in(dir.path()).unwrap();
    let kurta = store.product(saved.id).unwrap().unwrap();
    assert_eq!(kurta.category_id, Some(category.id));
    assert_eq!(kurta.option_names, ["Size", "Colour"]);
    assert_eq!(
        kurta.description, "Hand block printed.\nMachine wash cold.",
        "line breaks are kept"
    );
    assert_eq!(kurta.hsn_code.as_deref(), Some("6211"));
    assert!(kurta.show_on_storefront);
    let m = &kurta.variants[0];
    assert_eq!(
        (m.option_values.clone(), m.price.minor()),
        (vec!["M".to_owned(), "Indigo".to_owned()], 89_900)
    );
    assert_eq!(
        kurta.variants[1].barcodes,
        ["8901030865237"],
        "a given barcode is kept as is"
    );
    let internal = &m.barcodes[0];
    assert!(
        internal.starts_with(INTERNAL_PREFIX),
        "{internal} should be an internal code"
    );
    assert!(
        Barcode::parse(internal).is_ok(),
        "an internal code is a valid EAN-13: {internal}"
    );
}

#[test]
fn internal_barcodes_are_never_handed_out_twice() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let mut codes = std::collections::HashSet::new();
    for i in 0..20 {
        let form = ProductForm {
            name: format!("Item {i}"),
            variants: vec![variant(&[], "", "1", &[])],
            ..ProductForm::default()
        };
        let product = store.save_product(None, &spec(&form), NOW).unwrap();
        assert!(codes.insert(product.variants[0].barcodes[0].clone()));
    }
    drop(store);
    let mut store = Store::open_in(dir.path()).unwrap();
    let form = ProductForm {
        name: "After restart".into(),
        variants: vec![variant(&[], "", "1", &[])],
        ..ProductForm::default()
    };
    let product = store.save_product(None, &spec(&form), NOW).unwrap();
    assert!(
        codes.insert(product.variants[0].barcodes[0].clone()),
        "the sequence survives a restart"
    );
}

#[test]
fn editing_changes_adds_and_archives_variants() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let kurta = store
        .save_product(None, &spec(&kurta_form(None)), NOW)
        .unwrap();
    let removed = kurta.variants[0].clone();
    let before = store.pending_changes().unwrap().len();

    let mut form = form_of(&kurta);
    form.variants.remove(0);
    form.variants[0].price = "999".into();
    form.variants.push(variant(
        &["XL", "Indigo"],
        "KUR-XL-IND",
        "999",
        &["4006381333931"],
    ));
    let edited = store
        .save_product(Some(kurta.id), &spec(&form), NOW + 1)
        .unwrap();

    assert_eq!(edited.variants.len(), 2);
    assert_eq!(edited.variants[0].price.minor(), 99_900);
    assert_eq!(edited.variants[1].option_values, ["XL", "Indigo"]);
    let changes: Vec<String> = store.pending_changes().unwrap()[before..]
        .iter()
        .map(|c| format!("{} {} {}", c.entity, c.op, c.payload["fields"]))
        .collect();
    assert!(
        changes
            .iter()
            .any(|c| c.starts_with("variant update") && c.contains("archived")),
        "{changes:#?}"
    );
    assert!(
        changes
            .iter()
            .any(|c| c.starts_with("barcode upsert") && c.contains("removed")),
        "the archived variant's barcode is freed: {changes:#?}"
    );
    assert!(store.list_products(false).unwrap()[0]
        .variants
        .iter()
        .all(|v| v.id != removed.id));

    // Saving the same form again changes nothing.
    let count = store.pending_changes().unwrap().len();
    let again = form_of(&edited);
    store
        .save_product(Some(kurta.id), &spec(&again), NOW + 2)
        .unwrap();
    assert_eq!(
        store.pending_changes().unwrap().len(),
        count,
        "an unchanged save records nothing"
    );
}

#[test]
fn two_variants_can_swap_their_skus() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let kurta = store
        .save_product(None, &spec(&kurta_form(None)), NOW)
        .unwrap();
    let mut form = form_of(&kurta);
    form.variants[0].sku = "KUR-L-IND".into();
    form.variants[1].sku = "KUR-M-IND".into();
    let swapped = store
        .save_product(Some(kurta.id), &spec(&form), NOW + 1)
        .unwrap();
    assert_eq!(swapped.variants[0].sku.as_deref(), Some("KUR-L-IND"));
    assert_eq!(swapped.variants[1].sku.as_deref(), Some("KUR-M-IND"));
}

#[test]
fn clashes_with_other_items_name_the_field_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    store
        .save_product(None, &spec(&kurta_form(None)), NOW)
        .unwrap();
    let before = store.pending_changes().unwrap().len();

    let mut other = kurta_form(None);
    other.name = "Linen kurta".into();
    other.variants[0].sku = "LIN-M".into();
    other.variants[1].sku = "kur-l-ind".into();
    other.variants[1].barcodes.clear();
    let (field, error) = field_error(store.save_product(None, &spec(&other), NOW));
    assert_eq!(field, "variants.1.sku");
    assert!(matches!(error, CatalogError::SkuTaken(_)));

    other.variants[1].sku = "LIN-L".into();
    other.variants[1].barcodes = vec!["8901030865237".into()];
    let (field, error) = field_error(store.save_product(None, &spec(&other), NOW));
    assert_eq!(field, "variants.1.barcodes.0");
    assert!(matches!(error, CatalogError::BarcodeTaken(_)));

    other.variants[1].barcodes.clear();
    other.category_id = Some(galla_core::id::new_id());
    let (field, _) = field_error(store.save_product(None, &spec(&other), NOW));
    assert_eq!(field, "category_id");

    assert_eq!(
        store.pending_changes().unwrap().len(),
        before,
        "refused saves write nothing"
    );
    assert_eq!(store.list_products(true).unwrap().len(), 1);
}

#[test]
fn a_variant_of_another_product_cannot_be_edited_through_this_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let a = store
        .save_product(None, &spec(&kurta_form(None)), NOW)
        .unwrap();
    let mut tea = ProductForm {
        name: "Tea".into(),
        variants: vec![variant(&[], "TEA", "10", &[])],
        ..ProductForm::default()
    };
    let tea_product = store.save_product(None, &spec(&tea), NOW).unwrap();
    tea.variants[0].id = Some(a.variants[0].id);
    let (field, error) = field_error(store.save_product(Some(tea_product.id), &spec(&tea), NOW));
    assert_eq!(field, "variants.0");
    assert!(matches!(error, CatalogError::VariantNotFound(_)));
}
