//! The operator's commands: `migrate`, `create-business`, `pairing-code`. Each
//! connects, does one thing, prints what a person needs and exits.

use std::collections::HashMap;
use std::io::BufRead;

use sqlx::PgPool;
use uuid::Uuid;

use crate::config::{one_line, Command, Config};
use crate::db;
use crate::sync::enroll::new_pairing_code;
use crate::sync::secrets::{self, MIN_PASSWORD_CHARS};

/// The owner's password for `create-business`, when not typed on standard input.
pub const PASSWORD_VARIABLE: &str = "GALLA_OWNER_PASSWORD";

const BUSINESS_NAME_MAX_CHARS: usize = 200;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{0:?} is not a usable slug: use 1 to 64 lower-case letters, digits and hyphens, not starting or ending with a hyphen (e.g. anand-textiles).")]
    BadSlug(String),
    #[error("the business name must be 1 to {BUSINESS_NAME_MAX_CHARS} characters.")]
    BadName,
    #[error("{0:?} is not an e-mail address (e.g. owner@example.in).")]
    BadEmail(String),
    #[error("the owner's password must be at least {MIN_PASSWORD_CHARS} characters.")]
    ShortPassword,
    #[error(
        "no password given: set {PASSWORD_VARIABLE} or type it as one line on standard input."
    )]
    NoPassword,
    #[error("the slug {0:?} is taken by another business; choose another.")]
    SlugTaken(String),
    #[error("the e-mail {0:?} already belongs to an owner account.")]
    EmailTaken(String),
    #[error("there is no business with slug {0:?}. Check the slug, or make it with `galla-server create-business`.")]
    UnknownBusiness(String),
    #[error("business {business:?} has no shop {shop} on the server; the owner's app syncs shops once they are made.")]
    UnknownShop { business: String, shop: Uuid },
    #[error("{0:?} is not a web origin: give scheme and host, with a port if not the usual one (e.g. https://anand.in or http://localhost:5173), or * for any.")]
    BadOrigin(String),
    #[error("cannot read the password from standard input ({0}).")]
    ReadPassword(String),
    #[error("cannot store the password ({0}).")]
    Hash(String),
    #[error("the database refused the command ({0}).")]
    Database(String),
}

impl CliError {
    /// Mistakes in what was asked (exit 2), as opposed to the environment failing (1).
    pub fn is_usage(&self) -> bool {
        !matches!(
            self,
            CliError::ReadPassword(_) | CliError::Hash(_) | CliError::Database(_)
        )
    }
}

impl From<sqlx::Error> for CliError {
    fn from(error: sqlx::Error) -> Self {
        CliError::Database(one_line(&match error.as_database_error() {
            Some(db) => db.message().to_owned(),
            None => error.to_string(),
        }))
    }
}

/// A business to create, as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBusiness {
    pub name: String,
    pub slug: String,
    pub owner_email: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedBusiness {
    pub id: Uuid,
    pub slug: String,
}

pub fn is_slug(slug: &str) -> bool {
    let bytes = slug.as_bytes();
    let edge = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    !bytes.is_empty()
        && bytes.len() <= 64
        && bytes.first().is_some_and(edge)
        && bytes.last().is_some_and(edge)
        && bytes.iter().all(|b| edge(b) || *b == b'-')
}

/// Deliberately loose (mail servers decide what a mailbox is): one `@` with something
/// on each side, a dot in the domain, no spaces.
pub fn is_email(email: &str) -> bool {
    email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
}

pub async fn create_business(
    pool: &PgPool,
    new: &NewBusiness,
) -> Result<CreatedBusiness, CliError> {
    let name = new.name.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() || name.chars().count() > BUSINESS_NAME_MAX_CHARS || name.contains('\0') {
        return Err(CliError::BadName);
    }
    if !is_slug(&new.slug) {
        return Err(CliError::BadSlug(new.slug.clone()));
    }
    let email = new.owner_email.trim();
    if !is_email(email) {
        return Err(CliError::BadEmail(new.owner_email.clone()));
    }
    if new.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(CliError::ShortPassword);
    }
    let password = new.password.clone();
    let hash = tokio::task::spawn_blocking(move || secrets::hash_password(&password))
        .await
        .map_err(|err| CliError::Hash(err.to_string()))?
        .map_err(|err| CliError::Hash(err.to_string()))?;

    let mut tx = pool.begin().await?;
    let slug_taken: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM businesses WHERE slug = $1)")
            .bind(&new.slug)
            .fetch_one(&mut *tx)
            .await?;
    if slug_taken {
        return Err(CliError::SlugTaken(new.slug.clone()));
    }
    let email_taken: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM owner_accounts WHERE lower(email) = lower($1))",
    )
    .bind(email)
    .fetch_one(&mut *tx)
    .await?;
    if email_taken {
        return Err(CliError::EmailTaken(email.to_owned()));
    }
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO businesses (id, slug, name) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(&new.slug)
        .bind(&name)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO owner_accounts (id, business_id, email, password_hash) VALUES ($1, $2, $3, $4)",
    )
    .bind(Uuid::now_v7())
    .bind(id)
    .bind(email)
    .bind(&hash)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(CreatedBusiness {
        id,
        slug: new.slug.clone(),
    })
}

/// A pairing code for the business with `slug` (and `shop`): the code as shown, and
/// when it expires (RFC 3339 and Unix milliseconds).
pub async fn pairing_code(
    pool: &PgPool,
    slug: &str,
    shop: Option<Uuid>,
) -> Result<crate::sync::enroll::NewCode, CliError> {
    let mut conn = pool.acquire().await?;
    let business: Option<Uuid> = if slug.contains('\0') {
        None
    } else {
        sqlx::query_scalar("SELECT id FROM businesses WHERE slug = $1")
            .bind(slug)
            .fetch_optional(&mut *conn)
            .await?
    };
    let business = business.ok_or_else(|| CliError::UnknownBusiness(slug.to_owned()))?;
    if let Some(shop) = shop {
        let known: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM records
                            WHERE business_id = $1 AND entity = 'shop' AND key = $2)",
        )
        .bind(business)
        .bind(shop.to_string())
        .fetch_one(&mut *conn)
        .await?;
        if !known {
            return Err(CliError::UnknownShop {
                business: slug.to_owned(),
                shop,
            });
        }
    }
    Ok(new_pairing_code(&mut conn, business, shop, None).await?)
}

/// The owner's password: the environment variable, else one line of standard input.
pub fn read_password(
    env: &HashMap<String, String>,
    stdin: &mut dyn BufRead,
) -> Result<String, CliError> {
    if let Some(password) = env.get(PASSWORD_VARIABLE).filter(|p| !p.is_empty()) {
        return Ok(password.clone());
    }
    let mut line = String::new();
    stdin
        .read_line(&mut line)
        .map_err(|err| CliError::ReadPassword(crate::config::io_reason(&err)))?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    if password.is_empty() {
        return Err(CliError::NoPassword);
    }
    Ok(password)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorefrontSettings {
    pub allow_origins: Vec<String>,
    pub exact_stock: bool,
    pub low_stock_milli: i64,
}

/// An origin as a browser sends it: scheme, host and an optional port, nothing else.
pub fn is_origin(text: &str) -> bool {
    if text == "*" {
        return true;
    }
    let Some((scheme, rest)) = text.split_once("://") else {
        return false;
    };
    matches!(scheme, "http" | "https")
        && !rest.is_empty()
        && rest.len() <= 253
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

/// Shows the storefront settings of `slug`, changing those given first. Any change moves
/// every ETag of the storefront, since settings shape every answer.
pub async fn storefront_settings(
    pool: &PgPool,
    slug: &str,
    allow_origins: Option<Vec<String>>,
    exact_stock: Option<bool>,
    low_stock_units: Option<u32>,
) -> Result<StorefrontSettings, CliError> {
    if let Some(bad) = allow_origins
        .iter()
        .flatten()
        .find(|origin| !is_origin(origin))
    {
        return Err(CliError::BadOrigin(bad.clone()));
    }
    let changing = allow_origins.is_some() || exact_stock.is_some() || low_stock_units.is_some();
    let row: Option<(Vec<String>, bool, i64)> = sqlx::query_as(
        "UPDATE businesses SET
             storefront_origins = COALESCE($2, storefront_origins),
             storefront_exact_stock = COALESCE($3, storefront_exact_stock),
             storefront_low_stock_milli = COALESCE($4, storefront_low_stock_milli),
             storefront_version = storefront_version + CASE WHEN $5 THEN 1 ELSE 0 END
         WHERE slug = $1
         RETURNING storefront_origins, storefront_exact_stock, storefront_low_stock_milli",
    )
    .bind(slug)
    .bind(allow_origins)
    .bind(exact_stock)
    .bind(low_stock_units.map(|units| i64::from(units) * 1000))
    .bind(changing)
    .fetch_optional(pool)
    .await?;
    let (allow_origins, exact_stock, low_stock_milli) =
        row.ok_or_else(|| CliError::UnknownBusiness(slug.to_owned()))?;
    Ok(StorefrontSettings {
        allow_origins,
        exact_stock,
        low_stock_milli,
    })
}

/// Runs `command` against the configured database, printing its result on stdout.
pub async fn run(
    command: Command,
    config: &Config,
    env: &HashMap<String, String>,
) -> Result<(), crate::StartupError> {
    // Read before connecting, so a missing password is reported without a database.
    let password = match &command {
        Command::CreateBusiness { .. } => {
            let stdin = std::io::stdin();
            if std::io::IsTerminal::is_terminal(&stdin) && !env.contains_key(PASSWORD_VARIABLE) {
                eprint!("Owner's password (at least {MIN_PASSWORD_CHARS} characters): ");
            }
            Some(read_password(env, &mut stdin.lock())?)
        }
        _ => None,
    };
    let pool = db::connect(&config.database_url).await?;
    let result = execute(&pool, command, password).await;
    pool.close().await;
    result
}

async fn execute(
    pool: &PgPool,
    command: Command,
    password: Option<String>,
) -> Result<(), crate::StartupError> {
    db::migrate(pool).await?;
    match command {
        Command::Migrate => println!("migrations applied"),
        Command::CreateBusiness {
            name,
            slug,
            owner_email,
        } => {
            let created = create_business(
                pool,
                &NewBusiness {
                    name,
                    slug,
                    owner_email,
                    password: password.unwrap_or_default(),
                },
            )
            .await?;
            println!("business_id: {}", created.id);
            println!("slug: {}", created.slug);
        }
        Command::PairingCode { business, shop } => {
            let made = pairing_code(pool, &business, shop).await?;
            println!("code: {}", made.code.code);
            println!("expires_at: {}", made.expires_at);
        }
        Command::Demo { products, slug } => {
            let loaded = crate::demo::load(pool, &slug, products).await?;
            println!("business_id: {}", loaded.business_id);
            println!("slug: {}", loaded.slug);
            println!("products: {}", loaded.products);
            println!("on_storefront: {}", loaded.shown);
        }
        Command::StorefrontSettings {
            business,
            allow_origins,
            exact_stock,
            low_stock_units,
        } => {
            let settings =
                storefront_settings(pool, &business, allow_origins, exact_stock, low_stock_units)
                    .await?;
            println!("allow_origins: {}", settings.allow_origins.join(","));
            println!(
                "exact_stock: {}",
                if settings.exact_stock { "yes" } else { "no" }
            );
            println!("low_stock_units: {}", settings.low_stock_milli / 1000);
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn slugs_match_the_database_rule() {
        for good in ["a", "anand", "anand-textiles", "a1", "9"] {
            assert!(is_slug(good), "{good}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "Anand",
            "anand textiles",
            "ānand",
            &"a".repeat(65),
        ] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn emails_are_checked_loosely() {
        assert!(is_email("owner@example.in"));
        assert!(is_email("a.b+c@mail.example.co.in"));
        for bad in [
            "",
            "owner",
            "@example.in",
            "owner@",
            "owner@localhost",
            "a b@c.in",
            "a@b@c.in",
            "a@.in",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn password_comes_from_the_environment_first() {
        let mut env = HashMap::new();
        let mut stdin = "typed password\r\n".as_bytes();
        assert_eq!(read_password(&env, &mut stdin).unwrap(), "typed password");
        env.insert(PASSWORD_VARIABLE.to_owned(), "from the env".to_owned());
        let mut stdin = "ignored\n".as_bytes();
        assert_eq!(read_password(&env, &mut stdin).unwrap(), "from the env");
        let mut empty = "".as_bytes();
        assert!(matches!(
            read_password(&HashMap::new(), &mut empty),
            Err(CliError::NoPassword)
        ));
    }
}
