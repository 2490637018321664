//! Generates `desktop-ui/src/lib/bindings.ts` from the wire types.

use ts_rs::TS;

use crate::wire::{ErrorCode, IpcError, ProductInput, ProductStatusView, ProductView, ShopView};

pub const BINDINGS_PATH: &str = "desktop-ui/src/lib/bindings.ts";

pub fn typescript() -> String {
    let mut declarations = vec![
        ErrorCode::decl(),
        IpcError::decl(),
        ProductInput::decl(),
        ProductStatusView::decl(),
        ProductView::decl(),
        ShopView::decl(),
    ];
    declarations.sort();
    let mut out = String::from(
        "// Generated from the Rust IPC types in desktop/src/wire.rs by\n\
         // `GALLA_WRITE_BINDINGS=1 cargo test -p galla-desktop --test bindings`.\n\
         // Do not edit by hand: CI fails when this file and the Rust types drift.\n",
    );
    for declaration in declarations {
        out.push_str("\nexport ");
        out.push_str(&declaration);
        out.push('\n');
    }
    out
}
