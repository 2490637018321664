//! Applying one pushed entry inside the push's transaction: validate, authorize, then
//! merge a record field by field or insert a document once, moving each changed row to
//! the next cursor of the business's feed.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use galla_sync_protocol::{
    document_digest, record_digest, stored_entity, Change, EntityKind, Entry, EntryResult,
    EntryStatus,
};
use serde_json::{Map, Value};
use sqlx::types::Json as Jsonb;
use sqlx::{Acquire, PgConnection, Postgres, Transaction};
use uuid::Uuid;

use super::auth::AuthDevice;
use super::authorize::{self, StaffMember};
use super::merge::{merge, Merge, RecordState};
use super::pull::current_change;
use super::validate::{self, Body, Checked, Facts, Rejection};
use crate::error::ApiError;
use crate::storefront::projection;

type RecordRow = (
    Jsonb<Map<String, Value>>,
    Option<Jsonb<BTreeMap<String, String>>>,
);

/// What became of one new entry.
pub(super) struct Outcome {
    pub(super) status: EntryStatus,
    pub(super) rejection: Option<Rejection>,
    pub(super) current: Option<Change>,
}

impl Outcome {
    fn done(status: EntryStatus) -> Outcome {
        Outcome {
            status,
            rejection: None,
            current: None,
        }
    }

    fn rejected(rejection: Rejection, current: Option<Change>) -> Outcome {
        Outcome {
            status: EntryStatus::Rejected,
            rejection: Some(rejection),
            current,
        }
    }

    pub(super) fn result(&self, seq: u64) -> EntryResult {
        EntryResult {
            seq,
            status: self.status,
            code: self.rejection.as_ref().map(|r| r.code.to_owned()),
            reason: self.rejection.as_ref().map(|r| r.reason.clone()),
            current: self.current.clone(),
        }
    }
}

/// The state of one push while its entries are applied.
pub(super) struct Batch {
    pub(super) business_id: Uuid,
    pub(super) device: AuthDevice,
    /// The last cursor handed out, including this batch's changes so far.
    pub(super) cursor: i64,
    now_ms: u64,
    /// Staff members looked up in this batch; forgotten when a staff record changes.
    staff: HashMap<Uuid, Option<StaffMember>>,
    has_staff: Option<bool>,
    /// Products whose storefront listing this batch may have changed; refreshed once,
    /// before the push commits.
    pub(super) storefront_products: BTreeSet<Uuid>,
}

impl Batch {
    pub(super) fn new(device: AuthDevice, cursor: i64, now_ms: u64) -> Batch {
        Batch {
            business_id: device.business_id,
            device,
            cursor,
            now_ms,
            staff: HashMap::new(),
            has_staff: None,
            storefront_products: BTreeSet::new(),
        }
    }

    /// Applies `entry` under a savepoint: if the database refuses its data, the entry
    /// is rejected and the batch goes on; any other database failure fails the push.
    pub(super) async fn apply_isolated(
        &mut self,
        tx: &mut Transaction<'static, Postgres>,
        entry: &Entry,
    ) -> Result<Outcome, ApiError> {
        let cursor_before = self.cursor;
        let mut savepoint = tx.begin().await?;
        match self.apply(&mut savepoint, entry).await {
            Ok(outcome) => {
                savepoint.commit().await?;
                Ok(outcome)
            }
            Err(error) if crate::db::is_data_error(&error) => {
                savepoint.rollback().await?;
                self.cursor = cursor_before;
                self.staff.clear();
                self.has_staff = None;
                let detail = error
                    .as_database_error()
                    .map(|db| db.message().to_owned())
                    .unwrap_or_default();
                tracing::warn!(device = %self.device.id, seq = entry.seq, %error, "entry refused by the database");
                Ok(Outcome::rejected(
                    Rejection::new(
                        "invalid_payload",
                        format!("The server could not store this entry ({detail})."),
                    ),
                    None,
                ))
            }
            Err(error) => Err(ApiError::from_db(error)),
        }
    }

    async fn apply(
        &mut self,
        conn: &mut PgConnection,
        entry: &Entry,
    ) -> Result<Outcome, sqlx::Error> {
        let checked = match validate::check(entry, self.now_ms) {
            Ok(checked) => checked,
            Err(rejection) => {
                let current = self.current_if_record(conn, entry).await?;
                return Ok(Outcome::rejected(rejection, current));
            }
        };
        match &checked.body {
            Body::Record(fields) => self.apply_record(conn, entry, &checked, fields).await,
            Body::Document(payload, facts) => {
                self.apply_document(conn, entry, &checked, payload, facts)
                    .await
            }
        }
    }

    /// The server's state of the record an entry names, for its rejection.
    async fn current_if_record(
        &self,
        conn: &mut PgConnection,
        entry: &Entry,
    ) -> Result<Option<Change>, sqlx::Error> {
        match stored_entity(&entry.entity, &entry.op) {
            Some(spec) if spec.kind == EntityKind::Record && !entry.key.contains('\0') => {
                current_change(conn, self.business_id, spec.name, &entry.key).await
            }
            _ => Ok(None),
        }
    }

    async fn actor(
        &mut self,
        conn: &mut PgConnection,
        staff_id: Option<Uuid>,
    ) -> Result<Option<StaffMember>, sqlx::Error> {
        let Some(id) = staff_id else {
            return Ok(None);
        };
        if let Some(known) = self.staff.get(&id) {
            return Ok(*known);
        }
        let member = authorize::staff_member(conn, self.business_id, id).await?;
        self.staff.insert(id, member);
        Ok(member)
    }

    async fn business_has_staff(&mut self, conn: &mut PgConnection) -> Result<bool, sqlx::Error> {
        if let Some(known) = self.has_staff {
            return Ok(known);
        }
        let known = authorize::has_staff(conn, self.business_id).await?;
        self.has_staff = Some(known);
        Ok(known)
    }

    fn next_cursor(&mut self) -> i64 {
        self.cursor += 1;
        self.cursor
    }

    async fn apply_record(
        &mut self,
        conn: &mut PgConnection,
        entry: &Entry,
        checked: &Checked<'_>,
        fields: &Map<String, Value>,
    ) -> Result<Outcome, sqlx::Error> {
        let spec = checked.spec;
        let bootstrap = spec.name == "staff" && {
            let has_staff = self.business_has_staff(conn).await?;
            authorize::is_bootstrap(checked, entry.staff_id, has_staff)
        };
        if !bootstrap {
            let actor = self.actor(conn, entry.staff_id).await?;
            if let Err(rejection) = authorize::decide(checked, entry.staff_id, actor) {
                let current =
                    current_change(conn, self.business_id, spec.name, checked.key).await?;
                return Ok(Outcome::rejected(rejection, current));
            }
        }

        let row: Option<RecordRow> = sqlx::query_as(
            "SELECT data, clocks FROM records
                 WHERE business_id = $1 AND entity = $2 AND key = $3 FOR UPDATE",
        )
        .bind(self.business_id)
        .bind(spec.name)
        .bind(checked.key)
        .fetch_optional(&mut *conn)
        .await?;
        let mut state = row
            .map(|(data, clocks)| RecordState {
                data: data.0,
                clocks: clocks.map(|c| c.0).unwrap_or_default(),
            })
            .unwrap_or_default();
        let product_before = projection::product_of(spec.name, checked.key, &state.data);
        match merge(&mut state, fields, &entry.hlc) {
            Merge::AlreadyThere => return Ok(Outcome::done(EntryStatus::AlreadyApplied)),
            // Accepted, and outvoted field by field by later writes: nothing to store.
            Merge::Superseded => return Ok(Outcome::done(EntryStatus::Applied)),
            Merge::Changed => {}
        }
        let digest = record_digest(
            spec.name,
            checked.key,
            state.clocks.iter().map(|(f, s)| (f.as_str(), s.as_str())),
        );
        let cursor = self.next_cursor();
        sqlx::query(
            "INSERT INTO records (business_id, entity, key, cursor, scope, data, clocks, digest,
                                  origin_device, changed_by_device)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
             ON CONFLICT (business_id, entity, key) DO UPDATE SET
                 cursor = excluded.cursor, data = excluded.data, clocks = excluded.clocks,
                 digest = excluded.digest, changed_by_device = excluded.changed_by_device,
                 changed_at = now()",
        )
        .bind(self.business_id)
        .bind(spec.name)
        .bind(checked.key)
        .bind(cursor)
        .bind(spec.scope)
        .bind(Jsonb(&state.data))
        .bind(Jsonb(&state.clocks))
        .bind(digest)
        .bind(self.device.id)
        .execute(&mut *conn)
        .await?;
        if projection::touches_product(spec.name) {
            // A variant or picture moved to another product changes both listings.
            let after = projection::product_of(spec.name, checked.key, &state.data);
            self.storefront_products
                .extend(product_before.into_iter().chain(after));
        }
        if spec.name == "staff" {
            self.staff.clear();
            self.has_staff = Some(true);
        }
        Ok(Outcome::done(EntryStatus::Applied))
    }

    async fn apply_document(
        &mut self,
        conn: &mut PgConnection,
        entry: &Entry,
        checked: &Checked<'_>,
        payload: &Value,
        facts: &Facts,
    ) -> Result<Outcome, sqlx::Error> {
        let spec = checked.spec;
        // The first copy of a document wins; later ones (a retry under a new number, a
        // restored copy of the store) find it there.
        if self.row_exists(conn, spec.name, checked.key).await? {
            return Ok(Outcome::done(EntryStatus::AlreadyApplied));
        }
        let actor = self.actor(conn, entry.staff_id).await?;
        if let Err(rejection) = authorize::decide(checked, entry.staff_id, actor) {
            return Ok(Outcome::rejected(rejection, None));
        }
        if let Some(rejection) = self.misplaced(conn, facts, checked.key).await? {
            return Ok(Outcome::rejected(rejection, None));
        }
        if let Facts::Sale { number, .. } = facts {
            let taken: Option<Uuid> = sqlx::query_scalar(
                "SELECT sale_id FROM sale_numbers WHERE business_id = $1 AND number = $2",
            )
            .bind(self.business_id)
            .bind(number)
            .fetch_optional(&mut *conn)
            .await?;
            if let Some(other) = taken {
                return Ok(Outcome::rejected(
                    Rejection::new(
                        "duplicate_number",
                        format!("Receipt number {number} is already used by sale {other}; this store may have been restored or copied."),
                    ),
                    None,
                ));
            }
            sqlx::query(
                "INSERT INTO sale_numbers (business_id, number, sale_id) VALUES ($1, $2, $3::uuid)",
            )
            .bind(self.business_id)
            .bind(number)
            .bind(checked.key)
            .execute(&mut *conn)
            .await?;
        }
        if let Facts::StockMovement {
            variant_id,
            shop_id,
            quantity_milli,
            ..
        } = facts
        {
            sqlx::query(
                "INSERT INTO stock_levels (business_id, variant_id, shop_id, on_hand_milli)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (business_id, variant_id, shop_id)
                 DO UPDATE SET on_hand_milli = stock_levels.on_hand_milli + excluded.on_hand_milli",
            )
            .bind(self.business_id)
            .bind(variant_id)
            .bind(shop_id)
            .bind(quantity_milli)
            .execute(&mut *conn)
            .await?;
        }
        let cursor = self.next_cursor();
        sqlx::query(
            "INSERT INTO records (business_id, entity, key, cursor, scope, data, clocks, digest,
                                  origin_device, changed_by_device)
             VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, $8)",
        )
        .bind(self.business_id)
        .bind(spec.name)
        .bind(checked.key)
        .bind(cursor)
        .bind(spec.scope)
        .bind(Jsonb(payload))
        .bind(document_digest(spec.name, checked.key))
        .bind(self.device.id)
        .execute(&mut *conn)
        .await?;
        Ok(Outcome::done(EntryStatus::Applied))
    }

    async fn row_exists(
        &self,
        conn: &mut PgConnection,
        entity: &str,
        key: &str,
    ) -> Result<bool, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM records WHERE business_id = $1 AND entity = $2 AND key = $3)",
        )
        .bind(self.business_id)
        .bind(entity)
        .bind(key)
        .fetch_one(conn)
        .await
    }

    /// A document made on another device, or in a shop it cannot be in.
    async fn misplaced(
        &self,
        conn: &mut PgConnection,
        facts: &Facts,
        key: &str,
    ) -> Result<Option<Rejection>, sqlx::Error> {
        let here = self.device.id;
        if let Some(named) = facts.device_id().filter(|named| *named != here) {
            return Ok(Some(Rejection::new(
                "wrong_device",
                format!(
                    "This document says it was made on device {named}, but device {here} sent it."
                ),
            )));
        }
        match facts {
            Facts::Sale { shop_id, .. } | Facts::ShiftOpen { shop_id, .. } => {
                let fits = match self.device.shop_id {
                    Some(own) => own == *shop_id,
                    None => self.row_exists(conn, "shop", &shop_id.to_string()).await?,
                };
                if !fits {
                    let reason = match self.device.shop_id {
                        Some(own) => {
                            format!("This device works in shop {own}, not in shop {shop_id}.")
                        }
                        None => format!("This business has no shop {shop_id}."),
                    };
                    return Ok(Some(Rejection::new("wrong_shop", reason)));
                }
            }
            Facts::StockMovement {
                shop_id,
                counterpart_shop_id,
                ..
            } => {
                for shop in std::iter::once(shop_id).chain(counterpart_shop_id) {
                    if !self.row_exists(conn, "shop", &shop.to_string()).await? {
                        return Ok(Some(Rejection::new(
                            "wrong_shop",
                            format!("This business has no shop {shop}."),
                        )));
                    }
                }
            }
            _ => {}
        }
        // A shift's cash and closing belong to the device that opened it.
        let shift = match facts {
            Facts::ShiftClose => key.to_owned(),
            Facts::CashMovement { shift_id } => shift_id.to_string(),
            _ => return Ok(None),
        };
        let opened_on: Option<Option<String>> = sqlx::query_scalar(
            "SELECT data->>'device_id' FROM records
             WHERE business_id = $1 AND entity = 'shift' AND key = $2",
        )
        .bind(self.business_id)
        .bind(&shift)
        .fetch_optional(&mut *conn)
        .await?;
        match opened_on.flatten() {
            Some(device) if device != here.to_string() => Ok(Some(Rejection::new(
                "wrong_device",
                format!("Shift {shift} was opened on device {device}, not on this one."),
            ))),
            _ => Ok(None),
        }
    }
}
