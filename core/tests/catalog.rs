//! The full product editor's write path (`save_product`) on real SQLite files.
#![allow(clippy::unwrap_used)]

use galla_core::barcode::Barcode;
use galla_core::catalog::{ProductForm, ProductSpec, VariantForm};
use galla_core::id::Uuid;
use galla_core::store::INTERNAL_PREFIX;
use galla_core::{
    Actor, AuditAction, AuditFilter, CatalogError, Currency, Error, Product, ProductDraft,
    ProductFields, Role, Store,
};

const NOW: u64 = 1_763_700_000_000;

/// The first-start owner, who may do everything these tests do. One per store: PIN
/// hashing is slow on purpose.
fn owner(store: &mut Store) -> Actor {
    store.create_first_owner("Asha", "2580", NOW).unwrap()
}

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
    let owner = owner(&mut store);
    let category = store.create_category(&owner, "Kurtas", None, NOW).unwrap();
    let saved = store
        .save_product(&owner, None, &spec(&kurta_form(Some(category.id))), NOW)
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
    let owner = owner(&mut store);
    let mut codes = std::collections::HashSet::new();
    for i in 0..20 {
        let form = ProductForm {
            name: format!("Item {i}"),
            variants: vec![variant(&[], "", "1", &[])],
            ..ProductForm::default()
        };
        let product = store.save_product(&owner, None, &spec(&form), NOW).unwrap();
        assert!(codes.insert(product.variants[0].barcodes[0].clone()));
    }
    drop(store);
    let mut store = Store::open_in(dir.path()).unwrap();
    let form = ProductForm {
        name: "After restart".into(),
        variants: vec![variant(&[], "", "1", &[])],
        ..ProductForm::default()
    };
    let product = store.save_product(&owner, None, &spec(&form), NOW).unwrap();
    assert!(
        codes.insert(product.variants[0].barcodes[0].clone()),
        "the sequence survives a restart"
    );
}

#[test]
fn editing_changes_adds_and_archives_variants() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let owner = owner(&mut store);
    let kurta = store
        .save_product(&owner, None, &spec(&kurta_form(None)), NOW)
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
        .save_product(&owner, Some(kurta.id), &spec(&form), NOW + 1)
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
        .save_product(&owner, Some(kurta.id), &spec(&again), NOW + 2)
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
    let owner = owner(&mut store);
    let kurta = store
        .save_product(&owner, None, &spec(&kurta_form(None)), NOW)
        .unwrap();
    let mut form = form_of(&kurta);
    form.variants[0].sku = "KUR-L-IND".into();
    form.variants[1].sku = "KUR-M-IND".into();
    let swapped = store
        .save_product(&owner, Some(kurta.id), &spec(&form), NOW + 1)
        .unwrap();
    assert_eq!(swapped.variants[0].sku.as_deref(), Some("KUR-L-IND"));
    assert_eq!(swapped.variants[1].sku.as_deref(), Some("KUR-M-IND"));
}

#[test]
fn clashes_with_other_items_name_the_field_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let owner = owner(&mut store);
    store
        .save_product(&owner, None, &spec(&kurta_form(None)), NOW)
        .unwrap();
    let before = store.pending_changes().unwrap().len();

    let mut other = kurta_form(None);
    other.name = "Linen kurta".into();
    other.variants[0].sku = "LIN-M".into();
    other.variants[1].sku = "kur-l-ind".into();
    other.variants[1].barcodes.clear();
    let (field, error) = field_error(store.save_product(&owner, None, &spec(&other), NOW));
    assert_eq!(field, "variants.1.sku");
    assert!(matches!(error, CatalogError::SkuTaken(_)));

    other.variants[1].sku = "LIN-L".into();
    other.variants[1].barcodes = vec!["8901030865237".into()];
    let (field, error) = field_error(store.save_product(&owner, None, &spec(&other), NOW));
    assert_eq!(field, "variants.1.barcodes.0");
    assert!(matches!(error, CatalogError::BarcodeTaken(_)));

    other.variants[1].barcodes.clear();
    other.category_id = Some(galla_core::id::new_id());
    let (field, _) = field_error(store.save_product(&owner, None, &spec(&other), NOW));
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
    let owner = owner(&mut store);
    let a = store
        .save_product(&owner, None, &spec(&kurta_form(None)), NOW)
        .unwrap();
    let mut tea = ProductForm {
        name: "Tea".into(),
        variants: vec![variant(&[], "TEA", "10", &[])],
        ..ProductForm::default()
    };
    let tea_product = store.save_product(&owner, None, &spec(&tea), NOW).unwrap();
    tea.variants[0].id = Some(a.variants[0].id);
    let (field, error) =
        field_error(store.save_product(&owner, Some(tea_product.id), &spec(&tea), NOW));
    assert_eq!(field, "variants.0");
    assert!(matches!(error, CatalogError::VariantNotFound(_)));
}

fn simple(name: &str, price: &str) -> ProductDraft {
    let fields = ProductFields {
        name,
        price,
        sku: "",
        barcode: "",
    };
    ProductDraft::parse(&fields, Currency::INR).unwrap()
}

/// One price or cost entry of the audit log: (when, variant, field, old, new, who).
type MoneyEntry = (
    u64,
    Uuid,
    String,
    Option<String>,
    Option<String>,
    Option<Uuid>,
);

/// The price and cost entries of the audit log, sorted (entries of one save share a
/// time, and their order among themselves is not the point).
fn money_entries(store: &Store, owner: &Actor) -> Vec<MoneyEntry> {
    let mut entries = Vec::new();
    for action in [AuditAction::PriceChanged, AuditAction::CostChanged] {
        let filter = AuditFilter {
            action: Some(action),
            ..AuditFilter::default()
        };
        for e in store.audit_entries(owner, &filter).unwrap() {
            assert_eq!(e.entity, "variant", "{e:?}");
            entries.push((
                e.at_ms,
                e.entity_id.unwrap(),
                e.field.unwrap(),
                e.old_value,
                e.new_value,
                e.staff_id,
            ));
        }
    }
    entries.sort();
    entries
}

#[test]
fn price_and_cost_changes_are_audited_with_who_and_the_old_and_new_values() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let owner = owner(&mut store);
    let member = store
        .add_staff(&owner, "Meena", Role::Manager, "4826", NOW)
        .unwrap();
    let meena = store.unlock_with_pin(member.id, "4826", NOW).unwrap();
    let mut form = kurta_form(None);
    form.variants[1].cost = "400".into();
    let kurta = store.save_product(&owner, None, &spec(&form), NOW).unwrap();
    let (m, l) = (kurta.variants[0].id, kurta.variants[1].id);

    let mut edit = form_of(&kurta);
    edit.variants[0].price = "949".into();
    edit.variants[0].cost = "500".into();
    edit.variants[1].cost = "450".into();
    store
        .save_product(&meena, Some(kurta.id), &spec(&edit), NOW + 1)
        .unwrap();
    edit.variants[1].cost = String::new();
    store
        .save_product(&owner, Some(kurta.id), &spec(&edit), NOW + 2)
        .unwrap();

    let who = |a: &Actor| Some(a.staff_id());
    let text = |t: &str| Some(t.to_owned());
    let mut expected: Vec<MoneyEntry> = vec![
        (
            NOW + 1,
            m,
            "price".into(),
            text("INR 899.00"),
            text("INR 949.00"),
            who(&meena),
        ),
        (
            NOW + 1,
            m,
            "cost".into(),
            None,
            text("INR 500.00"),
            who(&meena),
        ),
        (
            NOW + 1,
            l,
            "cost".into(),
            text("INR 400.00"),
            text("INR 450.00"),
            who(&meena),
        ),
        (
            NOW + 2,
            l,
            "cost".into(),
            text("INR 450.00"),
            None,
            who(&owner),
        ),
    ];
    expected.sort();
    assert_eq!(
        money_entries(&store, &owner),
        expected,
        "each change of an existing variant's price or cost, by whom, from what to what; \
         L's unchanged price and the unchanged second save of M have no entry"
    );
    let price = store
        .audit_entries(
            &owner,
            &AuditFilter {
                action: Some(AuditAction::PriceChanged),
                ..AuditFilter::default()
            },
        )
        .unwrap();
    assert_eq!(price.len(), 1);
    assert_eq!(price[0].staff_name.as_deref(), Some("Meena"));
    assert_eq!(price[0].device_id, store.device());
    assert_eq!(price[0].field.as_deref(), Some("price"));
    assert_eq!(
        price[0].old_value,
        Some(kurta.variants[0].price.to_string()),
        "old and new as money is shown"
    );

    // The simple form's price is the first variant's, audited the same way.
    let tea = store
        .create_product(&owner, &simple("Tea", "10"), NOW + 3)
        .unwrap();
    store
        .update_product(&meena, tea.id, &simple("Tea", "12.50"), NOW + 4)
        .unwrap();
    let last = money_entries(&store, &owner).pop().unwrap();
    let tea_price = tea.variants[0].id;
    assert_eq!(
        last,
        (
            NOW + 4,
            tea_price,
            "price".into(),
            text("INR 10.00"),
            text("INR 12.50"),
            who(&meena)
        )
    );

    let queued = store
        .pending_changes()
        .unwrap()
        .into_iter()
        .filter(|c| c.entity == "audit")
        .filter(|c| c.payload["action"] == "price_changed" || c.payload["action"] == "cost_changed")
        .count();
    assert_eq!(queued, 5, "every price and cost entry is queued for sync");
}

#[test]
fn creating_products_and_saves_that_keep_prices_write_no_price_entry() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let owner = owner(&mut store);
    let mut form = kurta_form(None);
    form.variants[0].cost = "400".into();
    let kurta = store.save_product(&owner, None, &spec(&form), NOW).unwrap();
    let tea = store
        .create_product(&owner, &simple("Tea", "10"), NOW)
        .unwrap();
    assert_eq!(
        money_entries(&store, &owner),
        [],
        "a new product's first prices and costs are not changes"
    );

    // Renamed, a new size with its own price and cost, and saved again unchanged.
    let mut edit = form_of(&kurta);
    edit.name = "Linen kurta".into();
    let mut xl = variant(&["XL", "Indigo"], "KUR-XL-IND", "999", &[]);
    xl.cost = "450".into();
    edit.variants.push(xl);
    let edited = store
        .save_product(&owner, Some(kurta.id), &spec(&edit), NOW + 1)
        .unwrap();
    store
        .save_product(&owner, Some(kurta.id), &spec(&form_of(&edited)), NOW + 2)
        .unwrap();
    store
        .update_product(&owner, tea.id, &simple("Green tea", "10"), NOW + 3)
        .unwrap();
    store
        .set_product_status(&owner, tea.id, galla_core::ProductStatus::Archived, NOW + 4)
        .unwrap();
    assert_eq!(
        money_entries(&store, &owner),
        [],
        "saves that keep every price and cost write no price or cost entry"
    );
}

#[test]
fn two_variants_can_swap_their_barcodes_in_one_save() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let me = owner(&mut store);
    let mut form = kurta_form(None);
    form.variants[0].barcodes = vec!["4006381333931".into()];
    form.variants[1].barcodes = vec!["8901030865237".into()];
    let kurta = store.save_product(&me, None, &spec(&form), NOW).unwrap();
    let mut swapped = form.clone();
    for (i, v) in swapped.variants.iter_mut().enumerate() {
        v.id = Some(kurta.variants[i].id);
    }
    swapped.variants[0].barcodes = vec!["8901030865237".into()];
    swapped.variants[1].barcodes = vec!["4006381333931".into()];
    let after = store
        .save_product(&me, Some(kurta.id), &spec(&swapped), NOW + 1)
        .unwrap();
    assert_eq!(after.variants[0].barcodes, ["8901030865237"]);
    assert_eq!(after.variants[1].barcodes, ["4006381333931"]);
    assert_eq!(
        store.find_by_barcode("4006381333931").unwrap(),
        Some((kurta.id, kurta.variants[1].id))
    );
}
