//! The Shop details page: the name, address and opening hours of the shop this device
//! works in, which sync carries to the server's storefront.

use galla_core::StockError;
use galla_sync_protocol::OpeningPeriod;

use super::Terminal;
use crate::wire::shop::ShopDetailsView;
use crate::wire::IpcError;

impl Terminal {
    /// Anyone signed in may read them: they are what the shop tells every customer.
    pub fn shop_details(&self, now_ms: u64) -> Result<ShopDetailsView, IpcError> {
        self.as_actor(|store, _| {
            let shop = store.current_shop(now_ms)?.id;
            let details = store
                .shop_details(shop)?
                .ok_or(galla_core::Error::Stock(StockError::ShopNotFound(shop)))?;
            Ok(details.into())
        })
    }

    /// Saves all three; core sends on only what changed. Answers what was stored (the
    /// address trimmed, the hours sorted), so the page shows what customers will see.
    pub fn save_shop_details(
        &self,
        details: ShopDetailsView,
        now_ms: u64,
    ) -> Result<ShopDetailsView, IpcError> {
        let hours: Vec<OpeningPeriod> = details.opening_hours.into_iter().map(Into::into).collect();
        self.as_actor(|store, actor| {
            let shop = store.current_shop(now_ms)?.id;
            let saved =
                store.update_shop(actor, shop, &details.name, &details.address, &hours, now_ms)?;
            Ok(saved.into())
        })
    }
}
