//! Stock per shop as a ledger of signed movements (SYNC.md rule 3): receive +10,
//! sale -2, adjustment -1 "damaged". On-hand is the sum of the movements; no absolute
//! stock figure is ever stored as the truth or synced, so sales made offline on several
//! counters add up. This module is pure: it checks what a person asked for and works
//! out stocktake differences; `store::stock` writes the movements. Shops live here
//! too, with their public details (address, opening hours) checked by the sync
//! protocol's rule, which the server and the storefront share.

use galla_sync_protocol::{parse_address, parse_opening_hours, OpeningPeriod};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::hlc::HlcStamp;
use crate::quantity::Quantity;

/// The largest quantity one movement, count or threshold may carry: a billion units.
/// Far beyond any real shelf, and it keeps sums of many movements far from `i64`'s
/// limits, so a mistyped figure is refused instead of overflowing a total later.
pub const MAX_MOVEMENT_MILLI: i64 = 1_000_000_000_000;

pub const NOTE_MAX_CHARS: usize = 500;
pub const SHOP_NAME_MAX_CHARS: usize = 100;

/// Why stock moved. Stored as text (`as_str`) on disk and on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MovementKind {
    Receive,
    Sale,
    Return,
    Adjustment,
    /// The difference a stocktake found between the shelf and the ledger.
    Count,
    TransferOut,
    TransferIn,
}

impl MovementKind {
    pub const ALL: [MovementKind; 7] = [
        MovementKind::Receive,
        MovementKind::Sale,
        MovementKind::Return,
        MovementKind::Adjustment,
        MovementKind::Count,
        MovementKind::TransferOut,
        MovementKind::TransferIn,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            MovementKind::Receive => "receive",
            MovementKind::Sale => "sale",
            MovementKind::Return => "return",
            MovementKind::Adjustment => "adjustment",
            MovementKind::Count => "count",
            MovementKind::TransferOut => "transfer_out",
            MovementKind::TransferIn => "transfer_in",
        }
    }

    pub fn parse(text: &str) -> Option<MovementKind> {
        MovementKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// Why stock was adjusted by hand. The audit log and reports group by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AdjustmentReason {
    Damaged,
    Lost,
    Found,
    Correction,
    OwnUse,
}

/// Which way an adjustment with a given reason may move stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdjustmentDirection {
    Down,
    Up,
    Either,
}

impl AdjustmentReason {
    pub const ALL: [AdjustmentReason; 5] = [
        AdjustmentReason::Damaged,
        AdjustmentReason::Lost,
        AdjustmentReason::Found,
        AdjustmentReason::Correction,
        AdjustmentReason::OwnUse,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            AdjustmentReason::Damaged => "damaged",
            AdjustmentReason::Lost => "lost",
            AdjustmentReason::Found => "found",
            AdjustmentReason::Correction => "correction",
            AdjustmentReason::OwnUse => "own_use",
        }
    }

    pub fn parse(text: &str) -> Option<AdjustmentReason> {
        AdjustmentReason::ALL
            .into_iter()
            .find(|r| r.as_str() == text)
    }

    /// How a person reads the reason in a list or a report.
    pub fn label(&self) -> &'static str {
        match self {
            AdjustmentReason::Damaged => "Damaged",
            AdjustmentReason::Lost => "Lost",
            AdjustmentReason::Found => "Found",
            AdjustmentReason::Correction => "Correction",
            AdjustmentReason::OwnUse => "Own use",
        }
    }

    /// Damaged, lost or used goods leave the shelf and found goods come back to it; a
    /// movement the other way is a typing slip, and would hide real shrinkage in the
    /// reports. Only a correction may go either way.
    pub fn direction(&self) -> AdjustmentDirection {
        match self {
            AdjustmentReason::Damaged | AdjustmentReason::Lost | AdjustmentReason::OwnUse => {
                AdjustmentDirection::Down
            }
            AdjustmentReason::Found => AdjustmentDirection::Up,
            AdjustmentReason::Correction => AdjustmentDirection::Either,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShopStatus {
    Active,
    Archived,
}

impl ShopStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            ShopStatus::Active => "active",
            ShopStatus::Archived => "archived",
        }
    }

    pub fn parse(text: &str) -> Option<ShopStatus> {
        match text {
            "active" => Some(ShopStatus::Active),
            "archived" => Some(ShopStatus::Archived),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shop {
    pub id: Uuid,
    pub name: String,
    pub status: ShopStatus,
}

/// What a shop tells its customers: its name, where it is and when it is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopDetails {
    pub id: Uuid,
    pub name: String,
    /// As the shop writes it, lines and all; empty when not given.
    pub address: String,
    /// Sorted by day and time; empty when not given. A day without a period is closed.
    pub opening_hours: Vec<OpeningPeriod>,
}

/// One line of the ledger, as written. Never edited once written (SYNC.md rule 4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockMovement {
    pub id: Uuid,
    pub variant_id: Uuid,
    pub shop_id: Uuid,
    /// Signed: positive moves stock onto the shelf, negative takes it off.
    pub quantity: Quantity,
    pub kind: MovementKind,
    /// Set on adjustments, and only on them.
    pub reason: Option<AdjustmentReason>,
    pub note: Option<String>,
    /// The sale, stocktake or transfer this movement belongs to.
    pub document_id: Option<Uuid>,
    /// The other shop of a transfer.
    pub counterpart_shop_id: Option<Uuid>,
    pub staff_id: Option<Uuid>,
    pub device_id: Uuid,
    pub hlc: HlcStamp,
    /// The device's wall clock when the movement was recorded.
    pub at_ms: u64,
}

/// The two halves of a transfer between shops; they share one document id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockTransfer {
    pub sent: StockMovement,
    pub received: StockMovement,
}

/// A variant at or below its low-stock threshold in one shop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReorderLine {
    pub variant_id: Uuid,
    pub shop_id: Uuid,
    pub on_hand: Quantity,
    pub threshold: Quantity,
    /// How far on-hand is below the threshold (zero when exactly at it).
    pub shortfall: Quantity,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StockError {
    #[error("Enter how many arrived; it must be more than zero.")]
    ReceiveNotPositive,
    #[error("Enter by how much the stock changes; an adjustment of zero changes nothing.")]
    AdjustmentZero,
    #[error("Choose a reason for the adjustment: damaged, lost, found, correction or own use.")]
    ReasonRequired,
    #[error("Stock marked \"{}\" can only go down. Enter the quantity as a negative number, or choose Correction.", .0.label())]
    ReasonOnlyDown(AdjustmentReason),
    #[error("Stock marked \"{}\" can only go up. Enter the quantity as a positive number, or choose Correction.", .0.label())]
    ReasonOnlyUp(AdjustmentReason),
    #[error("Enter how many to send; it must be more than zero.")]
    TransferNotPositive,
    #[error("Choose a different shop to send the stock to; it is already in this one.")]
    TransferToSameShop,
    #[error("A counted quantity cannot be below zero. Enter what is on the shelf, or 0 when there is none.")]
    CountNegative(Uuid),
    #[error("An item appears twice in this stocktake. Enter one figure per item.")]
    CountedTwice(Uuid),
    #[error("A low-stock threshold cannot be below zero. Enter 0 to be told only when the item runs out.")]
    ThresholdNegative,
    #[error("Enter a quantity under 1,000,000,000.")]
    QuantityTooLarge,
    #[error("Keep the note under {NOTE_MAX_CHARS} characters.")]
    NoteTooLong,
    #[error("Enter a name for the shop.")]
    ShopNameRequired,
    #[error("Keep the shop name under {SHOP_NAME_MAX_CHARS} characters.")]
    ShopNameTooLong,
    /// The protocol's sentence saying what is wrong with the address.
    #[error("{0}")]
    AddressInvalid(String),
    /// The protocol's sentence saying which period is wrong and why.
    #[error("{0}")]
    OpeningHoursInvalid(String),
    #[error("That shop is not in this store. Choose a shop from the list, or sync and try again.")]
    ShopNotFound(Uuid),
    #[error(
        "That item is not in the catalog. Choose an item from the list, or sync and try again."
    )]
    VariantNotFound(Uuid),
    #[error("This device's date and time look wrong. Correct them in the system settings and try again.")]
    ClockOutOfRange,
}

fn within_limit(quantity: Quantity) -> Result<(), StockError> {
    if quantity.milli().unsigned_abs() > MAX_MOVEMENT_MILLI.unsigned_abs() {
        return Err(StockError::QuantityTooLarge);
    }
    Ok(())
}

/// Goods arriving at a shop.
pub fn validate_receive(quantity: Quantity) -> Result<(), StockError> {
    if quantity.milli() <= 0 {
        return Err(StockError::ReceiveNotPositive);
    }
    within_limit(quantity)
}

/// A hand adjustment: signed, non-zero, with a reason that fits its direction. The
/// reason is an `Option` because it arrives from a form where it may be missing.
pub fn validate_adjustment(
    quantity: Quantity,
    reason: Option<AdjustmentReason>,
) -> Result<AdjustmentReason, StockError> {
    let reason = reason.ok_or(StockError::ReasonRequired)?;
    if quantity.milli() == 0 {
        return Err(StockError::AdjustmentZero);
    }
    within_limit(quantity)?;
    match reason.direction() {
        AdjustmentDirection::Down if quantity.milli() > 0 => {
            Err(StockError::ReasonOnlyDown(reason))
        }
        AdjustmentDirection::Up if quantity.milli() < 0 => Err(StockError::ReasonOnlyUp(reason)),
        _ => Ok(reason),
    }
}

/// Stock sent from one shop to another. Sending more than is on hand is allowed (and
/// leaves the source negative): the ledger records what happened, it does not refuse.
pub fn validate_transfer(
    from_shop: Uuid,
    to_shop: Uuid,
    quantity: Quantity,
) -> Result<(), StockError> {
    if from_shop == to_shop {
        return Err(StockError::TransferToSameShop);
    }
    if quantity.milli() <= 0 {
        return Err(StockError::TransferNotPositive);
    }
    within_limit(quantity)
}

/// The figures of one stocktake: what is on the shelf, one figure per variant.
pub fn validate_count(counts: &[(Uuid, Quantity)]) -> Result<(), StockError> {
    let mut seen = std::collections::HashSet::with_capacity(counts.len());
    for &(variant_id, counted) in counts {
        if counted.milli() < 0 {
            return Err(StockError::CountNegative(variant_id));
        }
        within_limit(counted)?;
        // Two figures for one item could mean "two spots on the shelf" or "counted it
        // twice"; guessing either way would write a wrong difference.
        if !seen.insert(variant_id) {
            return Err(StockError::CountedTwice(variant_id));
        }
    }
    Ok(())
}

pub fn validate_threshold(threshold: Option<Quantity>) -> Result<(), StockError> {
    match threshold {
        Some(t) if t.milli() < 0 => Err(StockError::ThresholdNegative),
        Some(t) => within_limit(t),
        None => Ok(()),
    }
}

/// What a stocktake records for one variant: the counted figure minus the ledger's,
/// or `None` when they agree and nothing needs writing. Saturates rather than
/// overflows; `validate_movement_size` then refuses an absurd difference.
pub fn stocktake_difference(on_hand: Quantity, counted: Quantity) -> Option<Quantity> {
    let difference = counted.milli().saturating_sub(on_hand.milli());
    (difference != 0).then(|| Quantity::from_milli(difference))
}

/// A difference worked out from the ledger must still fit one movement.
pub fn validate_movement_size(quantity: Quantity) -> Result<(), StockError> {
    within_limit(quantity)
}

/// At or below the threshold: time to reorder.
pub fn is_low(on_hand: Quantity, threshold: Quantity) -> bool {
    on_hand <= threshold
}

/// More was sold or sent than the ledger had: allowed, and shown so someone looks.
pub fn is_negative(on_hand: Quantity) -> bool {
    on_hand.milli() < 0
}

/// Folds white space (notes end up in one-line lists and CSV files) and drops control
/// characters; an empty note is no note.
pub fn parse_note(text: Option<&str>) -> Result<Option<String>, StockError> {
    let Some(text) = text else {
        return Ok(None);
    };
    let note = fold(text);
    if note.is_empty() {
        return Ok(None);
    }
    if note.chars().count() > NOTE_MAX_CHARS {
        return Err(StockError::NoteTooLong);
    }
    Ok(Some(note))
}

pub fn parse_shop_name(text: &str) -> Result<String, StockError> {
    let name = fold(text);
    if name.is_empty() {
        return Err(StockError::ShopNameRequired);
    }
    if name.chars().count() > SHOP_NAME_MAX_CHARS {
        return Err(StockError::ShopNameTooLong);
    }
    Ok(name)
}

/// A shop's details as typed, checked: the name as `parse_shop_name` makes it, the
/// address trimmed, the hours sorted. Returns (name, address, opening hours).
pub fn parse_shop_details(
    name: &str,
    address: &str,
    opening_hours: &[OpeningPeriod],
) -> Result<(String, String, Vec<OpeningPeriod>), StockError> {
    let name = parse_shop_name(name)?;
    let address = parse_address(address).map_err(StockError::AddressInvalid)?;
    let hours = parse_opening_hours(&opening_hours_value(opening_hours))
        .map_err(StockError::OpeningHoursInvalid)?;
    Ok((name, address, hours))
}

/// Opening hours as a shop record carries them: a JSON list of periods.
pub fn opening_hours_value(periods: &[OpeningPeriod]) -> Value {
    Value::Array(
        periods
            .iter()
            .map(|p| json!({"day": p.day, "opens": p.opens, "closes": p.closes}))
            .collect(),
    )
}

fn fold(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    fn q(milli: i64) -> Quantity {
        Quantity::from_milli(milli)
    }

    fn id(n: u8) -> Uuid {
        Uuid::from_bytes([n; 16])
    }

    #[test]
    fn kinds_and_reasons_round_trip_as_text() {
        for kind in MovementKind::ALL {
            assert_eq!(MovementKind::parse(kind.as_str()), Some(kind));
        }
        for reason in AdjustmentReason::ALL {
            assert_eq!(AdjustmentReason::parse(reason.as_str()), Some(reason));
        }
        for status in [ShopStatus::Active, ShopStatus::Archived] {
            assert_eq!(ShopStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(MovementKind::parse("Receive"), None, "text is exact");
        assert_eq!(MovementKind::parse(""), None);
        assert_eq!(AdjustmentReason::parse("own use"), None);
        assert_eq!(AdjustmentReason::OwnUse.label(), "Own use");
        assert_eq!(AdjustmentReason::Damaged.label(), "Damaged");
    }

    #[test]
    fn a_receive_must_bring_something() {
        assert_eq!(validate_receive(q(0)), Err(StockError::ReceiveNotPositive));
        assert_eq!(validate_receive(q(-1)), Err(StockError::ReceiveNotPositive));
        assert_eq!(validate_receive(q(250)), Ok(()), "0.250 kg arrives");
        assert_eq!(validate_receive(q(MAX_MOVEMENT_MILLI)), Ok(()));
        assert_eq!(
            validate_receive(q(MAX_MOVEMENT_MILLI + 1)),
            Err(StockError::QuantityTooLarge)
        );
    }

    #[test]
    fn an_adjustment_needs_a_reason_and_a_direction_that_fits_it() {
        assert_eq!(
            validate_adjustment(q(-1000), None),
            Err(StockError::ReasonRequired)
        );
        assert_eq!(
            validate_adjustment(q(0), Some(AdjustmentReason::Correction)),
            Err(StockError::AdjustmentZero)
        );
        assert_eq!(
            validate_adjustment(q(-1000), Some(AdjustmentReason::Damaged)),
            Ok(AdjustmentReason::Damaged)
        );
        assert_eq!(
            validate_adjustment(q(1000), Some(AdjustmentReason::Lost)),
            Err(StockError::ReasonOnlyDown(AdjustmentReason::Lost))
        );
        assert_eq!(
            validate_adjustment(q(-1000), Some(AdjustmentReason::Found)),
            Err(StockError::ReasonOnlyUp(AdjustmentReason::Found))
        );
        for signed in [q(-5), q(5)] {
            assert_eq!(
                validate_adjustment(signed, Some(AdjustmentReason::Correction)),
                Ok(AdjustmentReason::Correction),
                "a correction may go either way"
            );
        }
        assert_eq!(
            validate_adjustment(q(i64::MIN), Some(AdjustmentReason::Correction)),
            Err(StockError::QuantityTooLarge)
        );
        let message = StockError::ReasonOnlyDown(AdjustmentReason::OwnUse).to_string();
        assert!(message.contains("\"Own use\""), "{message}");
    }

    #[test]
    fn a_transfer_goes_somewhere_else_and_moves_something() {
        assert_eq!(
            validate_transfer(id(1), id(1), q(1000)),
            Err(StockError::TransferToSameShop)
        );
        assert_eq!(
            validate_transfer(id(1), id(2), q(0)),
            Err(StockError::TransferNotPositive)
        );
        assert_eq!(
            validate_transfer(id(1), id(2), q(-1000)),
            Err(StockError::TransferNotPositive)
        );
        assert_eq!(validate_transfer(id(1), id(2), q(1)), Ok(()));
    }

    #[test]
    fn a_count_has_one_figure_per_item_and_none_below_zero() {
        assert_eq!(validate_count(&[]), Ok(()));
        assert_eq!(validate_count(&[(id(1), q(0)), (id(2), q(2500))]), Ok(()));
        assert_eq!(
            validate_count(&[(id(1), q(-1))]),
            Err(StockError::CountNegative(id(1)))
        );
        assert_eq!(
            validate_count(&[(id(1), q(1000)), (id(2), q(0)), (id(1), q(1000))]),
            Err(StockError::CountedTwice(id(1)))
        );
    }

    #[test]
    fn stocktake_records_only_differences() {
        assert_eq!(stocktake_difference(q(5000), q(5000)), None);
        assert_eq!(stocktake_difference(q(5000), q(3000)), Some(q(-2000)));
        assert_eq!(
            stocktake_difference(q(-2000), q(1000)),
            Some(q(3000)),
            "an oversold shelf counted back up records the whole gap"
        );
        assert_eq!(
            stocktake_difference(q(1000), q(1250)),
            Some(q(250)),
            "weighed goods: 0.250 kg more than the ledger"
        );
        assert_eq!(stocktake_difference(q(0), q(0)), None);
    }

    #[test]
    fn low_and_negative_stock_are_flags_not_refusals() {
        assert!(is_low(q(2000), q(2000)), "at the threshold is low");
        assert!(is_low(q(-1000), q(0)));
        assert!(!is_low(q(2001), q(2000)));
        assert!(is_negative(q(-1)));
        assert!(!is_negative(q(0)));
    }

    #[test]
    fn thresholds_notes_and_shop_names() {
        assert_eq!(validate_threshold(None), Ok(()));
        assert_eq!(validate_threshold(Some(q(0))), Ok(()));
        assert_eq!(
            validate_threshold(Some(q(-1))),
            Err(StockError::ThresholdNegative)
        );
        assert_eq!(parse_note(None), Ok(None));
        assert_eq!(parse_note(Some(" \t\n ")), Ok(None));
        assert_eq!(
            parse_note(Some(" rain \n got in\u{7} ")),
            Ok(Some("rain got in".to_owned()))
        );
        assert_eq!(
            parse_note(Some(&"x".repeat(NOTE_MAX_CHARS + 1))),
            Err(StockError::NoteTooLong)
        );
        assert_eq!(
            parse_shop_name("  Park\tStreet "),
            Ok("Park Street".to_owned())
        );
        assert_eq!(parse_shop_name(" "), Err(StockError::ShopNameRequired));
        assert_eq!(
            parse_shop_name(&"x".repeat(SHOP_NAME_MAX_CHARS + 1)),
            Err(StockError::ShopNameTooLong)
        );
    }

    fn period(day: &str, opens: &str, closes: &str) -> OpeningPeriod {
        OpeningPeriod {
            day: day.into(),
            opens: opens.into(),
            closes: closes.into(),
        }
    }

    #[test]
    fn shop_details_are_checked_by_the_protocol_rule_and_sorted() {
        let (name, address, hours) = parse_shop_details(
            " Park  Street ",
            "  12 MG Road\nBengaluru \n",
            &[
                period("tue", "10:00", "19:00"),
                period("mon", "14:00", "20:00"),
                period("mon", "09:00", "13:00"),
            ],
        )
        .unwrap();
        assert_eq!(name, "Park Street");
        assert_eq!(address, "12 MG Road\nBengaluru", "trimmed, line break kept");
        assert_eq!(
            hours,
            [
                period("mon", "09:00", "13:00"),
                period("mon", "14:00", "20:00"),
                period("tue", "10:00", "19:00"),
            ],
            "sorted by day, then opening time"
        );
        assert_eq!(
            parse_shop_details(" ", "", &[]),
            Err(StockError::ShopNameRequired)
        );
        assert!(matches!(
            parse_shop_details("Park Street", "a\u{7}b", &[]),
            Err(StockError::AddressInvalid(_))
        ));
        let Err(StockError::OpeningHoursInvalid(message)) =
            parse_shop_details("Park Street", "", &[period("wed", "18:00", "09:00")])
        else {
            panic!("closing before opening must be refused");
        };
        assert!(message.contains("must be after"), "{message}");
    }

    #[test]
    fn opening_hours_travel_as_a_list_of_periods() {
        assert_eq!(
            opening_hours_value(&[period("sun", "09:00", "24:00")]),
            json!([{"day": "sun", "opens": "09:00", "closes": "24:00"}])
        );
        assert_eq!(opening_hours_value(&[]), json!([]));
    }

    proptest! {
        #[test]
        fn recording_the_difference_brings_the_ledger_to_the_count(
            on_hand in -MAX_MOVEMENT_MILLI..MAX_MOVEMENT_MILLI,
            counted in 0..MAX_MOVEMENT_MILLI,
        ) {
            let after = match stocktake_difference(q(on_hand), q(counted)) {
                Some(d) => {
                    prop_assert_ne!(d.milli(), 0, "a recorded difference is never zero");
                    on_hand + d.milli()
                }
                None => on_hand,
            };
            prop_assert_eq!(after, counted);
        }
    }
}
