//! `POST /sync/v1/enroll`: a new install joins a business, with a one-time pairing code
//! or the owner's e-mail and password, and gets its device credential.

use axum::extract::State;
use axum::Json;
use galla_sync_protocol::{EnrollReply, EnrollRequest, PairingCode, VERSION};
use sqlx::PgConnection;
use uuid::Uuid;

use super::secrets::{self, normalise_code, sha256};
use super::JsonBody;
use crate::error::ApiError;
use crate::http::AppState;

/// How long a pairing code can be used.
pub const PAIRING_CODE_HOURS: i32 = 24;

/// What the owner will see in the device list, so it is kept readable.
pub const DEVICE_NAME_MAX_CHARS: usize = 100;

/// A new pairing code, as shown to people, with when it stops working.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCode {
    pub code: PairingCode,
    /// The expiry in RFC 3339, UTC, for the command line.
    pub expires_at: String,
}

/// Makes a pairing code for `business_id` (and `shop_id`), valid for 24 hours.
/// `made_by` is the owner's device and staff id, when an owner's device asked.
pub async fn new_pairing_code(
    conn: &mut PgConnection,
    business_id: Uuid,
    shop_id: Option<Uuid>,
    made_by: Option<(Uuid, Uuid)>,
) -> Result<NewCode, sqlx::Error> {
    loop {
        let code = secrets::new_code();
        // 31^12 codes make a collision unlikely; one is simply drawn again.
        let row: Option<(i64, String)> = sqlx::query_as(
            "INSERT INTO pairing_codes (code_hash, business_id, shop_id, created_by_device,
                                        created_by_staff, expires_at)
             VALUES ($1, $2, $3, $4, $5, now() + make_interval(hours => $6))
             ON CONFLICT (code_hash) DO NOTHING
             RETURNING (extract(epoch FROM expires_at) * 1000)::bigint,
                       to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')",
        )
        .bind(sha256(&code))
        .bind(business_id)
        .bind(shop_id)
        .bind(made_by.map(|(device, _)| device))
        .bind(made_by.map(|(_, staff)| staff))
        .bind(PAIRING_CODE_HOURS)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some((expires_at_ms, expires_at)) = row {
            return Ok(NewCode {
                code: PairingCode {
                    code: secrets::show_code(&code),
                    expires_at_ms: u64::try_from(expires_at_ms).unwrap_or(0),
                },
                expires_at,
            });
        }
    }
}

enum Credential {
    Code(String),
    Login { email: String, password: String },
}

pub async fn enroll(
    State(state): State<AppState>,
    JsonBody(request): JsonBody<EnrollRequest>,
) -> Result<Json<EnrollReply>, ApiError> {
    let name = device_name(&request.device_name)?;
    let credential = match (request.pairing_code, request.email, request.password) {
        (Some(code), None, None) => Credential::Code(code),
        (None, Some(email), Some(password)) => Credential::Login { email, password },
        _ => {
            return Err(ApiError::Malformed(
                "Send either pairing_code, or email and password (not both).".into(),
            ))
        }
    };

    // The password is checked before the transaction, so a slow hash holds no lock.
    let login_business = match &credential {
        Credential::Login { email, password } => Some(check_login(&state, email, password).await?),
        Credential::Code(_) => None,
    };

    let mut tx = state.pool.begin().await?;
    let (business_id, shop_id, code_hash) = match (login_business, &credential) {
        (Some(business_id), _) => (business_id, None, None),
        (None, Credential::Code(typed)) => {
            let code = normalise_code(typed).ok_or(ApiError::EnrolmentRefused)?;
            let hash = sha256(&code);
            let row: Option<(Uuid, Option<Uuid>, bool)> = sqlx::query_as(
                "SELECT business_id, shop_id, used_at IS NULL AND expires_at > now()
                 FROM pairing_codes WHERE code_hash = $1 FOR UPDATE",
            )
            .bind(&hash)
            .fetch_optional(&mut *tx)
            .await?;
            match row {
                Some((business_id, shop_id, true)) => (business_id, shop_id, Some(hash)),
                // Wrong, used and expired codes are told apart by nobody.
                _ => return Err(ApiError::EnrolmentRefused),
            }
        }
        (None, Credential::Login { .. }) => return Err(ApiError::EnrolmentRefused),
    };

    // Only now, with a valid credential, may a caller learn that a device id exists.
    let taken: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM devices WHERE id = $1)")
        .bind(request.device_id)
        .fetch_one(&mut *tx)
        .await?;
    if taken {
        return Err(ApiError::DeviceTaken);
    }
    let token = secrets::new_token();
    let inserted = sqlx::query(
        "INSERT INTO devices (id, business_id, name, shop_id, token_hash) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(request.device_id)
    .bind(business_id)
    .bind(&name)
    .bind(shop_id)
    .bind(sha256(&token))
    .execute(&mut *tx)
    .await;
    if let Err(error) = inserted {
        // Two enrolments of one id at once: the loser is told the id is taken.
        let unique = error
            .as_database_error()
            .is_some_and(|db| db.code().as_deref() == Some("23505"));
        return Err(if unique {
            ApiError::DeviceTaken
        } else {
            ApiError::from_db(error)
        });
    }
    if let Some(hash) = code_hash {
        sqlx::query("UPDATE pairing_codes SET used_at = now(), used_by = $2 WHERE code_hash = $1")
            .bind(hash)
            .bind(request.device_id)
            .execute(&mut *tx)
            .await?;
    }
    let (business_name, business_slug): (String, String) =
        sqlx::query_as("SELECT name, slug FROM businesses WHERE id = $1")
            .bind(business_id)
            .fetch_one(&mut *tx)
            .await?;
    tx.commit().await?;
    tracing::info!(device = %request.device_id, business = %business_id, "device enrolled");
    Ok(Json(EnrollReply {
        device_id: request.device_id,
        business_id,
        business_name,
        business_slug,
        shop_id,
        token,
        protocol: VERSION,
    }))
}

fn device_name(text: &str) -> Result<String, ApiError> {
    let name = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty()
        || name.chars().count() > DEVICE_NAME_MAX_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(ApiError::Malformed(format!(
            "device_name must be 1 to {DEVICE_NAME_MAX_CHARS} printable characters, such as \"Counter 2\"."
        )));
    }
    Ok(name)
}

/// The business whose owner account `email` and `password` open.
async fn check_login(state: &AppState, email: &str, password: &str) -> Result<Uuid, ApiError> {
    // Text Postgres cannot hold cannot be anyone's e-mail.
    let row: Option<(Uuid, String)> = if email.contains('\0') {
        None
    } else {
        sqlx::query_as(
            "SELECT business_id, password_hash FROM owner_accounts WHERE lower(email) = lower($1)",
        )
        .bind(email.trim())
        .fetch_optional(&state.pool)
        .await?
    };
    let password = password.to_owned();
    let hash = row.as_ref().map(|(_, hash)| hash.clone());
    let matches =
        tokio::task::spawn_blocking(move || secrets::verify_password(&password, hash.as_deref()))
            .await
            .map_err(|error| {
                tracing::error!(%error, "password check failed to run");
                ApiError::Internal
            })?;
    match row {
        Some((business_id, _)) if matches => Ok(business_id),
        _ => Err(ApiError::EnrolmentRefused),
    }
}
