//! Galla's desktop shell. Architecture invariant: this is the only crate that knows
//! Tauri, and it holds wiring only; what the app does lives in galla-core.

pub mod bindings;
mod commands;
pub mod credentials;
pub mod sync_loop;
pub mod terminal;
pub mod wire;

use std::path::PathBuf;

use tauri::Manager;

/// Where the store lives when `GALLA_DATA_DIR` does not say otherwise.
pub const DATA_DIR_ENV: &str = "GALLA_DATA_DIR";

/// `GALLA_DEMO_PRODUCTS=5000` fills an empty store with that many generated products
/// at start-up (the README's run command sets it); a store with products is left alone.
pub const DEMO_PRODUCTS_ENV: &str = "GALLA_DEMO_PRODUCTS";

fn load_demo(terminal: &terminal::Terminal) {
    let Some(count) = std::env::var(DEMO_PRODUCTS_ENV)
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
    else {
        return;
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0);
    match terminal.load_demo_catalog(count, now) {
        Ok(0) => {}
        Ok(loaded) => eprintln!("galla: loaded a demo catalog of {loaded} products"),
        Err(e) => eprintln!("galla: could not load the demo catalog: {}", e.message),
    }
}

fn data_folder(app: &tauri::AppHandle) -> Result<PathBuf, String> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => app.path().app_data_dir().map_err(|e| {
            format!("cannot find this system's application-data folder ({e}); set {DATA_DIR_ENV}")
        }),
    }
}

/// Product pictures are served to the web UI as `galla-image://localhost/<hash>[/thumb]`.
const IMAGE_SCHEME: &str = "galla-image";

fn image_response(bytes: Option<Vec<u8>>) -> tauri::http::Response<Vec<u8>> {
    let builder = tauri::http::Response::builder();
    let response = match bytes {
        // A hash names its content forever, so the webview may keep it.
        Some(bytes) => builder
            .header("Content-Type", image_type(&bytes))
            .header("Cache-Control", "max-age=31536000, immutable")
            .body(bytes),
        None => builder.status(404).body(Vec::new()),
    };
    response.unwrap_or_default()
}

fn image_type(bytes: &[u8]) -> &'static str {
    match bytes {
        [0x89, b'P', b'N', b'G', ..] => "image/png",
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => "image/webp",
        _ => "image/jpeg",
    }
}

/// On Linux, GTK aborts with a cryptic message when there is no display; say it plainly.
fn check_display() -> Result<(), String> {
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        return Err(
            "no display: DISPLAY and WAYLAND_DISPLAY are unset. Run Galla on a desktop, \
                    or under a virtual display with `xvfb-run -a galla`."
                .to_owned(),
        );
    }
    Ok(())
}

pub fn run() {
    if let Err(message) = check_display() {
        eprintln!("galla: {message}");
        std::process::exit(2);
    }
    let result = tauri::Builder::default()
        .setup(|app| {
            let folder = data_folder(app.handle())?;
            let terminal = terminal::Terminal::open(&folder);
            load_demo(&terminal);
            // Syncs at once and then in the background, if this device is linked.
            terminal.start_sync();
            app.manage(terminal);
            Ok(())
        })
        // Answered on a thread of its own: a picture not on this device yet is fetched
        // from the server, which must not hold up the window.
        .register_asynchronous_uri_scheme_protocol(IMAGE_SCHEME, |ctx, request, responder| {
            let app = ctx.app_handle().clone();
            let path = request.uri().path().to_owned();
            let spawned = std::thread::Builder::new()
                .name(String::from("galla-image"))
                .spawn(move || {
                    let terminal = app.state::<terminal::Terminal>();
                    responder.respond(image_response(terminal.image_bytes(&path)));
                });
            if let Err(e) = spawned {
                eprintln!("galla: could not answer a picture request: {e}");
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::get_shop,
            commands::session,
            commands::set_up_owner,
            commands::sign_in,
            commands::sign_out,
            commands::list_staff,
            commands::add_staff,
            commands::change_role,
            commands::reset_pin,
            commands::archive_staff,
            commands::audit_log,
            commands::search_products,
            commands::get_product,
            commands::save_product,
            commands::archive_product,
            commands::restore_product,
            commands::list_categories,
            commands::create_category,
            commands::rename_category,
            commands::move_category,
            commands::archive_category,
            commands::receive_stock,
            commands::adjust_stock,
            commands::count_stock,
            commands::set_low_stock_threshold,
            commands::stock_history,
            commands::reorder_list,
            commands::add_product_image,
            commands::remove_product_image,
            commands::move_product_image,
            commands::preview_import,
            commands::apply_import,
            commands::export_csv,
            commands::pos_state,
            commands::scan,
            commands::add_to_cart,
            commands::set_line_quantity,
            commands::set_line_discount,
            commands::set_cart_discount,
            commands::override_price,
            commands::void_line,
            commands::cancel_sale,
            commands::park_sale,
            commands::resume_sale,
            commands::attach_customer,
            commands::find_customers,
            commands::add_customer,
            commands::customer_history,
            commands::amount_due,
            commands::upi_qr,
            commands::complete_sale,
            commands::receipt,
            commands::recent_receipts,
            commands::print_receipt,
            commands::return_items,
            commands::return_without_receipt,
            commands::open_shift,
            commands::cash_movement,
            commands::shift_report,
            commands::close_shift,
            commands::pos_settings,
            commands::save_pos_settings,
            commands::shop_details,
            commands::save_shop_details,
            commands::tax_rates,
            commands::save_tax_rates,
            commands::sync_status,
            commands::enroll_device,
            commands::join_shop,
            commands::export_unsynced,
            commands::sync_now,
            commands::verify_sync,
            commands::new_pairing_code,
            commands::list_devices,
            commands::revoke_device,
        ])
        .run(tauri::generate_context!("../tauri.conf.json"));
    if let Err(error) = result {
        eprintln!("galla: {error}");
        std::process::exit(1);
    }
}
