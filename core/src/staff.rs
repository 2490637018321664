//! Staff, roles, permissions, PIN rules and the lockout after wrong PINs. Pure: no
//! database, no clock, no randomness; the store (`store/staff.rs`) does the IO and
//! calls these to decide.
//!
//! Permissions are enforced in the store methods, below the UI: hiding a button is a
//! convenience, `require` is the rule (PRODUCT.md, SYNC.md rule 12).

use std::fmt;

use uuid::Uuid;

pub const STAFF_NAME_MAX_CHARS: usize = 100;
pub const PIN_MIN_DIGITS: usize = 4;
pub const PIN_MAX_DIGITS: usize = 8;
/// Wrong PINs in a row that lock a person out.
pub const MAX_WRONG_PINS: u32 = 5;
/// How long a lock lasts.
pub const LOCK_MS: u64 = 5 * 60 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Owner,
    Manager,
    Cashier,
}

impl Role {
    /// Lowest rights first: `PermissionError` walks this to say whom to ask.
    pub const ALL: [Role; 3] = [Role::Cashier, Role::Manager, Role::Owner];

    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Manager => "manager",
            Role::Cashier => "cashier",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "owner" => Some(Role::Owner),
            "manager" => Some(Role::Manager),
            "cashier" => Some(Role::Cashier),
            _ => None,
        }
    }

    /// "A cashier", as the subject of a sentence.
    fn subject(&self) -> &'static str {
        match self {
            Role::Owner => "An owner",
            Role::Manager => "A manager",
            Role::Cashier => "A cashier",
        }
    }

    /// "a manager", as the one to ask.
    fn one_to_ask(&self) -> &'static str {
        match self {
            Role::Owner => "the owner",
            Role::Manager => "a manager",
            Role::Cashier => "a cashier",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// See products, prices and stock on hand (not cost).
    ViewCatalog,
    Sell,
    /// Create and edit products: names, descriptions, codes, status.
    ManageCatalog,
    ChangePrice,
    ChangeCost,
    ViewCost,
    ReceiveStock,
    AdjustStock,
    CountStock,
    TransferStock,
    ManageStaff,
    ViewAuditLog,
    ViewReports,
    /// Approve a price override, a large discount or a refund without a receipt.
    ApproveOverride,
    /// Set up the counter: tax rates, receipt numbering, payments, printer.
    ManageSettings,
}

impl Permission {
    pub const ALL: [Permission; 15] = [
        Permission::ViewCatalog,
        Permission::Sell,
        Permission::ManageCatalog,
        Permission::ChangePrice,
        Permission::ChangeCost,
        Permission::ViewCost,
        Permission::ReceiveStock,
        Permission::AdjustStock,
        Permission::CountStock,
        Permission::TransferStock,
        Permission::ManageStaff,
        Permission::ViewAuditLog,
        Permission::ViewReports,
        Permission::ApproveOverride,
        Permission::ManageSettings,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Permission::ViewCatalog => "view_catalog",
            Permission::Sell => "sell",
            Permission::ManageCatalog => "manage_catalog",
            Permission::ChangePrice => "change_price",
            Permission::ChangeCost => "change_cost",
            Permission::ViewCost => "view_cost",
            Permission::ReceiveStock => "receive_stock",
            Permission::AdjustStock => "adjust_stock",
            Permission::CountStock => "count_stock",
            Permission::TransferStock => "transfer_stock",
            Permission::ManageStaff => "manage_staff",
            Permission::ViewAuditLog => "view_audit_log",
            Permission::ViewReports => "view_reports",
            Permission::ApproveOverride => "approve_override",
            Permission::ManageSettings => "manage_settings",
        }
    }

    /// What the permission lets a person do, to finish "A cashier cannot …".
    fn doing(&self) -> &'static str {
        match self {
            Permission::ViewCatalog => "see the catalog",
            Permission::Sell => "sell",
            Permission::ManageCatalog => "edit products",
            Permission::ChangePrice => "change prices",
            Permission::ChangeCost => "change costs",
            Permission::ViewCost => "see costs",
            Permission::ReceiveStock => "receive stock",
            Permission::AdjustStock => "adjust stock",
            Permission::CountStock => "count stock",
            Permission::TransferStock => "transfer stock",
            Permission::ManageStaff => "manage staff",
            Permission::ViewAuditLog => "see the audit log",
            Permission::ViewReports => "see reports",
            Permission::ApproveOverride => "approve overrides",
            Permission::ManageSettings => "change the counter settings",
        }
    }

    /// The role with the fewest rights that has this permission: the one to ask.
    fn who_to_ask(&self) -> &'static str {
        Role::ALL
            .into_iter()
            .find(|role| allows(*role, *self))
            .unwrap_or(Role::Owner)
            .one_to_ask()
    }
}

/// The permission table: the one place that says who may do what.
pub fn allows(role: Role, permission: Permission) -> bool {
    use Permission::*;
    match role {
        Role::Owner => true,
        // Managers run the shop but cannot change who works there, so a manager can
        // never promote themselves or lock the owner out.
        Role::Manager => !matches!(permission, ManageStaff),
        Role::Cashier => matches!(permission, ViewCatalog | Sell),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{} cannot {}. Ask {}.", .role.subject(), .permission.doing(), .permission.who_to_ask())]
pub struct PermissionError {
    pub role: Role,
    pub permission: Permission,
}

pub fn require(role: Role, permission: Permission) -> Result<(), PermissionError> {
    if allows(role, permission) {
        Ok(())
    } else {
        Err(PermissionError { role, permission })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffStatus {
    Active,
    Archived,
}

impl StaffStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            StaffStatus::Active => "active",
            StaffStatus::Archived => "archived",
        }
    }

    pub fn parse(text: &str) -> Option<StaffStatus> {
        match text {
            "active" => Some(StaffStatus::Active),
            "archived" => Some(StaffStatus::Archived),
            _ => None,
        }
    }
}

/// A person on the staff list, as the PIN screen and the staff page show them. The
/// PIN hash never leaves the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMember {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub status: StaffStatus,
    /// When the last lock after wrong PINs on this device ends; the person is
    /// locked out while this is in the future.
    pub locked_until_ms: Option<u64>,
}

/// The person signed in on this device. Only the store makes one, after a right PIN
/// (or at first-start set-up), so holding an `Actor` means someone proved who they
/// are; the fields are private so a shell cannot write one by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    staff_id: Uuid,
    name: String,
    role: Role,
}

impl Actor {
    pub(crate) fn new(staff_id: Uuid, name: String, role: Role) -> Actor {
        Actor {
            staff_id,
            name,
            role,
        }
    }

    pub fn staff_id(&self) -> Uuid {
        self.staff_id
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The role when this person signed in. The store checks the current role on
    /// every write, so a demotion takes effect at once, not at the next sign-in.
    pub fn role(&self) -> Role {
        self.role
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    #[error("A PIN is {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS} digits.")]
    Length,
    #[error("A PIN uses the digits 0 to 9 only.")]
    NotDigits,
    #[error("A PIN of one digit repeated (like 0000) is too easy to guess. Choose another.")]
    OneDigitRepeated,
    #[error("A PIN of digits in a row (like 1234 or 4321) is too easy to guess. Choose another.")]
    DigitsInARow,
}

/// A PIN that passed the rules for a new PIN. Its `Debug` hides the digits so a PIN
/// never reaches a log.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(String);

impl Pin {
    /// Checks a new PIN. Signing in does not use these rules, only the stored hash.
    pub fn parse(text: &str) -> Result<Pin, PinError> {
        let digits = text.trim();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(PinError::NotDigits);
        }
        // All ASCII now, so bytes are characters.
        if !(PIN_MIN_DIGITS..=PIN_MAX_DIGITS).contains(&digits.len()) {
            return Err(PinError::Length);
        }
        let bytes = digits.as_bytes();
        let steps = || bytes.windows(2).map(|w| (10 + w[1] - w[0]) % 10);
        if steps().all(|step| step == 0) {
            return Err(PinError::OneDigitRepeated);
        }
        // Steps are taken round the dial, so 7890 and 2109 count as runs too.
        if steps().all(|step| step == 1) || steps().all(|step| step == 9) {
            return Err(PinError::DigitsInARow);
        }
        Ok(Pin(digits.to_owned()))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(****)")
    }
}

/// Whether typed text could be a PIN at all; anything else is a wrong PIN without
/// spending a hash on it.
pub(crate) fn looks_like_pin(text: &str) -> bool {
    (PIN_MIN_DIGITS..=PIN_MAX_DIGITS).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_digit())
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StaffError {
    #[error("Enter the person's name.")]
    NameRequired,
    #[error("Keep the name under {STAFF_NAME_MAX_CHARS} characters.")]
    NameTooLong,
    #[error("{0}")]
    WeakPin(#[from] PinError),
    #[error("Wrong PIN. {}", tries_left(*.attempts_left))]
    WrongPin { attempts_left: u32 },
    #[error(
        "Too many wrong PINs. Try again in {minutes_left} min, or ask the owner to reset the PIN."
    )]
    Locked { until_ms: u64, minutes_left: u64 },
    #[error("The shop must keep at least one owner. Make someone else an owner first.")]
    LastOwner,
    #[error("That person is not on the staff list.")]
    NotFound(Uuid),
    #[error("You are no longer on the staff list. Ask the owner.")]
    NoLongerActive,
    #[error("This shop already has staff. Sign in with your PIN.")]
    AlreadySetUp,
}

fn tries_left(attempts_left: u32) -> String {
    match attempts_left {
        1 => format!(
            "One more wrong PIN locks this person out for {} minutes.",
            LOCK_MS / 60_000
        ),
        n => format!(
            "{n} more wrong PINs lock this person out for {} minutes.",
            LOCK_MS / 60_000
        ),
    }
}

/// Folds runs of white space into one space, as for product names, so a name pasted
/// with tabs or line breaks shows on one line on the PIN screen and receipts.
pub fn parse_staff_name(text: &str) -> Result<String, StaffError> {
    let name = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>();
    if name.is_empty() {
        return Err(StaffError::NameRequired);
    }
    if name.chars().count() > STAFF_NAME_MAX_CHARS {
        return Err(StaffError::NameTooLong);
    }
    Ok(name)
}

/// One person's wrong-PIN count and lock, kept per device in their staff row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LockState {
    pub failed_pins: u32,
    pub locked_until_ms: Option<u64>,
}

/// What a PIN attempt led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinOutcome {
    LetIn,
    Wrong {
        attempts_left: u32,
    },
    /// This attempt was the last wrong one allowed; the lock starts now.
    LockedNow {
        until_ms: u64,
    },
    /// The person was already locked; the PIN was not even checked.
    StillLocked {
        until_ms: u64,
    },
}

impl LockState {
    pub fn locked_at(&self, now_ms: u64) -> Option<u64> {
        self.locked_until_ms.filter(|until| now_ms < *until)
    }

    /// The wrong PINs in a row that count at `now_ms`. A lock that has run out
    /// starts a fresh round, so each lock takes five wrong PINs again, not one slip.
    pub fn failed_at(&self, now_ms: u64) -> u32 {
        match self.locked_until_ms {
            Some(until) if until <= now_ms => 0,
            _ => self.failed_pins,
        }
    }

    /// Decides one PIN attempt at `now_ms`. `check` compares the PIN with the stored
    /// hash; it is called only when the person is not locked, so an attempt during a
    /// lock cannot tell right from wrong (not even by how long it takes).
    pub fn attempt<E>(
        self,
        now_ms: u64,
        check: impl FnOnce() -> Result<bool, E>,
    ) -> Result<(LockState, PinOutcome), E> {
        if let Some(until) = self.locked_at(now_ms) {
            // A clock set back would otherwise stretch the lock by however far it
            // went back; no lock lasts longer than LOCK_MS from now.
            let until = until.min(now_ms.saturating_add(LOCK_MS));
            let state = LockState {
                locked_until_ms: Some(until),
                ..self
            };
            return Ok((state, PinOutcome::StillLocked { until_ms: until }));
        }
        if check()? {
            return Ok((LockState::default(), PinOutcome::LetIn));
        }
        let failed_pins = self.failed_at(now_ms).saturating_add(1);
        if failed_pins >= MAX_WRONG_PINS {
            let until = now_ms.saturating_add(LOCK_MS);
            let state = LockState {
                failed_pins,
                locked_until_ms: Some(until),
            };
            return Ok((state, PinOutcome::LockedNow { until_ms: until }));
        }
        let state = LockState {
            failed_pins,
            locked_until_ms: None,
        };
        Ok((
            state,
            PinOutcome::Wrong {
                attempts_left: MAX_WRONG_PINS - failed_pins,
            },
        ))
    }
}

/// Whole minutes left, rounded up, so "try again in 1 min" is never said too early.
pub fn minutes_left(until_ms: u64, now_ms: u64) -> u64 {
    until_ms.saturating_sub(now_ms).div_ceil(60_000).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::convert::Infallible;

    use Permission::*;

    /// The whole table written out: changing who may do what must change this test.
    const TABLE: [(Permission, bool, bool, bool); 15] = [
        // permission       owner  manager cashier
        (ViewCatalog, true, true, true),
        (Sell, true, true, true),
        (ManageCatalog, true, true, false),
        (ChangePrice, true, true, false),
        (ChangeCost, true, true, false),
        (ViewCost, true, true, false),
        (ReceiveStock, true, true, false),
        (AdjustStock, true, true, false),
        (CountStock, true, true, false),
        (TransferStock, true, true, false),
        (ManageStaff, true, false, false),
        (ViewAuditLog, true, true, false),
        (ViewReports, true, true, false),
        (ApproveOverride, true, true, false),
        (ManageSettings, true, true, false),
    ];

    #[test]
    fn the_permission_table_case_by_case() {
        for (permission, owner, manager, cashier) in TABLE {
            for (role, expected) in [
                (Role::Owner, owner),
                (Role::Manager, manager),
                (Role::Cashier, cashier),
            ] {
                assert_eq!(
                    allows(role, permission),
                    expected,
                    "{role} / {}: the table above is the agreed policy",
                    permission.as_str()
                );
                assert_eq!(require(role, permission).is_ok(), expected);
            }
        }
    }

    #[test]
    fn every_permission_is_in_the_table() {
        // A new permission fails to compile here until it is given a place in ALL,
        // and then fails the count below until the table above has a row for it.
        fn position(p: Permission) -> usize {
            match p {
                ViewCatalog => 0,
                Sell => 1,
                ManageCatalog => 2,
                ChangePrice => 3,
                ChangeCost => 4,
                ViewCost => 5,
                ReceiveStock => 6,
                AdjustStock => 7,
                CountStock => 8,
                TransferStock => 9,
                ManageStaff => 10,
                ViewAuditLog => 11,
                ViewReports => 12,
                ApproveOverride => 13,
                ManageSettings => 14,
            }
        }
        for (i, p) in Permission::ALL.into_iter().enumerate() {
            assert_eq!(position(p), i, "{} is out of place in ALL", p.as_str());
        }
        for p in Permission::ALL {
            assert_eq!(
                TABLE.iter().filter(|row| row.0 == p).count(),
                1,
                "{} needs exactly one row in the test table",
                p.as_str()
            );
        }
    }

    #[test]
    fn a_refusal_says_who_to_ask() {
        let cashier = require(Role::Cashier, ChangePrice).expect_err("refused");
        assert_eq!(
            cashier.to_string(),
            "A cashier cannot change prices. Ask a manager."
        );
        let manager = require(Role::Manager, ManageStaff).expect_err("refused");
        assert_eq!(
            manager.to_string(),
            "A manager cannot manage staff. Ask the owner."
        );
    }

    #[test]
    fn roles_and_statuses_round_trip_as_text() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        for status in [StaffStatus::Active, StaffStatus::Archived] {
            assert_eq!(StaffStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(Role::parse("Owner"), None, "stored text is exact");
        assert_eq!(Role::parse("admin"), None);
    }

    #[test]
    fn pin_rules() {
        for good in ["2580", " 1357 ", "90210", "12345670", "1243", "0001"] {
            assert!(Pin::parse(good).is_ok(), "{good:?} is a fair PIN");
        }
        let cases = [
            ("", PinError::Length),
            ("123", PinError::Length),
            ("123456789", PinError::Length),
            ("12a4", PinError::NotDigits),
            ("12 34", PinError::NotDigits),
            ("１２３５", PinError::NotDigits),
            ("0000", PinError::OneDigitRepeated),
            ("77777777", PinError::OneDigitRepeated),
            ("1234", PinError::DigitsInARow),
            ("4321", PinError::DigitsInARow),
            ("7890", PinError::DigitsInARow),
            ("87654321", PinError::DigitsInARow),
        ];
        for (text, expected) in cases {
            assert_eq!(Pin::parse(text), Err(expected), "{text:?}");
        }
        assert_eq!(
            PinError::DigitsInARow.to_string(),
            "A PIN of digits in a row (like 1234 or 4321) is too easy to guess. Choose another."
        );
    }

    #[test]
    fn a_pin_never_shows_in_debug_output() {
        let pin = Pin::parse("2580").expect("fair PIN");
        assert!(!format!("{pin:?}").contains("2580"));
    }

    #[test]
    fn only_four_to_eight_digits_look_like_a_pin() {
        assert!(looks_like_pin("1234"));
        assert!(looks_like_pin("12345678"));
        assert!(!looks_like_pin("123"));
        assert!(!looks_like_pin("123456789"));
        assert!(!looks_like_pin("12a4"));
    }

    #[test]
    fn staff_names_are_folded_and_bounded() {
        assert_eq!(
            parse_staff_name("  Ravi\t\nKumar "),
            Ok("Ravi Kumar".to_owned())
        );
        assert_eq!(parse_staff_name(" \t"), Err(StaffError::NameRequired));
        assert_eq!(
            parse_staff_name(&"a".repeat(101)),
            Err(StaffError::NameTooLong)
        );
        assert!(
            parse_staff_name(&"अ".repeat(100)).is_ok(),
            "chars, not bytes"
        );
    }

    fn attempt(state: LockState, now: u64, right: bool) -> (LockState, PinOutcome) {
        state
            .attempt(now, || Ok::<_, Infallible>(right))
            .unwrap_or_else(|e| match e {})
    }

    #[test]
    fn five_wrong_pins_lock_for_five_minutes() {
        let mut state = LockState::default();
        for left in (1..MAX_WRONG_PINS).rev() {
            let (next, outcome) = attempt(state, 1_000, false);
            assert_eq!(
                outcome,
                PinOutcome::Wrong {
                    attempts_left: left
                }
            );
            state = next;
        }
        let (state, outcome) = attempt(state, 1_000, false);
        assert_eq!(
            outcome,
            PinOutcome::LockedNow {
                until_ms: 1_000 + LOCK_MS
            }
        );
        let (_, outcome) = attempt(state, 1_000 + LOCK_MS - 1, true);
        assert!(
            matches!(outcome, PinOutcome::StillLocked { .. }),
            "the right PIN must not open a lock early"
        );
        let (state, outcome) = attempt(state, 1_000 + LOCK_MS, true);
        assert_eq!(outcome, PinOutcome::LetIn);
        assert_eq!(state, LockState::default(), "a right PIN clears the count");
    }

    #[test]
    fn the_pin_is_not_checked_during_a_lock() {
        let state = LockState {
            failed_pins: MAX_WRONG_PINS,
            locked_until_ms: Some(10_000),
        };
        let result = state.attempt(5_000, || -> Result<bool, Infallible> {
            panic!("the PIN was checked during a lock")
        });
        assert!(matches!(
            result,
            Ok((_, PinOutcome::StillLocked { until_ms: 10_000 }))
        ));
    }

    #[test]
    fn a_lapsed_lock_gives_a_fresh_round() {
        let state = LockState {
            failed_pins: MAX_WRONG_PINS,
            locked_until_ms: Some(10_000),
        };
        let (state, outcome) = attempt(state, 10_000, false);
        assert_eq!(
            outcome,
            PinOutcome::Wrong {
                attempts_left: MAX_WRONG_PINS - 1
            }
        );
        assert_eq!(state.locked_until_ms, None);
    }

    #[test]
    fn a_clock_set_back_does_not_stretch_a_lock() {
        let state = LockState {
            failed_pins: MAX_WRONG_PINS,
            locked_until_ms: Some(100 * LOCK_MS),
        };
        let (state, outcome) = attempt(state, LOCK_MS, true);
        assert_eq!(
            outcome,
            PinOutcome::StillLocked {
                until_ms: 2 * LOCK_MS
            }
        );
        let (_, outcome) = attempt(state, 2 * LOCK_MS, true);
        assert_eq!(outcome, PinOutcome::LetIn);
    }

    #[test]
    fn minutes_left_round_up() {
        assert_eq!(minutes_left(LOCK_MS, 0), 5);
        assert_eq!(minutes_left(60_001, 0), 2);
        assert_eq!(minutes_left(1, 0), 1);
        assert_eq!(minutes_left(0, 5), 1, "never says zero minutes");
    }

    proptest! {
        /// Whatever the attempts and however the clock moves (even backwards), a
        /// locked person is never let in, nor their PIN checked, before the lock ends.
        #[test]
        fn never_let_in_during_a_lock(
            // Mostly wrong PINs close together, so locks are common; some long gaps
            // and some steps back in time.
            steps in proptest::collection::vec(
                (
                    prop_oneof![0u64..10_000, 0u64..2 * LOCK_MS],
                    proptest::bool::weighted(0.2),
                    proptest::bool::weighted(0.25),
                ),
                1..60,
            )
        ) {
            let mut state = LockState::default();
            let mut now = 10 * LOCK_MS;
            for (delta, backwards, right) in steps {
                now = if backwards { now.saturating_sub(delta / 4) } else { now + delta };
                // Written out rather than through `locked_at`, which is under test.
                let locked = state.locked_until_ms.is_some_and(|until| now < until);
                let mut checked = false;
                let (next, outcome) = state
                    .attempt(now, || { checked = true; Ok::<_, Infallible>(right) })
                    .unwrap_or_else(|e| match e {});
                if locked {
                    prop_assert!(!checked, "the PIN was checked during a lock");
                    prop_assert!(matches!(outcome, PinOutcome::StillLocked { .. }), "{:?}", outcome);
                    let until = next.locked_until_ms.unwrap_or(0);
                    prop_assert!(until > now && until <= now + LOCK_MS);
                } else {
                    prop_assert!(checked);
                    prop_assert_eq!(outcome == PinOutcome::LetIn, right);
                }
                if outcome == PinOutcome::LetIn {
                    prop_assert_eq!(next, LockState::default(), "a right PIN resets the count");
                }
                state = next;
            }
        }

        /// Fewer than MAX_WRONG_PINS wrong PINs in a row never lock; the next one does.
        #[test]
        fn only_a_full_run_of_wrong_pins_locks(
            rights in proptest::collection::vec(proptest::bool::weighted(0.25), 1..40)
        ) {
            let mut state = LockState::default();
            let mut run = 0;
            for right in rights {
                // Same instant throughout: a lock, once on, stays on.
                let (next, outcome) = attempt(state, 1_000, right);
                if state.locked_until_ms.is_some_and(|until| 1_000 < until) {
                    prop_assert!(matches!(outcome, PinOutcome::StillLocked { .. }), "{:?}", outcome);
                } else if right {
                    run = 0;
                    prop_assert_eq!(outcome, PinOutcome::LetIn);
                } else {
                    run += 1;
                    if run < MAX_WRONG_PINS {
                        prop_assert_eq!(outcome, PinOutcome::Wrong { attempts_left: MAX_WRONG_PINS - run });
                    } else {
                        prop_assert!(matches!(outcome, PinOutcome::LockedNow { .. }), "{:?}", outcome);
                    }
                }
                state = next;
            }
        }
    }
}
