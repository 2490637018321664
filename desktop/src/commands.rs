//! Tauri commands: each one reads the clock, delegates to `Terminal`, and returns its
//! result. Nothing else belongs here. Structured arguments arrive as JSON values and
//! are checked by `Terminal`, so malformed input gets the one IPC error shape.

use galla_core::ProductStatus;
use serde_json::Value;
use tauri::{AppHandle, Manager, State};

use crate::terminal::{parse_input, Terminal};
use crate::wire::catalog::{CategoryView, ProductDetailView, ProductRowView};
use crate::wire::import::{ExportView, ImportReportView};
use crate::wire::people::{AuditEntryView, PersonView, RoleView, SessionView, SignedInView};
use crate::wire::pos::{
    CartView, CustomerHistoryView, CustomerView, DueView, PosSettingsView, PosStateView,
    PrintedView, ReceiptSummaryView, ReceiptView, ShiftReportView, TaxRateView, UpiQrView,
};
use crate::wire::shop::ShopDetailsView;
use crate::wire::stock::{AdjustmentReasonView, CountInput, MovementView, ReorderLineView};
use crate::wire::sync::{
    DeviceView, JoinView, PairingCodeView, SyncNowView, SyncStatusView, UnsyncedExportView,
    VerifyView,
};
use crate::wire::{ErrorCode, IpcError, ShopView};

type Reply<T> = Result<T, IpcError>;

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

#[tauri::command(async)]
pub fn get_shop(t: State<'_, Terminal>) -> Reply<ShopView> {
    t.shop()
}

// Signing in and staff.

#[tauri::command(async)]
pub fn session(t: State<'_, Terminal>) -> Reply<SessionView> {
    t.session(now_ms())
}

#[tauri::command(async)]
pub fn set_up_owner(t: State<'_, Terminal>, name: String, pin: String) -> Reply<SignedInView> {
    t.set_up_owner(&name, &pin, now_ms())
}

#[tauri::command(async)]
pub fn sign_in(t: State<'_, Terminal>, staff_id: String, pin: String) -> Reply<SignedInView> {
    t.sign_in(&staff_id, &pin, now_ms())
}

#[tauri::command(async)]
pub fn sign_out(t: State<'_, Terminal>) {
    t.sign_out();
}

#[tauri::command(async)]
pub fn list_staff(t: State<'_, Terminal>, include_archived: bool) -> Reply<Vec<PersonView>> {
    t.list_staff(include_archived, now_ms())
}

#[tauri::command(async)]
pub fn add_staff(
    t: State<'_, Terminal>,
    name: String,
    role: RoleView,
    pin: String,
) -> Reply<PersonView> {
    t.add_staff(&name, role, &pin, now_ms())
}

#[tauri::command(async)]
pub fn change_role(t: State<'_, Terminal>, staff_id: String, role: RoleView) -> Reply<PersonView> {
    t.change_role(&staff_id, role, now_ms())
}

#[tauri::command(async)]
pub fn reset_pin(t: State<'_, Terminal>, staff_id: String, pin: String) -> Reply<()> {
    t.reset_pin(&staff_id, &pin, now_ms())
}

#[tauri::command(async)]
pub fn archive_staff(t: State<'_, Terminal>, staff_id: String) -> Reply<PersonView> {
    t.archive_staff(&staff_id, now_ms())
}

#[tauri::command(async)]
pub fn audit_log(t: State<'_, Terminal>, query: Value) -> Reply<Vec<AuditEntryView>> {
    let query = crate::terminal::parse_input(query, "audit log filter")?;
    t.audit_log(query)
}

// Catalog.

#[tauri::command(async)]
pub fn search_products(t: State<'_, Terminal>, query: Value) -> Reply<Vec<ProductRowView>> {
    t.search_products(query)
}

#[tauri::command(async)]
pub fn get_product(t: State<'_, Terminal>, id: String) -> Reply<ProductDetailView> {
    t.product(&id, now_ms())
}

#[tauri::command(async)]
pub fn save_product(
    t: State<'_, Terminal>,
    id: Option<String>,
    input: Value,
) -> Reply<ProductDetailView> {
    t.save_product(id.as_deref(), input, now_ms())
}

#[tauri::command(async)]
pub fn archive_product(t: State<'_, Terminal>, id: String) -> Reply<ProductDetailView> {
    t.set_product_status(&id, ProductStatus::Archived, now_ms())
}

#[tauri::command(async)]
pub fn restore_product(t: State<'_, Terminal>, id: String) -> Reply<ProductDetailView> {
    t.set_product_status(&id, ProductStatus::Active, now_ms())
}

#[tauri::command(async)]
pub fn list_categories(t: State<'_, Terminal>) -> Reply<Vec<CategoryView>> {
    t.categories()
}

#[tauri::command(async)]
pub fn create_category(
    t: State<'_, Terminal>,
    name: String,
    parent_id: Option<String>,
) -> Reply<Vec<CategoryView>> {
    t.create_category(&name, parent_id.as_deref(), now_ms())
}

#[tauri::command(async)]
pub fn rename_category(
    t: State<'_, Terminal>,
    id: String,
    name: String,
) -> Reply<Vec<CategoryView>> {
    t.rename_category(&id, &name, now_ms())
}

#[tauri::command(async)]
pub fn move_category(
    t: State<'_, Terminal>,
    id: String,
    parent_id: Option<String>,
) -> Reply<Vec<CategoryView>> {
    t.move_category(&id, parent_id.as_deref(), now_ms())
}

#[tauri::command(async)]
pub fn archive_category(t: State<'_, Terminal>, id: String) -> Reply<Vec<CategoryView>> {
    t.archive_category(&id, now_ms())
}

// Stock.

#[tauri::command(async)]
pub fn receive_stock(
    t: State<'_, Terminal>,
    variant_id: String,
    quantity: String,
    note: String,
) -> Reply<Vec<MovementView>> {
    t.receive_stock(&variant_id, &quantity, &note, now_ms())
}

#[tauri::command(async)]
pub fn adjust_stock(
    t: State<'_, Terminal>,
    variant_id: String,
    quantity: String,
    reason: Option<AdjustmentReasonView>,
    note: String,
) -> Reply<Vec<MovementView>> {
    t.adjust_stock(&variant_id, &quantity, reason, &note, now_ms())
}

#[tauri::command(async)]
pub fn count_stock(t: State<'_, Terminal>, counts: Value) -> Reply<Vec<MovementView>> {
    let counts: Vec<CountInput> = crate::terminal::parse_input(counts, "stocktake")?;
    t.count_stock(counts, now_ms())
}

#[tauri::command(async)]
pub fn set_low_stock_threshold(
    t: State<'_, Terminal>,
    variant_id: String,
    threshold: String,
) -> Reply<()> {
    t.set_low_stock_threshold(&variant_id, &threshold, now_ms())
}

#[tauri::command(async)]
pub fn stock_history(t: State<'_, Terminal>, variant_id: String) -> Reply<Vec<MovementView>> {
    t.stock_history(&variant_id)
}

#[tauri::command(async)]
pub fn reorder_list(t: State<'_, Terminal>) -> Reply<Vec<ReorderLineView>> {
    t.reorder_list(now_ms())
}

// Product pictures. The picked file's bytes arrive as the raw request body, not as
// JSON, with the product's id in a header.

const PRODUCT_ID_HEADER: &str = "x-galla-product-id";

#[tauri::command(async)]
pub fn add_product_image(
    t: State<'_, Terminal>,
    request: tauri::ipc::Request<'_>,
) -> Reply<ProductDetailView> {
    let tauri::ipc::InvokeBody::Raw(bytes) = request.body() else {
        return Err(IpcError::new(
            crate::wire::ErrorCode::InputInvalid,
            "The picture did not arrive as a file. Choose it again.",
        ));
    };
    let product_id = request
        .headers()
        .get(PRODUCT_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    t.add_product_image(product_id, bytes, now_ms())
}

#[tauri::command(async)]
pub fn remove_product_image(
    t: State<'_, Terminal>,
    product_id: String,
    hash: String,
) -> Reply<ProductDetailView> {
    t.remove_product_image(&product_id, &hash, now_ms())
}

#[tauri::command(async)]
pub fn move_product_image(
    t: State<'_, Terminal>,
    product_id: String,
    hash: String,
    position: usize,
) -> Reply<ProductDetailView> {
    t.move_product_image(&product_id, &hash, position, now_ms())
}

// CSV import and export. The file's bytes arrive as the raw request body.

fn raw_body<'a>(request: &'a tauri::ipc::Request<'_>) -> Result<&'a [u8], IpcError> {
    match request.body() {
        tauri::ipc::InvokeBody::Raw(bytes) => Ok(bytes),
        tauri::ipc::InvokeBody::Json(_) => Err(IpcError::new(
            crate::wire::ErrorCode::InputInvalid,
            "The file did not arrive as a file. Choose it again.",
        )),
    }
}

#[tauri::command(async)]
pub fn preview_import(
    t: State<'_, Terminal>,
    request: tauri::ipc::Request<'_>,
) -> Reply<ImportReportView> {
    t.preview_import(raw_body(&request)?)
}

#[tauri::command(async)]
pub fn apply_import(
    t: State<'_, Terminal>,
    request: tauri::ipc::Request<'_>,
) -> Reply<ImportReportView> {
    t.apply_import(raw_body(&request)?, now_ms())
}

/// Where exports go: `GALLA_EXPORT_DIR` when set, else the person's Downloads folder
/// (their home folder when there is none).
fn export_folder(app: &AppHandle) -> Reply<std::path::PathBuf> {
    if let Some(folder) = std::env::var_os("GALLA_EXPORT_DIR").filter(|f| !f.is_empty()) {
        return Ok(folder.into());
    }
    app.path()
        .download_dir()
        .or_else(|_| app.path().home_dir())
        .map_err(|e| {
            IpcError::new(
                ErrorCode::StoreFailed,
                format!("Could not find your Downloads folder ({e})."),
            )
        })
}

#[tauri::command(async)]
pub fn export_csv(app: AppHandle, t: State<'_, Terminal>) -> Reply<ExportView> {
    t.export_csv(&export_folder(&app)?, now_ms())
}

// The point of sale.

#[tauri::command(async)]
pub fn pos_state(t: State<'_, Terminal>) -> Reply<PosStateView> {
    t.pos_state(now_ms())
}

#[tauri::command(async)]
pub fn scan(t: State<'_, Terminal>, code: String) -> Reply<CartView> {
    t.scan(&code, now_ms())
}

#[tauri::command(async)]
pub fn add_to_cart(
    t: State<'_, Terminal>,
    variant_id: String,
    quantity: String,
) -> Reply<CartView> {
    t.add_to_cart(&variant_id, &quantity, now_ms())
}

#[tauri::command(async)]
pub fn set_line_quantity(
    t: State<'_, Terminal>,
    line_id: String,
    quantity: String,
) -> Reply<CartView> {
    t.set_line_quantity(&line_id, &quantity, now_ms())
}

#[tauri::command(async)]
pub fn set_line_discount(
    t: State<'_, Terminal>,
    line_id: String,
    discount: Option<Value>,
    approver_pin: Option<String>,
) -> Reply<CartView> {
    let discount = discount.map(|d| parse_input(d, "discount")).transpose()?;
    t.set_line_discount(&line_id, discount, approver_pin, now_ms())
}

#[tauri::command(async)]
pub fn set_cart_discount(
    t: State<'_, Terminal>,
    discount: Option<Value>,
    approver_pin: Option<String>,
) -> Reply<CartView> {
    let discount = discount.map(|d| parse_input(d, "discount")).transpose()?;
    t.set_cart_discount(discount, approver_pin, now_ms())
}

#[tauri::command(async)]
pub fn override_price(
    t: State<'_, Terminal>,
    line_id: String,
    price: String,
    approver_pin: Option<String>,
) -> Reply<CartView> {
    t.override_price(&line_id, &price, approver_pin, now_ms())
}

#[tauri::command(async)]
pub fn void_line(t: State<'_, Terminal>, line_id: String) -> Reply<CartView> {
    t.void_line(&line_id, now_ms())
}

#[tauri::command(async)]
pub fn cancel_sale(t: State<'_, Terminal>) -> Reply<CartView> {
    t.cancel_sale(now_ms())
}

#[tauri::command(async)]
pub fn park_sale(t: State<'_, Terminal>, note: String) -> Reply<PosStateView> {
    t.park_sale(&note, now_ms())
}

#[tauri::command(async)]
pub fn resume_sale(t: State<'_, Terminal>, parked_id: String) -> Reply<PosStateView> {
    t.resume_sale(&parked_id, now_ms())
}

#[tauri::command(async)]
pub fn attach_customer(t: State<'_, Terminal>, customer_id: Option<String>) -> Reply<CartView> {
    t.attach_customer(customer_id, now_ms())
}

#[tauri::command(async)]
pub fn find_customers(t: State<'_, Terminal>, text: String) -> Reply<Vec<CustomerView>> {
    t.find_customers(&text)
}

#[tauri::command(async)]
pub fn add_customer(t: State<'_, Terminal>, customer: Value) -> Reply<CustomerView> {
    t.add_customer(parse_input(customer, "customer form")?, now_ms())
}

#[tauri::command(async)]
pub fn customer_history(t: State<'_, Terminal>, customer_id: String) -> Reply<CustomerHistoryView> {
    t.customer_history(&customer_id)
}

#[tauri::command(async)]
pub fn amount_due(t: State<'_, Terminal>, payments: Value) -> Reply<DueView> {
    t.amount_due(parse_input(payments, "payment list")?, now_ms())
}

#[tauri::command(async)]
pub fn upi_qr(t: State<'_, Terminal>, amount: String) -> Reply<UpiQrView> {
    t.upi_qr(&amount)
}

#[tauri::command(async)]
pub fn complete_sale(t: State<'_, Terminal>, payments: Value) -> Reply<ReceiptView> {
    t.complete_sale(parse_input(payments, "payment list")?, now_ms())
}

#[tauri::command(async)]
pub fn receipt(t: State<'_, Terminal>, number: String) -> Reply<ReceiptView> {
    t.receipt(&number)
}

#[tauri::command(async)]
pub fn recent_receipts(t: State<'_, Terminal>) -> Reply<Vec<ReceiptSummaryView>> {
    t.recent_receipts()
}

#[tauri::command(async)]
pub fn print_receipt(t: State<'_, Terminal>, number: String) -> Reply<PrintedView> {
    t.print_receipt(&number)
}

#[tauri::command(async)]
pub fn return_items(t: State<'_, Terminal>, input: Value) -> Reply<ReceiptView> {
    t.return_items(parse_input(input, "return form")?, now_ms())
}

#[tauri::command(async)]
pub fn return_without_receipt(t: State<'_, Terminal>, input: Value) -> Reply<ReceiptView> {
    t.return_without_receipt(parse_input(input, "return form")?, now_ms())
}

#[tauri::command(async)]
pub fn open_shift(t: State<'_, Terminal>, float: String) -> Reply<ShiftReportView> {
    t.open_shift(&float, now_ms())
}

#[tauri::command(async)]
pub fn cash_movement(
    t: State<'_, Terminal>,
    kind: String,
    amount: String,
    reason: String,
) -> Reply<ShiftReportView> {
    t.cash_movement(&kind, &amount, &reason, now_ms())
}

#[tauri::command(async)]
pub fn shift_report(t: State<'_, Terminal>) -> Reply<ShiftReportView> {
    t.shift_report()
}

#[tauri::command(async)]
pub fn close_shift(t: State<'_, Terminal>, denominations: Value) -> Reply<ShiftReportView> {
    t.close_shift(parse_input(denominations, "drawer count")?, now_ms())
}

#[tauri::command(async)]
pub fn pos_settings(t: State<'_, Terminal>) -> Reply<PosSettingsView> {
    t.pos_settings()
}

#[tauri::command(async)]
pub fn save_pos_settings(t: State<'_, Terminal>, settings: Value) -> Reply<PosSettingsView> {
    t.save_pos_settings(parse_input(settings, "settings form")?)
}

#[tauri::command(async)]
pub fn shop_details(t: State<'_, Terminal>) -> Reply<ShopDetailsView> {
    t.shop_details(now_ms())
}

#[tauri::command(async)]
pub fn save_shop_details(t: State<'_, Terminal>, details: Value) -> Reply<ShopDetailsView> {
    t.save_shop_details(parse_input(details, "shop details form")?, now_ms())
}

#[tauri::command(async)]
pub fn tax_rates(t: State<'_, Terminal>) -> Reply<Vec<TaxRateView>> {
    t.tax_rates()
}

#[tauri::command(async)]
pub fn save_tax_rates(t: State<'_, Terminal>, rates: Value) -> Reply<Vec<TaxRateView>> {
    t.save_tax_rates(parse_input(rates, "tax rate table")?)
}

// Sync with the server. Those that wait for the network run on a thread of their own:
// the blocking HTTP client must not run on the async runtime's workers (it panics
// there), and a slow server must not hold up other commands.

/// Runs `work` on the blocking pool with the app's `Terminal`.
async fn on_own_thread<T: Send + 'static>(
    app: AppHandle,
    work: impl FnOnce(&Terminal) -> Reply<T> + Send + 'static,
) -> Reply<T> {
    tauri::async_runtime::spawn_blocking(move || work(&app.state::<Terminal>()))
        .await
        .unwrap_or_else(|e| {
            Err(IpcError::new(
                ErrorCode::ServerFailed,
                format!("Syncing stopped unexpectedly ({e}). Nothing was lost; try again."),
            ))
        })
}

#[tauri::command(async)]
pub fn sync_status(t: State<'_, Terminal>) -> Reply<SyncStatusView> {
    t.sync_status()
}

#[tauri::command(async)]
pub fn export_unsynced(app: AppHandle, t: State<'_, Terminal>) -> Reply<UnsyncedExportView> {
    t.export_unsynced(&export_folder(&app)?, now_ms())
}

#[tauri::command]
pub async fn enroll_device(app: AppHandle, input: Value) -> Reply<SyncStatusView> {
    on_own_thread(app, move |t| {
        t.enroll_device(parse_input(input, "enrolment form")?)
    })
    .await
}

#[tauri::command]
pub async fn join_shop(app: AppHandle, input: Value) -> Reply<JoinView> {
    on_own_thread(app, move |t| {
        t.join_shop(parse_input(input, "join form")?, now_ms())
    })
    .await
}

#[tauri::command]
pub async fn sync_now(app: AppHandle) -> Reply<SyncNowView> {
    on_own_thread(app, Terminal::sync_now).await
}

#[tauri::command]
pub async fn verify_sync(app: AppHandle) -> Reply<VerifyView> {
    on_own_thread(app, Terminal::verify_sync).await
}

#[tauri::command]
pub async fn new_pairing_code(app: AppHandle, for_this_shop: bool) -> Reply<PairingCodeView> {
    on_own_thread(app, move |t| t.new_pairing_code(for_this_shop, now_ms())).await
}

#[tauri::command]
pub async fn list_devices(app: AppHandle) -> Reply<Vec<DeviceView>> {
    on_own_thread(app, Terminal::list_devices).await
}

#[tauri::command]
pub async fn revoke_device(app: AppHandle, device_id: String) -> Reply<Vec<DeviceView>> {
    on_own_thread(app, move |t| t.revoke_device(&device_id)).await
}
