//! Generates `desktop-ui/src/lib/bindings.ts` from the wire types.

use ts_rs::TS;

use crate::wire::catalog::{
    CategoryView, ImageView, ProductDetailView, ProductEditorInput, ProductQueryInput,
    ProductRowView, ProductStatusView, VariantEditorInput, VariantView,
};
use crate::wire::import::{ExportView, ImportLineView, ImportReportView};
use crate::wire::people::{
    AuditEntryView, AuditQueryInput, PersonView, RoleView, SessionView, SignedInView,
};
use crate::wire::pos::{
    CartLineView, CartView, CashMovementView, CustomerHistoryView, CustomerInput, CustomerView,
    DenominationInput, DiscountInput, DiscountView, DueView, HsnRowView, MethodTotalView,
    ParkedSaleView, PaymentInput, PaymentView, PosSettingsView, PosStateView, PrintedView,
    ReceiptLineView, ReceiptSummaryView, ReceiptView, ReturnInput, ReturnLineInput,
    ShiftReportView, TaxAmountView, TaxRateView, TotalsView, UnreceiptedReturnInput, UpiQrView,
};
use crate::wire::shop::{OpeningPeriodView, ShopDetailsView};
use crate::wire::stock::{AdjustmentReasonView, CountInput, MovementView, ReorderLineView};
use crate::wire::sync::{
    ConnectionView, DeviceView, EnrolInput, JoinView, KeyPlaceView, PairingCodeView, RejectionView,
    ScopeCheckView, SyncLinkView, SyncNowView, SyncStatusView, UnsyncedExportView, VerifyView,
};
use crate::wire::{ErrorCode, IpcError, ShopView};

pub const BINDINGS_PATH: &str = "desktop-ui/src/lib/bindings.ts";

pub fn typescript() -> String {
    let mut declarations = vec![
        ErrorCode::decl(),
        IpcError::decl(),
        ShopView::decl(),
        // Catalog
        CategoryView::decl(),
        ImageView::decl(),
        ProductDetailView::decl(),
        ProductEditorInput::decl(),
        ProductQueryInput::decl(),
        ProductRowView::decl(),
        ProductStatusView::decl(),
        VariantEditorInput::decl(),
        VariantView::decl(),
        // People
        AuditEntryView::decl(),
        AuditQueryInput::decl(),
        PersonView::decl(),
        RoleView::decl(),
        SessionView::decl(),
        SignedInView::decl(),
        // Import and export
        ExportView::decl(),
        ImportLineView::decl(),
        ImportReportView::decl(),
        // Point of sale
        CartLineView::decl(),
        CartView::decl(),
        CashMovementView::decl(),
        CustomerHistoryView::decl(),
        CustomerInput::decl(),
        CustomerView::decl(),
        DenominationInput::decl(),
        DiscountInput::decl(),
        DiscountView::decl(),
        DueView::decl(),
        HsnRowView::decl(),
        MethodTotalView::decl(),
        ParkedSaleView::decl(),
        PaymentInput::decl(),
        PaymentView::decl(),
        PosSettingsView::decl(),
        PosStateView::decl(),
        PrintedView::decl(),
        ReceiptLineView::decl(),
        ReceiptSummaryView::decl(),
        ReceiptView::decl(),
        ReturnInput::decl(),
        ReturnLineInput::decl(),
        ShiftReportView::decl(),
        TaxAmountView::decl(),
        TaxRateView::decl(),
        TotalsView::decl(),
        UnreceiptedReturnInput::decl(),
        UpiQrView::decl(),
        // Shop details
        OpeningPeriodView::decl(),
        ShopDetailsView::decl(),
        // Stock
        AdjustmentReasonView::decl(),
        CountInput::decl(),
        MovementView::decl(),
        ReorderLineView::decl(),
        // Sync
        ConnectionView::decl(),
        DeviceView::decl(),
        EnrolInput::decl(),
        JoinView::decl(),
        KeyPlaceView::decl(),
        PairingCodeView::decl(),
        RejectionView::decl(),
        ScopeCheckView::decl(),
        SyncLinkView::decl(),
        SyncNowView::decl(),
        SyncStatusView::decl(),
        UnsyncedExportView::decl(),
        VerifyView::decl(),
    ];
    declarations.sort();
    let mut out = String::from(
        "// Generated from the Rust IPC types in desktop/src/wire/ by\n\
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
