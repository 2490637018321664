//! Postgres: connecting, migrating, and the readiness probe.

use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::Connection;

use crate::config::{io_reason, one_line};

/// Migrations are compiled into the binary so a deployed server can never run
/// against a schema it was not built for. `build.rs` makes cargo rebuild when
/// a file is added to the folder.
pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations/server");

/// Long enough for a database across a network, short enough that a wrong
/// DATABASE_URL is reported before an operator gives up waiting.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

const MAX_CONNECTIONS: u32 = 10;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL {url} is not a valid Postgres URL ({reason}). Check DATABASE_URL.")]
    InvalidUrl { url: String, reason: String },

    #[error("cannot reach the database at {url} ({reason}). Check DATABASE_URL.")]
    Unreachable { url: String, reason: String },

    #[error("cannot apply database migrations ({reason}). Check that this galla-server is not older than the one that last migrated the database.")]
    Migrate { reason: String },
}

/// Why the database did not answer a readiness probe. Only ever logged: the
/// HTTP answer stays generic so internals do not leak to clients.
#[derive(Debug, thiserror::Error)]
pub enum PingError {
    #[error("no answer within {0:?}")]
    TimedOut(Duration),
    #[error("{0}")]
    Failed(#[from] sqlx::Error),
}

/// Pool settings shared by the server and by tests that build their own pools.
pub fn pool_options() -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(MAX_CONNECTIONS)
        .acquire_timeout(CONNECT_TIMEOUT)
}

/// Connects to `url`, failing within about [`CONNECT_TIMEOUT`] with a
/// reason a person can act on.
pub async fn connect(url: &str) -> Result<PgPool, DbError> {
    let shown = redact_url(url);
    let mut options = PgConnectOptions::from_str(url).map_err(|err| DbError::InvalidUrl {
        url: shown.clone(),
        reason: describe(&err),
    })?;
    if options.get_application_name().is_none() {
        // Makes the server's sessions recognisable in pg_stat_activity.
        options = options.application_name("galla-server");
    }
    let unreachable = |reason: String| DbError::Unreachable {
        url: shown.clone(),
        reason,
    };

    // Probe with one plain connection first: the pool retries refused
    // connections until its timeout and then reports only "timed out",
    // hiding the reason a person needs.
    match tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(&options)).await {
        Err(_) => {
            return Err(unreachable(format!(
                "no answer within {} s",
                CONNECT_TIMEOUT.as_secs()
            )))
        }
        Ok(Err(err)) => return Err(unreachable(describe(&err))),
        Ok(Ok(conn)) => {
            // The probe has done its job; failing to say goodbye is harmless.
            let _ = conn.close().await;
        }
    }

    pool_options()
        .connect_with(options)
        .await
        .map_err(|err| unreachable(describe(&err)))
}

/// Applies the embedded migrations that the database has not seen yet.
pub async fn migrate(pool: &PgPool) -> Result<(), DbError> {
    MIGRATOR.run(pool).await.map_err(|err| DbError::Migrate {
        reason: one_line(&err.to_string()),
    })
}

/// `SELECT 1`, bounded by `within` so a hung database cannot hang the probe.
pub async fn ping(pool: &PgPool, within: Duration) -> Result<(), PingError> {
    let query = sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(pool);
    match tokio::time::timeout(within, query).await {
        Err(_) => Err(PingError::TimedOut(within)),
        Ok(result) => result.map(drop).map_err(PingError::from),
    }
}

/// Whether `error` means the database is away or busy (a retry may succeed), as opposed
/// to a mistake in a query or in the data.
pub fn is_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // 08: connection exception, 53: insufficient resources, 57: operator
            // intervention (shutdown, terminated backend), 40001/40P01: serialization
            // failure and deadlock, which a retry resolves.
            code.starts_with("08")
                || code.starts_with("53")
                || code.starts_with("57")
                || code == "40001"
                || code == "40P01"
        }),
        _ => false,
    }
}

/// Whether `error` is Postgres refusing the data itself (SQLSTATE classes 22 data
/// exception, 23 integrity constraint, 54 program limit): something in what a client
/// sent, not a fault of the server.
pub fn is_data_error(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            code.starts_with("22") || code.starts_with("23") || code.starts_with("54")
        }),
        _ => false,
    }
}

fn describe(err: &sqlx::Error) -> String {
    let text = match err {
        sqlx::Error::Io(io) => io_reason(io),
        sqlx::Error::Database(db) => db.message().to_string(),
        sqlx::Error::PoolTimedOut => {
            format!("no connection within {} s", CONNECT_TIMEOUT.as_secs())
        }
        sqlx::Error::Tls(tls) => format!("TLS failed: {tls}"),
        other => other.to_string(),
    };
    one_line(&text)
}

/// `url` with any password replaced by `***`, safe to print and log.
///
/// Deliberately string-based rather than a URL parser: it must also mask
/// URLs too broken to parse, since those are exactly the ones that end up in
/// error messages. When unsure it masks too much rather than too little.
pub fn redact_url(url: &str) -> String {
    const MASK: &str = "***";
    let Some(scheme_end) = url.find("://").map(|at| at + 3) else {
        return redact_query(url);
    };
    let (scheme, rest) = url.split_at(scheme_end);
    // The query starts at the first '?' after the first '@', so that an
    // unencoded '?' inside a password still counts as part of the userinfo.
    let search_from = rest.find('@').unwrap_or(0);
    let (before_query, query) = match rest[search_from..].find('?') {
        Some(at) => rest.split_at(search_from + at),
        None => (rest, ""),
    };
    let authority = match before_query.rfind('@') {
        Some(at) => {
            let (userinfo, host_and_path) = before_query.split_at(at);
            match userinfo.find(':') {
                Some(colon) => format!("{}:{MASK}{host_and_path}", &userinfo[..colon]),
                None => before_query.to_string(),
            }
        }
        None => before_query.to_string(),
    };
    format!("{scheme}{authority}{}", redact_query(query))
}

/// Masks `password=...` pairs, which libpq-style URLs allow in the query.
fn redact_query(text: &str) -> String {
    let (prefix, pairs) = match text.find('?') {
        Some(at) => text.split_at(at + 1),
        None => ("", text),
    };
    let mask_pair = |pair: &str| match pair.split_once('=') {
        Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
        _ => pair.to_string(),
    };
    // Spaces separate pairs in libpq's key=value form, '&' in URL queries.
    let masked: Vec<String> = pairs
        .split('&')
        .map(|group| {
            group
                .split(' ')
                .map(mask_pair)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    format!("{prefix}{}", masked.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_password_in_userinfo() {
        assert_eq!(
            redact_url("postgres://galla:hunter2@db.example:5432/galla"),
            "postgres://galla:***@db.example:5432/galla"
        );
    }

    #[test]
    fn leaves_url_without_password_alone() {
        let url = "postgres://user@host:5432/db";
        assert_eq!(redact_url(url), url);
        let url = "postgresql://localhost/db?sslmode=require";
        assert_eq!(redact_url(url), url);
    }

    #[test]
    fn redacts_empty_user_and_awkward_passwords() {
        assert_eq!(
            redact_url("postgres://:s3cret@h/db"),
            "postgres://:***@h/db"
        );
        // Unencoded '@' and '/' in a password must not leak any part of it.
        let masked = redact_url("postgres://u:p@ss/w0rd@h:5432/db");
        assert!(!masked.contains("ss/w0rd"), "{masked}");
        assert!(masked.ends_with("@h:5432/db"), "{masked}");
        let masked = redact_url("postgres://u:pa:ss@h/db");
        assert_eq!(masked, "postgres://u:***@h/db");
        let masked = redact_url("postgres://u:pa?ss@h/db?sslmode=disable");
        assert_eq!(masked, "postgres://u:***@h/db?sslmode=disable");
    }

    #[test]
    fn redacts_password_query_parameter() {
        assert_eq!(
            redact_url("postgres://h/db?user=u&password=hunter2&sslmode=disable"),
            "postgres://h/db?user=u&password=***&sslmode=disable"
        );
        assert_eq!(
            redact_url("postgres://u:x@h/db?PASSWORD=y"),
            "postgres://u:***@h/db?PASSWORD=***"
        );
    }

    #[test]
    fn redacts_strings_that_are_not_urls() {
        assert_eq!(redact_url("host=h password=hunter2"), "host=h password=***");
    }

    #[test]
    fn describes_io_errors_in_plain_words() {
        let err = sqlx::Error::Io(std::io::Error::from_raw_os_error(111));
        assert_eq!(describe(&err), "connection refused");
    }
}
