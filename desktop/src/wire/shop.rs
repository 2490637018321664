//! The Shop details page, as it crosses IPC: the name, address and opening hours the
//! storefront shows. Core checks them with the sync protocol's rule.

use galla_core::ShopDetails;
use galla_sync_protocol::OpeningPeriod;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One stretch of a day the shop is open, in 24-hour `HH:MM`; `closes` may be "24:00".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct OpeningPeriodView {
    #[ts(type = "\"mon\" | \"tue\" | \"wed\" | \"thu\" | \"fri\" | \"sat\" | \"sun\"")]
    pub day: String,
    pub opens: String,
    pub closes: String,
}

/// What the page shows and saves. A day with no period is closed; no periods at all
/// means the hours are not given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct ShopDetailsView {
    pub name: String,
    /// Lines as the shop writes them; empty when not given.
    pub address: String,
    /// Sorted by day, then opening time, when they come from core.
    pub opening_hours: Vec<OpeningPeriodView>,
}

impl From<ShopDetails> for ShopDetailsView {
    fn from(d: ShopDetails) -> ShopDetailsView {
        ShopDetailsView {
            name: d.name,
            address: d.address,
            opening_hours: d
                .opening_hours
                .into_iter()
                .map(|p| OpeningPeriodView {
                    day: p.day,
                    opens: p.opens,
                    closes: p.closes,
                })
                .collect(),
        }
    }
}

impl From<OpeningPeriodView> for OpeningPeriod {
    fn from(p: OpeningPeriodView) -> OpeningPeriod {
        OpeningPeriod {
            day: p.day,
            opens: p.opens,
            closes: p.closes,
        }
    }
}
