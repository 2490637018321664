//! Who may change the catalog and the stock. Core's store methods check the signed-in
//! person's current role below the UI, and a refused change writes nothing at all.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use galla_core::catalog::{ProductForm, ProductSpec, VariantForm};
use galla_core::id::Uuid;
use galla_core::store::STORE_FILE_NAME;
use galla_core::{
    Actor, AdjustmentReason, AuditAction, AuditFilter, Category, Currency, Error, Money,
    Permission, PermissionError, Product, ProductDraft, ProductFields, ProductStatus, Quantity,
    Role, StaffError, Store,
};

const NOW: u64 = 1_763_700_000_000;

fn units(n: i64) -> Quantity {
    Quantity::from_units(n).unwrap()
}

fn inr(rupees: i64) -> Money {
    Money::from_minor(rupees * 100, Currency::INR)
}

fn draft(name: &str, price: &str, sku: &str, barcode: &str) -> ProductDraft {
    let fields = ProductFields {
        name,
        price,
        sku,
        barcode,
    };
    ProductDraft::parse(&fields, Currency::INR).unwrap()
}

/// The spec that leaves `product` as it is, to change one thing in.
fn spec_of(product: &Product) -> ProductSpec {
    let form = ProductForm {
        name: product.name.clone(),
        description: product.description.clone(),
        category_id: product.category_id,
        status: Some(product.status),
        option_names: product.option_names.clone(),
        variants: product
            .variants
            .iter()
            .map(|v| VariantForm {
                id: Some(v.id),
                option_values: v.option_values.clone(),
                sku: v.sku.clone().unwrap_or_default(),
                price: "1".into(),
                cost: String::new(),
                barcodes: v.barcodes.clone(),
            })
            .collect(),
        ..ProductForm::default()
    };
    let mut spec = ProductSpec::parse(&form, Currency::INR).unwrap();
    for (spec, variant) in spec.variants.iter_mut().zip(&product.variants) {
        spec.price = variant.price;
        spec.cost = variant.cost;
    }
    spec
}

/// A shop with an owner, a category, a two-size kurta (with costs) made in the full
/// editor, tea made in the simple form, stock of both in the main shop, and a branch.
struct Shop {
    dir: tempfile::TempDir,
    store: Store,
    owner: Actor,
    main: Uuid,
    branch: Uuid,
    category: Category,
    kurta: Product,
    tea: Product,
}

fn shop() -> Shop {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(dir.path()).unwrap();
    let main = store.current_shop(NOW).unwrap().id;
    let owner = store.create_first_owner("Asha", "2580", NOW).unwrap();
    let branch = store.add_shop(&owner, "Park Street", NOW).unwrap().id;
    let category = store.create_category(&owner, "Kurtas", None, NOW).unwrap();
    let size = |size: &str, sku: &str, price: &str| VariantForm {
        id: None,
        option_values: vec![size.to_owned()],
        sku: sku.to_owned(),
        price: price.to_owned(),
        cost: "400".into(),
        barcodes: Vec::new(),
    };
    let form = ProductForm {
        name: "Cotton kurta".into(),
        category_id: Some(category.id),
        option_names: vec!["Size".into()],
        variants: vec![size("M", "KUR-M", "899"), size("L", "KUR-L", "949")],
        ..ProductForm::default()
    };
    let spec = ProductSpec::parse(&form, Currency::INR).unwrap();
    let kurta = store.save_product(&owner, None, &spec, NOW).unwrap();
    let tea = store
        .create_product(&owner, &draft("Tea", "10", "TEA-1", "8901030865237"), NOW)
        .unwrap();
    for variant in [kurta.variants[0].id, tea.variants[0].id] {
        store
            .receive_stock(variant, main, units(10), None, &owner, NOW)
            .unwrap();
    }
    Shop {
        dir,
        store,
        owner,
        main,
        branch,
        category,
        kurta,
        tea,
    }
}

impl Shop {
    /// Adds a person and signs them in, as the PIN screen would.
    fn sign_in(&mut self, name: &str, role: Role, pin: &str) -> Actor {
        let member = self
            .store
            .add_staff(&self.owner, name, role, pin, NOW)
            .unwrap();
        self.store.unlock_with_pin(member.id, pin, NOW).unwrap()
    }

    /// Everything a write could leave behind, read through a connection of its own:
    /// the row count of every table a catalog or stock write touches, and the clock
    /// stamp last handed out.
    fn on_disk(&self) -> Vec<(String, String)> {
        on_disk(self.dir.path())
    }
}

fn on_disk(dir: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(dir.join(STORE_FILE_NAME)).unwrap();
    let mut found: Vec<(String, String)> = [
        "products",
        "product_options",
        "variants",
        "barcodes",
        "categories",
        "stock_movements",
        "stock_levels",
        "stock_thresholds",
        "audit_log",
        "outbox",
        "field_clocks",
    ]
    .iter()
    .map(|table| {
        let rows: i64 = conn
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap();
        ((*table).to_owned(), rows.to_string())
    })
    .collect();
    let stamp: String = conn
        .query_row(
            "SELECT value FROM settings WHERE key = 'hlc_last'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    found.push(("hlc_last".to_owned(), stamp));
    found
}

#[track_caller]
fn assert_refused<T: std::fmt::Debug>(
    result: Result<T, Error>,
    role: Role,
    permission: Permission,
) {
    match result {
        Err(Error::Permission(e)) => assert_eq!(e, PermissionError { role, permission }),
        other => panic!("expected {role} to lack {permission:?}, got {other:?}"),
    }
}

#[test]
fn a_cashier_cannot_change_the_catalog_or_stock_and_nothing_is_written() {
    let mut shop = shop();
    let ravi = shop.sign_in("Ravi", Role::Cashier, "1357");
    let (kurta, tea) = (shop.kurta.clone(), shop.tea.clone());
    let (m, l) = (kurta.variants[0].id, kurta.variants[1].id);
    let (main, branch, category) = (shop.main, shop.branch, shop.category.id);
    let sub = shop
        .store
        .create_category(&shop.owner, "Cotton", Some(category), NOW)
        .unwrap()
        .id;
    let before = shop.on_disk();
    let store = &mut shop.store;
    use Permission::*;
    let cashier = Role::Cashier;

    // Prices and costs, in the full editor and the simple form.
    let mut price = spec_of(&kurta);
    price.variants[0].price = inr(799);
    let refused = store.save_product(&ravi, Some(kurta.id), &price, NOW + 1);
    assert_eq!(
        refused.as_ref().unwrap_err().to_string(),
        "A cashier cannot change prices. Ask a manager."
    );
    assert_refused(refused, cashier, ChangePrice);
    let simple_price = draft("Tea", "12", "TEA-1", "8901030865237");
    assert_refused(
        store.update_product(&ravi, tea.id, &simple_price, NOW + 1),
        cashier,
        ChangePrice,
    );
    let mut cost = spec_of(&kurta);
    cost.variants[1].cost = Some(inr(450));
    assert_refused(
        store.save_product(&ravi, Some(kurta.id), &cost, NOW + 1),
        cashier,
        ChangeCost,
    );
    let mut no_cost = spec_of(&kurta);
    no_cost.variants[1].cost = None;
    assert_refused(
        store.save_product(&ravi, Some(kurta.id), &no_cost, NOW + 1),
        cashier,
        ChangeCost,
    );
    let mut both = spec_of(&kurta);
    both.variants[0].price = inr(799);
    both.variants[1].cost = Some(inr(450));
    assert_refused(
        store.save_product(&ravi, Some(kurta.id), &both, NOW + 1),
        cashier,
        ChangePrice,
    );

    // Everything else about a product.
    let mut renamed = spec_of(&kurta);
    renamed.name = "Linen kurta".into();
    assert_refused(
        store.save_product(&ravi, Some(kurta.id), &renamed, NOW + 1),
        cashier,
        ManageCatalog,
    );
    let simple_rename = draft("Green tea", "10", "TEA-1", "8901030865237");
    assert_refused(
        store.update_product(&ravi, tea.id, &simple_rename, NOW + 1),
        cashier,
        ManageCatalog,
    );
    let mut one_size = spec_of(&kurta);
    one_size.variants.remove(1);
    assert_refused(
        store.save_product(&ravi, Some(kurta.id), &one_size, NOW + 1),
        cashier,
        ManageCatalog,
    );
    assert_refused(
        store.set_product_status(&ravi, kurta.id, ProductStatus::Archived, NOW + 1),
        cashier,
        ManageCatalog,
    );
    // A new product sets a first price, and that is checked first.
    assert_refused(
        store.create_product(&ravi, &draft("Coffee", "20", "", ""), NOW + 1),
        cashier,
        ChangePrice,
    );

    // Categories.
    assert_refused(
        store.create_category(&ravi, "Sarees", None, NOW + 1),
        cashier,
        ManageCatalog,
    );
    assert_refused(
        store.rename_category(&ravi, category, "Tunics", NOW + 1),
        cashier,
        ManageCatalog,
    );
    assert_refused(
        store.move_category(&ravi, sub, None, NOW + 1),
        cashier,
        ManageCatalog,
    );
    assert_refused(
        store.archive_category(&ravi, sub, NOW + 1),
        cashier,
        ManageCatalog,
    );

    // Stock.
    assert_refused(
        store.receive_stock(m, main, units(5), None, &ravi, NOW + 1),
        cashier,
        ReceiveStock,
    );
    assert_refused(
        store.adjust_stock(
            m,
            main,
            units(-1),
            Some(AdjustmentReason::Damaged),
            None,
            &ravi,
            NOW + 1,
        ),
        cashier,
        AdjustStock,
    );
    assert_refused(
        store.count_stock(main, &[(m, units(3)), (l, units(2))], &ravi, NOW + 1),
        cashier,
        CountStock,
    );
    assert_refused(
        store.transfer_stock(m, main, branch, units(2), &ravi, NOW + 1),
        cashier,
        TransferStock,
    );
    assert_refused(
        store.set_low_stock_threshold(&ravi, m, main, Some(units(4)), NOW + 1),
        cashier,
        AdjustStock,
    );

    assert_eq!(
        shop.on_disk(),
        before,
        "a refused change writes no row, outbox or audit entry, field clock or clock stamp"
    );
    let store = &shop.store;
    assert_eq!(store.product(kurta.id).unwrap().unwrap(), kurta);
    assert_eq!(store.product(tea.id).unwrap().unwrap(), tea);
    assert_eq!(store.on_hand(m, main).unwrap(), units(10));
    assert_eq!(store.reorder_list(main).unwrap(), []);
    let names: Vec<String> = store
        .categories()
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["Kurtas", "Cotton"]);
}

#[test]
fn a_manager_can_change_the_catalog_and_stock() {
    let mut shop = shop();
    let meena = shop.sign_in("Meena", Role::Manager, "4826");
    let (kurta, tea) = (shop.kurta.clone(), shop.tea.clone());
    let (m, l) = (kurta.variants[0].id, kurta.variants[1].id);
    let (main, branch, category) = (shop.main, shop.branch, shop.category.id);
    let store = &mut shop.store;

    let mut edit = spec_of(&kurta);
    edit.name = "Linen kurta".into();
    edit.variants[0].price = inr(799);
    edit.variants[1].cost = Some(inr(450));
    let edited = store
        .save_product(&meena, Some(kurta.id), &edit, NOW + 1)
        .unwrap();
    assert_eq!(edited.name, "Linen kurta");
    assert_eq!(edited.variants[0].price, inr(799));
    assert_eq!(edited.variants[1].cost, Some(inr(450)));
    let tea = store
        .update_product(
            &meena,
            tea.id,
            &draft("Green tea", "12", "TEA-1", "8901030865237"),
            NOW + 1,
        )
        .unwrap();
    assert_eq!(
        (tea.name.as_str(), tea.variants[0].price),
        ("Green tea", inr(12))
    );
    store
        .set_product_status(&meena, tea.id, ProductStatus::Archived, NOW + 1)
        .unwrap();
    store
        .create_product(&meena, &draft("Coffee", "20", "", ""), NOW + 1)
        .unwrap();

    let sarees = store
        .create_category(&meena, "Sarees", None, NOW + 1)
        .unwrap();
    store
        .rename_category(&meena, category, "Tunics", NOW + 1)
        .unwrap();
    store
        .move_category(&meena, sarees.id, Some(category), NOW + 1)
        .unwrap();
    store.archive_category(&meena, sarees.id, NOW + 1).unwrap();

    store
        .receive_stock(m, main, units(5), None, &meena, NOW + 1)
        .unwrap();
    store
        .adjust_stock(
            m,
            main,
            units(-1),
            Some(AdjustmentReason::Damaged),
            None,
            &meena,
            NOW + 1,
        )
        .unwrap();
    store
        .count_stock(main, &[(m, units(13)), (l, units(2))], &meena, NOW + 1)
        .unwrap();
    store
        .transfer_stock(m, main, branch, units(3), &meena, NOW + 1)
        .unwrap();
    store
        .set_low_stock_threshold(&meena, m, main, Some(units(12)), NOW + 1)
        .unwrap();
    assert_eq!(store.on_hand(m, main).unwrap(), units(10));
    assert_eq!(store.on_hand(m, branch).unwrap(), units(3));
    assert_eq!(store.on_hand(l, main).unwrap(), units(2));
    assert_eq!(store.reorder_list(main).unwrap().len(), 1);
    let history = store.stock_history(m, None, 100).unwrap();
    assert!(
        history[..5]
            .iter()
            .all(|movement| movement.staff_id == Some(meena.staff_id())),
        "each movement names who made it: {history:?}"
    );

    let by_meena = store
        .audit_entries(
            &shop.owner,
            &AuditFilter {
                staff_id: Some(meena.staff_id()),
                ..AuditFilter::default()
            },
        )
        .unwrap();
    let mut actions: Vec<&str> = by_meena.iter().map(|e| e.action.as_str()).collect();
    actions.sort_unstable();
    assert_eq!(
        actions,
        [
            AuditAction::CostChanged.as_str(),
            AuditAction::PriceChanged.as_str(),
            AuditAction::PriceChanged.as_str(),
            AuditAction::StockAdjusted.as_str(),
            AuditAction::StockCounted.as_str(),
            AuditAction::StockCounted.as_str(),
        ],
        "the kurta's price and cost, tea's price, the adjustment and two counted lines"
    );
}

#[test]
fn staff_archived_after_signing_in_are_refused_and_nothing_is_written() {
    let mut shop = shop();
    let kiran = shop.sign_in("Kiran", Role::Manager, "4826");
    shop.store
        .archive_staff(&shop.owner, kiran.staff_id(), NOW + 1)
        .unwrap();
    let kurta = shop.kurta.clone();
    let m = kurta.variants[0].id;
    let (main, branch, category) = (shop.main, shop.branch, shop.category.id);
    let before = shop.on_disk();
    let store = &mut shop.store;

    let mut price = spec_of(&kurta);
    price.variants[0].price = inr(799);
    let mut renamed = spec_of(&kurta);
    renamed.name = "Linen kurta".into();
    let results: Vec<(&str, Result<(), Error>)> = vec![
        (
            "price",
            store
                .save_product(&kiran, Some(kurta.id), &price, NOW + 2)
                .map(drop),
        ),
        (
            "rename",
            store
                .save_product(&kiran, Some(kurta.id), &renamed, NOW + 2)
                .map(drop),
        ),
        (
            "category",
            store
                .rename_category(&kiran, category, "Tunics", NOW + 2)
                .map(drop),
        ),
        (
            "receive",
            store
                .receive_stock(m, main, units(1), None, &kiran, NOW + 2)
                .map(drop),
        ),
        (
            "adjust",
            store
                .adjust_stock(
                    m,
                    main,
                    units(-1),
                    Some(AdjustmentReason::Lost),
                    None,
                    &kiran,
                    NOW + 2,
                )
                .map(drop),
        ),
        (
            "count",
            store
                .count_stock(main, &[(m, units(1))], &kiran, NOW + 2)
                .map(drop),
        ),
        (
            "transfer",
            store
                .transfer_stock(m, main, branch, units(1), &kiran, NOW + 2)
                .map(drop),
        ),
        (
            "threshold",
            store
                .set_low_stock_threshold(&kiran, m, main, Some(units(1)), NOW + 2)
                .map(drop),
        ),
    ];
    for (what, result) in results {
        assert!(
            matches!(result, Err(Error::Staff(StaffError::NoLongerActive))),
            "{what}: a person taken off the staff list while signed in must be refused: {result:?}"
        );
    }
    assert_eq!(shop.on_disk(), before, "the refusals wrote nothing");
}
