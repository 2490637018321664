//! Configuration: command line, optional TOML file, environment.
//!
//! Everything here is pure (the environment arrives as a map and the file as
//! text) so that precedence rules can be unit-tested without touching the
//! process environment, which tests running in parallel share.

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use tracing_subscriber::EnvFilter;

use crate::db::redact_url;

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_LOG: &str = "info";
/// Storefront requests a second per client address; a client may make four times as
/// many at once.
pub const DEFAULT_STOREFRONT_RATE: u32 = 50;
/// Storefront answers kept in memory by ETag.
pub const DEFAULT_STOREFRONT_CACHE: usize = 2000;

pub const USAGE: &str = "usage: galla-server [--config PATH] [COMMAND]

Galla's sync and storefront server.

Commands:
  run                 serve (the default): apply migrations, then listen
  migrate             apply database migrations and exit
  create-business --name NAME --slug SLUG --owner-email EMAIL
                      make a business and its owner account; the owner's password
                      comes from GALLA_OWNER_PASSWORD, else one line on standard input
                      (at least 10 characters); prints the business id and slug
  pairing-code --business SLUG [--shop SHOP_ID]
                      make a one-time code to enrol a device (valid 24 hours)
  demo --products N [--slug SLUG]
                      make a generated demo business (slug demo by default) with N
                      products, one shop and stock, for the storefront
  storefront-settings --business SLUG [--allow-origins LIST] [--exact-stock yes|no]
                      [--low-stock UNITS]
                      show or change the storefront's settings: the web origins
                      (comma-separated, * for any) whose pages may call it from a
                      browser, whether exact stock counts are shown, and at how many
                      units a product counts as low

Options:
  -c, --config PATH   TOML file with database_url, listen, log, storefront_rate
                      (or set GALLA_CONFIG)
  -h, --help          print this help
  -V, --version       print the version

Environment (wins over the file):
  DATABASE_URL        postgres://user:password@host:5432/dbname (required)
  GALLA_LISTEN        address to listen on, IP:PORT (default 127.0.0.1:8080)
  GALLA_LOG, RUST_LOG tracing filter, GALLA_LOG first (default info)
  GALLA_STOREFRONT_RATE  storefront requests a second per client address, with
                      bursts of four times that (default 50; 0 turns the limit off)
  GALLA_STOREFRONT_CACHE  storefront answers kept in memory by ETag, never stale
                      (default 2000; 0 keeps none)
  GALLA_TRUST_X_FORWARDED_FOR  yes when behind a reverse proxy: the storefront's
                      rate limit then counts the address the proxy puts last in
                      X-Forwarded-For (default no: the connecting address)
  GALLA_CONFIG        config file path, when --config is not given
  GALLA_OWNER_PASSWORD  the owner's password for create-business";

/// What the command line asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invocation {
    Run {
        config_path: Option<PathBuf>,
    },
    /// One of the operator's commands, which connect, do one thing and exit.
    Command {
        config_path: Option<PathBuf>,
        command: Command,
    },
    Help,
    Version,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Migrate,
    CreateBusiness {
        name: String,
        slug: String,
        owner_email: String,
    },
    PairingCode {
        business: String,
        shop: Option<uuid::Uuid>,
    },
    Demo {
        products: usize,
        slug: String,
    },
    StorefrontSettings {
        business: String,
        /// Replaces the list when given; an empty list allows no browser origin.
        allow_origins: Option<Vec<String>>,
        exact_stock: Option<bool>,
        low_stock_units: Option<u32>,
    },
}

/// The settings the server runs with, after all sources are merged.
#[derive(Clone, PartialEq, Eq)]
pub struct Config {
    pub database_url: String,
    pub listen: SocketAddr,
    pub log: String,
    pub storefront_rate: u32,
    pub storefront_cache: usize,
    pub trust_forwarded_for: bool,
}

// Hand-written so that logging or printing a Config can never leak the
// database password.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &redact_url(&self.database_url))
            .field("listen", &self.listen)
            .field("log", &self.log)
            .field("storefront_rate", &self.storefront_rate)
            .field("storefront_cache", &self.storefront_cache)
            .field("trust_forwarded_for", &self.trust_forwarded_for)
            .finish()
    }
}

/// The config file's shape. Unknown keys are rejected so that a typo such as
/// `databse_url` is reported instead of silently ignored.
#[derive(Debug, Default, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database_url: Option<String>,
    pub listen: Option<String>,
    pub log: Option<String>,
    pub storefront_rate: Option<u32>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{0}. Run `galla-server --help` for usage.")]
    Usage(String),

    #[error("cannot read config file {path} ({reason}). Check the path given with --config or GALLA_CONFIG.")]
    ReadFile { path: PathBuf, reason: String },

    #[error("config file {path} has an error at line {line}, column {column}: {message}. Allowed keys are database_url, listen, log and storefront_rate.")]
    ParseFile {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },

    #[error("no database configured. Set DATABASE_URL (e.g. postgres://user:password@localhost:5432/galla) or database_url in the config file.")]
    MissingDatabaseUrl,

    #[error("DATABASE_URL {url} is not a Postgres URL. It must start with postgres:// or postgresql://, e.g. postgres://user:password@localhost:5432/galla.")]
    NotPostgresUrl { url: String },

    #[error("listen address {value:?} from {source_name} is not IP:PORT ({reason}). Use e.g. 127.0.0.1:8080, 0.0.0.0:8080 or [::1]:8080.")]
    BadListen {
        value: String,
        source_name: &'static str,
        reason: String,
    },

    #[error("GALLA_TRUST_X_FORWARDED_FOR is {value:?}; use yes or no.")]
    BadTrustForwardedFor { value: String },

    #[error("storefront cache {value:?} from GALLA_STOREFRONT_CACHE is not a whole number of answers (0 keeps none).")]
    BadStorefrontCache { value: String },

    #[error("storefront rate {value:?} from GALLA_STOREFRONT_RATE is not a whole number of requests a second (0 for no limit).")]
    BadStorefrontRate { value: String },

    #[error("log filter {value:?} from {source_name} is invalid ({reason}). Use e.g. info, debug or galla_sync_server=debug,info.")]
    BadLogFilter {
        value: String,
        source_name: &'static str,
        reason: String,
    },
}

const COMMANDS: [&str; 6] = [
    "run",
    "migrate",
    "create-business",
    "pairing-code",
    "demo",
    "storefront-settings",
];
const COMMAND_OPTIONS: [&str; 9] = [
    "--name",
    "--slug",
    "--owner-email",
    "--business",
    "--shop",
    "--products",
    "--allow-origins",
    "--exact-stock",
    "--low-stock",
];
/// The largest demo: enough for any benchmark, small enough to load in a minute or two.
pub const MAX_DEMO_PRODUCTS: usize = 200_000;

/// Parses the command line, without the program name.
pub fn parse_args<I>(args: I) -> Result<Invocation, ConfigError>
where
    I: IntoIterator<Item = String>,
{
    let mut config_path = None;
    let mut command: Option<String> = None;
    let mut options: Vec<(String, String)> = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(Invocation::Help),
            "-V" | "--version" => return Ok(Invocation::Version),
            "-c" | "--config" => match args.next() {
                Some(path) if !path.is_empty() => config_path = Some(PathBuf::from(path)),
                _ => return Err(ConfigError::Usage(format!("{arg} needs a file path"))),
            },
            other => {
                if let Some(path) = other.strip_prefix("--config=") {
                    if path.is_empty() {
                        return Err(ConfigError::Usage("--config needs a file path".into()));
                    }
                    config_path = Some(PathBuf::from(path));
                    continue;
                }
                let (name, inline) = match other.split_once('=') {
                    Some((name, value)) => (name, Some(value.to_owned())),
                    None => (other, None),
                };
                if COMMAND_OPTIONS.contains(&name) {
                    let value = match inline {
                        Some(value) => value,
                        None => args
                            .next()
                            .ok_or_else(|| ConfigError::Usage(format!("{name} needs a value")))?,
                    };
                    if options.iter().any(|(seen, _)| seen == name) {
                        return Err(ConfigError::Usage(format!("{name} is given twice")));
                    }
                    options.push((name.to_owned(), value));
                } else if command.is_none() && COMMANDS.contains(&other) {
                    command = Some(other.to_owned());
                } else {
                    return Err(ConfigError::Usage(format!("unexpected argument {other:?}")));
                }
            }
        }
    }

    let command_name = command.as_deref().unwrap_or("run");
    let allowed: &[&str] = match command_name {
        "create-business" => &["--name", "--slug", "--owner-email"],
        "pairing-code" => &["--business", "--shop"],
        "demo" => &["--products", "--slug"],
        "storefront-settings" => &[
            "--business",
            "--allow-origins",
            "--exact-stock",
            "--low-stock",
        ],
        _ => &[],
    };
    if let Some((name, _)) = options
        .iter()
        .find(|(name, _)| !allowed.contains(&name.as_str()))
    {
        return Err(ConfigError::Usage(format!(
            "{name} does not go with `{command_name}`"
        )));
    }
    let mut take = |name: &str| {
        options
            .iter()
            .position(|(seen, _)| seen == name)
            .map(|at| options.swap_remove(at).1)
    };
    let required = |value: Option<String>, name: &str| {
        value
            .filter(|value| !value.trim().is_empty())
            .ok_or_else(|| ConfigError::Usage(format!("`{command_name}` needs {name}")))
    };
    let command = match command_name {
        "migrate" => Command::Migrate,
        "create-business" => Command::CreateBusiness {
            name: required(take("--name"), "--name")?,
            slug: required(take("--slug"), "--slug")?,
            owner_email: required(take("--owner-email"), "--owner-email")?,
        },
        "pairing-code" => {
            let business = required(take("--business"), "--business")?;
            let shop = match take("--shop") {
                None => None,
                Some(text) => Some(uuid::Uuid::parse_str(text.trim()).map_err(|_| {
                    ConfigError::Usage(format!("--shop {text:?} is not a shop id (a UUID)"))
                })?),
            };
            Command::PairingCode { business, shop }
        }
        "demo" => {
            let text = required(take("--products"), "--products")?;
            let products = text
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=MAX_DEMO_PRODUCTS).contains(n))
                .ok_or_else(|| {
                    ConfigError::Usage(format!(
                        "--products {text:?} must be a whole number from 1 to {MAX_DEMO_PRODUCTS}"
                    ))
                })?;
            Command::Demo {
                products,
                slug: take("--slug").unwrap_or_else(|| "demo".to_owned()),
            }
        }
        "storefront-settings" => {
            let business = required(take("--business"), "--business")?;
            let allow_origins = take("--allow-origins").map(|list| {
                list.split(',')
                    .map(|o| o.trim().to_owned())
                    .filter(|o| !o.is_empty())
                    .collect()
            });
            let exact_stock = match take("--exact-stock").as_deref().map(str::trim) {
                None => None,
                Some("yes") => Some(true),
                Some("no") => Some(false),
                Some(other) => {
                    return Err(ConfigError::Usage(format!(
                        "--exact-stock must be yes or no, not {other:?}"
                    )))
                }
            };
            let low_stock_units = match take("--low-stock") {
                None => None,
                Some(text) => Some(text.trim().parse::<u32>().map_err(|_| {
                    ConfigError::Usage(format!(
                        "--low-stock {text:?} must be a whole number of units, 0 or more"
                    ))
                })?),
            };
            Command::StorefrontSettings {
                business,
                allow_origins,
                exact_stock,
                low_stock_units,
            }
        }
        _ => return Ok(Invocation::Run { config_path }),
    };
    Ok(Invocation::Command {
        config_path,
        command,
    })
}

/// Parses the config file's text. `path` is only used in error messages.
pub fn parse_file(path: &Path, text: &str) -> Result<FileConfig, ConfigError> {
    toml::from_str(text).map_err(|err| {
        let (line, column) = err
            .span()
            .map(|span| line_and_column(text, span.start))
            .unwrap_or((1, 1));
        ConfigError::ParseFile {
            path: path.to_path_buf(),
            line,
            column,
            message: one_line(err.message()),
        }
    })
}

/// Merges the sources: environment over file over defaults.
pub fn resolve(file: FileConfig, env: &HashMap<String, String>) -> Result<Config, ConfigError> {
    let database_url = pick(env, &["DATABASE_URL"], file.database_url)
        .map(|(value, _)| value)
        .ok_or(ConfigError::MissingDatabaseUrl)?;
    // The full URL grammar is checked when connecting; this only catches the
    // common mistake of pasting a URL for some other kind of database.
    if !(database_url.starts_with("postgres://") || database_url.starts_with("postgresql://")) {
        return Err(ConfigError::NotPostgresUrl {
            url: redact_url(&database_url),
        });
    }

    let (listen_text, listen_source) = pick(env, &["GALLA_LISTEN"], file.listen)
        .unwrap_or_else(|| (DEFAULT_LISTEN.to_string(), "the default"));
    let listen =
        listen_text
            .trim()
            .parse::<SocketAddr>()
            .map_err(|err| ConfigError::BadListen {
                value: listen_text.clone(),
                source_name: listen_source,
                reason: err.to_string(),
            })?;

    let (log, log_source) = pick(env, &["GALLA_LOG", "RUST_LOG"], file.log)
        .unwrap_or_else(|| (DEFAULT_LOG.to_string(), "the default"));
    // Validated here rather than at subscriber setup so a typo is a config
    // error (exit 2) instead of a server silently logging nothing.
    EnvFilter::try_new(&log).map_err(|err| ConfigError::BadLogFilter {
        value: log.clone(),
        source_name: log_source,
        reason: one_line(&err.to_string()),
    })?;

    let storefront_rate = match env.get("GALLA_STOREFRONT_RATE").filter(|v| !v.is_empty()) {
        Some(text) => text
            .trim()
            .parse::<u32>()
            .map_err(|_| ConfigError::BadStorefrontRate {
                value: text.clone(),
            })?,
        None => file.storefront_rate.unwrap_or(DEFAULT_STOREFRONT_RATE),
    };

    let storefront_cache = match env.get("GALLA_STOREFRONT_CACHE").filter(|v| !v.is_empty()) {
        Some(text) => {
            text.trim()
                .parse::<usize>()
                .map_err(|_| ConfigError::BadStorefrontCache {
                    value: text.clone(),
                })?
        }
        None => DEFAULT_STOREFRONT_CACHE,
    };

    let trust_forwarded_for = match env
        .get("GALLA_TRUST_X_FORWARDED_FOR")
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
    {
        None | Some("no") => false,
        Some("yes") => true,
        Some(other) => {
            return Err(ConfigError::BadTrustForwardedFor {
                value: other.to_owned(),
            })
        }
    };

    Ok(Config {
        database_url,
        listen,
        log,
        storefront_rate,
        storefront_cache,
        trust_forwarded_for,
    })
}

/// Reads the config file (if one is named by `config_path` or GALLA_CONFIG)
/// and merges it with the environment.
pub fn load(
    config_path: Option<&Path>,
    env: &HashMap<String, String>,
) -> Result<Config, ConfigError> {
    let path = config_path.map(Path::to_path_buf).or_else(|| {
        env.get("GALLA_CONFIG")
            .filter(|value| !value.is_empty())
            .map(PathBuf::from)
    });
    let file = match path {
        Some(path) => {
            let text = std::fs::read_to_string(&path).map_err(|err| ConfigError::ReadFile {
                path: path.clone(),
                reason: io_reason(&err),
            })?;
            parse_file(&path, &text)?
        }
        None => FileConfig::default(),
    };
    resolve(file, env)
}

/// First non-empty value among the environment variables, else the file's.
/// An empty variable counts as unset, as shells make `VAR=` easy to leave behind.
fn pick(
    env: &HashMap<String, String>,
    names: &[&'static str],
    file_value: Option<String>,
) -> Option<(String, &'static str)> {
    names
        .iter()
        .find_map(|name| {
            env.get(*name)
                .filter(|value| !value.is_empty())
                .map(|value| (value.clone(), *name))
        })
        .or_else(|| {
            file_value
                .filter(|value| !value.is_empty())
                .map(|value| (value, "the config file"))
        })
}

fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// The OS's words for an I/O error, e.g. "no such file or directory" rather
/// than "No such file or directory (os error 2)", to read well inside a sentence.
pub(crate) fn io_reason(err: &std::io::Error) -> String {
    let text = one_line(&err.to_string());
    let text = match text.rfind(" (os error ") {
        Some(at) if err.raw_os_error().is_some() => text[..at].to_string(),
        _ => text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

/// Startup errors must fit on one line of stderr.
pub(crate) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    const URL: &str = "postgres://galla@localhost:5432/galla";

    #[test]
    fn defaults_apply_when_only_database_url_is_set() {
        let config = resolve(FileConfig::default(), &env(&[("DATABASE_URL", URL)])).unwrap();
        assert_eq!(config.database_url, URL);
        assert_eq!(config.listen, "127.0.0.1:8080".parse().unwrap());
        assert_eq!(config.log, "info");
    }

    #[test]
    fn environment_wins_over_file() {
        let file = parse_file(
            Path::new("galla.toml"),
            r#"
                database_url = "postgres://file@db/file"
                listen = "0.0.0.0:9000"
                log = "warn"
            "#,
        )
        .unwrap();
        let config = resolve(
            file,
            &env(&[
                ("DATABASE_URL", URL),
                ("GALLA_LISTEN", "127.0.0.1:7000"),
                ("RUST_LOG", "debug"),
            ]),
        )
        .unwrap();
        assert_eq!(config.database_url, URL);
        assert_eq!(config.listen, "127.0.0.1:7000".parse().unwrap());
        assert_eq!(config.log, "debug");
    }

    #[test]
    fn file_fills_in_what_environment_leaves_out() {
        let file = parse_file(
            Path::new("galla.toml"),
            "database_url = \"postgres://file@db/file\"\nlisten = \"[::1]:9000\"\n",
        )
        .unwrap();
        let config = resolve(file, &env(&[("GALLA_LOG", "trace")])).unwrap();
        assert_eq!(config.database_url, "postgres://file@db/file");
        assert_eq!(config.listen, "[::1]:9000".parse().unwrap());
        assert_eq!(config.log, "trace");
    }

    #[test]
    fn galla_log_wins_over_rust_log() {
        let config = resolve(
            FileConfig::default(),
            &env(&[
                ("DATABASE_URL", URL),
                ("RUST_LOG", "debug"),
                ("GALLA_LOG", "warn"),
            ]),
        )
        .unwrap();
        assert_eq!(config.log, "warn");
    }

    #[test]
    fn empty_environment_values_count_as_unset() {
        let file = FileConfig {
            database_url: Some(URL.into()),
            listen: None,
            log: None,
            storefront_rate: None,
        };
        let config = resolve(file, &env(&[("DATABASE_URL", ""), ("GALLA_LISTEN", "")])).unwrap();
        assert_eq!(config.database_url, URL);
        assert_eq!(config.listen, "127.0.0.1:8080".parse().unwrap());
    }

    #[test]
    fn missing_database_url_is_an_error() {
        let err = resolve(FileConfig::default(), &env(&[])).unwrap_err();
        assert_eq!(err, ConfigError::MissingDatabaseUrl);
        assert!(err.to_string().contains("DATABASE_URL"));
    }

    #[test]
    fn non_postgres_url_is_rejected_with_password_masked() {
        let err = resolve(
            FileConfig::default(),
            &env(&[("DATABASE_URL", "mysql://root:hunter2@db/galla")]),
        )
        .unwrap_err();
        let message = err.to_string();
        assert!(matches!(err, ConfigError::NotPostgresUrl { .. }));
        assert!(!message.contains("hunter2"), "{message}");
    }

    #[test]
    fn storefront_settings_come_from_the_environment() {
        let config = resolve(FileConfig::default(), &env(&[("DATABASE_URL", URL)])).unwrap();
        assert_eq!(
            (
                config.storefront_rate,
                config.storefront_cache,
                config.trust_forwarded_for
            ),
            (DEFAULT_STOREFRONT_RATE, DEFAULT_STOREFRONT_CACHE, false)
        );
        let config = resolve(
            FileConfig::default(),
            &env(&[
                ("DATABASE_URL", URL),
                ("GALLA_STOREFRONT_RATE", "0"),
                ("GALLA_STOREFRONT_CACHE", "10"),
                ("GALLA_TRUST_X_FORWARDED_FOR", "yes"),
            ]),
        )
        .unwrap();
        assert_eq!(
            (
                config.storefront_rate,
                config.storefront_cache,
                config.trust_forwarded_for
            ),
            (0, 10, true)
        );
        for (name, value) in [
            ("GALLA_STOREFRONT_RATE", "-1"),
            ("GALLA_STOREFRONT_CACHE", "lots"),
            ("GALLA_TRUST_X_FORWARDED_FOR", "true"),
        ] {
            let err = resolve(
                FileConfig::default(),
                &env(&[("DATABASE_URL", URL), (name, value)]),
            )
            .unwrap_err();
            assert!(err.to_string().contains(value), "{name}: {err}");
        }
    }

    #[test]
    fn bad_listen_address_names_its_source() {
        let err = resolve(
            FileConfig::default(),
            &env(&[("DATABASE_URL", URL), ("GALLA_LISTEN", "localhost:80")]),
        )
        .unwrap_err();
        assert!(matches!(
            err,
            ConfigError::BadListen {
                source_name: "GALLA_LISTEN",
                ..
            }
        ));
        assert!(err.to_string().contains("localhost:80"));

        let file = FileConfig {
            listen: Some("8080".into()),
            ..FileConfig::default()
        };
        let err = resolve(file, &env(&[("DATABASE_URL", URL)])).unwrap_err();
        assert!(matches!(
            err,
            ConfigError::BadListen {
                source_name: "the config file",
                ..
            }
        ));
    }

    #[test]
    fn bad_log_filter_is_rejected() {
        let err = resolve(
            FileConfig::default(),
            &env(&[("DATABASE_URL", URL), ("GALLA_LOG", "galla=loud")]),
        )
        .unwrap_err();
        assert!(matches!(err, ConfigError::BadLogFilter { .. }), "{err:?}");
    }

    #[test]
    fn malformed_file_reports_line_and_column_on_one_line() {
        let err = parse_file(
            Path::new("/etc/galla.toml"),
            "listen = \"127.0.0.1:1\"\ndatabase_url = postgres://x\n",
        )
        .unwrap_err();
        match &err {
            ConfigError::ParseFile { line, .. } => assert_eq!(*line, 2),
            other => panic!("unexpected error {other:?}"),
        }
        let message = err.to_string();
        assert!(message.contains("/etc/galla.toml"), "{message}");
        assert!(!message.contains('\n'), "{message}");
    }

    #[test]
    fn unknown_file_key_is_rejected() {
        let err = parse_file(Path::new("galla.toml"), "databse_url = \"x\"\n").unwrap_err();
        assert!(err.to_string().contains("databse_url"), "{err}");
    }

    #[test]
    fn wrongly_typed_file_value_is_rejected() {
        let err = parse_file(Path::new("galla.toml"), "listen = 8080\n").unwrap_err();
        assert!(
            matches!(err, ConfigError::ParseFile { line: 1, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn load_reads_file_named_by_argument_or_galla_config() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("galla.toml");
        std::fs::write(&path, format!("database_url = \"{URL}\"\nlog = \"warn\"\n")).unwrap();

        let config = load(Some(&path), &env(&[])).unwrap();
        assert_eq!(config.database_url, URL);
        assert_eq!(config.log, "warn");

        let config = load(None, &env(&[("GALLA_CONFIG", path.to_str().unwrap())])).unwrap();
        assert_eq!(config.log, "warn");
    }

    #[test]
    fn argument_wins_over_galla_config() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("galla.toml");
        std::fs::write(&path, format!("database_url = \"{URL}\"\n")).unwrap();
        let missing = dir.path().join("missing.toml");

        let config = load(
            Some(&path),
            &env(&[("GALLA_CONFIG", missing.to_str().unwrap())]),
        )
        .unwrap();
        assert_eq!(config.database_url, URL);
    }

    #[test]
    fn unreadable_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.toml");
        let err = load(Some(&missing), &env(&[("DATABASE_URL", URL)])).unwrap_err();
        match &err {
            ConfigError::ReadFile { reason, .. } => assert_eq!(reason, "no such file or directory"),
            other => panic!("unexpected error {other:?}"),
        }
    }

    #[test]
    fn args_parse() {
        let args = |list: &[&str]| parse_args(list.iter().map(|s| s.to_string()));
        assert_eq!(args(&[]), Ok(Invocation::Run { config_path: None }));
        assert_eq!(
            args(&["--config", "a.toml"]),
            Ok(Invocation::Run {
                config_path: Some("a.toml".into())
            })
        );
        assert_eq!(
            args(&["--config=b.toml"]),
            Ok(Invocation::Run {
                config_path: Some("b.toml".into())
            })
        );
        assert_eq!(args(&["-h"]), Ok(Invocation::Help));
        assert_eq!(args(&["--version"]), Ok(Invocation::Version));
        assert!(matches!(args(&["--config"]), Err(ConfigError::Usage(_))));
        assert!(matches!(args(&["serve"]), Err(ConfigError::Usage(_))));
    }

    #[test]
    fn commands_parse_with_their_options_only() {
        let args = |list: &[&str]| parse_args(list.iter().map(|s| s.to_string()));
        assert_eq!(args(&["run"]), Ok(Invocation::Run { config_path: None }));
        assert_eq!(
            args(&["migrate", "-c", "a.toml"]),
            Ok(Invocation::Command {
                config_path: Some("a.toml".into()),
                command: Command::Migrate
            })
        );
        assert_eq!(
            args(&[
                "create-business",
                "--name",
                "Anand Textiles",
                "--slug=anand",
                "--owner-email",
                "a@b.in"
            ]),
            Ok(Invocation::Command {
                config_path: None,
                command: Command::CreateBusiness {
                    name: "Anand Textiles".into(),
                    slug: "anand".into(),
                    owner_email: "a@b.in".into()
                }
            })
        );
        let shop = uuid::Uuid::now_v7();
        assert_eq!(
            args(&[
                "pairing-code",
                "--business",
                "anand",
                "--shop",
                &shop.to_string()
            ]),
            Ok(Invocation::Command {
                config_path: None,
                command: Command::PairingCode {
                    business: "anand".into(),
                    shop: Some(shop)
                }
            })
        );
        for bad in [
            &["create-business", "--name", "A", "--slug", "a"][..],
            &["create-business", "--name"],
            &["create-business", "--name", "A", "--name", "B"],
            &["pairing-code"],
            &["pairing-code", "--business", "a", "--shop", "nope"],
            &["migrate", "--business", "a"],
            &["--name", "A"],
            &["migrate", "run"],
            &["migrate", "extra"],
        ] {
            assert!(matches!(args(bad), Err(ConfigError::Usage(_))), "{bad:?}");
        }
    }

    #[test]
    fn config_debug_masks_password() {
        let config = Config {
            database_url: "postgres://galla:hunter2@db/galla".into(),
            listen: "127.0.0.1:1".parse().unwrap(),
            log: "info".into(),
            storefront_rate: 0,
            storefront_cache: 0,
            trust_forwarded_for: false,
        };
        assert!(!format!("{config:?}").contains("hunter2"));
    }
}
