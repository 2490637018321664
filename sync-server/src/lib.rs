//! `galla-server`: Galla's sync and storefront server.
//!
//! The binary is a thin shell over [`run`]; tests drive [`serve`] directly
//! with their own listener and pool.

pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod http;
pub mod storefront;
pub mod sync;

use std::future::Future;
use std::io::IsTerminal;

use sqlx::PgPool;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tracing_subscriber::EnvFilter;

pub use config::Config;
pub use error::{ApiError, StartupError};

/// How a server answers beyond its database: limits that differ between a shop's server
/// and a benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeOptions {
    /// Storefront requests a second per client address (0: no limit).
    pub storefront_rate: u32,
    /// Storefront requests a client may make at once.
    pub storefront_burst: u32,
    /// Storefront answers kept by ETag (0: none).
    pub storefront_cache: usize,
    /// Behind a reverse proxy: the rate limit counts the address in `X-Forwarded-For`.
    pub trust_forwarded_for: bool,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            storefront_rate: config::DEFAULT_STOREFRONT_RATE,
            storefront_burst: config::DEFAULT_STOREFRONT_RATE.saturating_mul(4),
            storefront_cache: config::DEFAULT_STOREFRONT_CACHE,
            trust_forwarded_for: false,
        }
    }
}

/// Serves HTTP on `listener` until `shutdown` completes, then ends the event
/// streams, lets in-flight requests finish and closes `pool`.
pub async fn serve<F>(listener: TcpListener, pool: PgPool, shutdown: F) -> std::io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    serve_with(listener, pool, ServeOptions::default(), shutdown).await
}

/// [`serve`] with options.
pub async fn serve_with<F>(
    listener: TcpListener,
    pool: PgPool,
    options: ServeOptions,
    shutdown: F,
) -> std::io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    let (stop, stopped) = watch::channel(false);
    let events = sync::events::Hub::new(stopped);
    // Aborted when `serve` returns or is dropped, so its session goes back to the pool.
    let listening = AbortOnDrop(tokio::spawn(sync::events::listen(
        pool.clone(),
        events.sender(),
    )));
    let app = http::router(http::AppState {
        pool: pool.clone(),
        events,
        storefront_limit: std::sync::Arc::new(storefront::limit::RateLimit::new(
            options.storefront_rate,
            options.storefront_burst,
        )),
        storefront_cache: std::sync::Arc::new(storefront::cache::AnswerCache::new(
            options.storefront_cache,
        )),
        trust_forwarded_for: options.trust_forwarded_for,
    });
    // The client's address is what the storefront's rate limit counts by.
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stop.send(true);
        })
        .await;
    listening.stop().await;
    pool.close().await;
    served
}

struct AbortOnDrop(JoinHandle<()>);

impl AbortOnDrop {
    /// Aborts the task and waits until it is gone, with everything it held.
    async fn stop(mut self) {
        self.0.abort();
        let _ = (&mut self.0).await;
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Connects, migrates, listens, and serves until SIGTERM or Ctrl-C.
pub async fn run(config: Config) -> Result<(), StartupError> {
    tracing::debug!(?config, "starting");
    // Nothing is logged at info before the database answers, so that a bad
    // DATABASE_URL leaves exactly one line on stderr: the error.
    let pool = db::connect(&config.database_url).await?;
    if let Err(err) = db::migrate(&pool).await {
        pool.close().await;
        return Err(err.into());
    }
    tracing::info!("database ready, migrations applied");

    let listener = match TcpListener::bind(config.listen).await {
        Ok(listener) => listener,
        Err(err) => {
            pool.close().await;
            return Err(StartupError::Bind {
                addr: config.listen,
                reason: config::io_reason(&err),
            });
        }
    };
    // With port 0 the OS picks the port, and this line is the only way to
    // learn it; the binary's tests parse it.
    let bound = listener.local_addr().unwrap_or(config.listen);
    let shutdown = shutdown_signal();
    tracing::info!("listening on {bound}");

    let options = ServeOptions {
        storefront_rate: config.storefront_rate,
        storefront_burst: config.storefront_rate.saturating_mul(4),
        storefront_cache: config.storefront_cache,
        trust_forwarded_for: config.trust_forwarded_for,
    };
    serve_with(listener, pool, options, shutdown)
        .await
        .map_err(|err| StartupError::Serve {
            reason: config::io_reason(&err),
        })?;
    tracing::info!("stopped");
    Ok(())
}

/// Logs to stderr, leaving stdout free for anything a script might want.
pub fn init_tracing(filter: &str) -> Result<(), StartupError> {
    let filter = EnvFilter::try_new(filter).map_err(|err| {
        StartupError::Config(config::ConfigError::BadLogFilter {
            value: filter.to_string(),
            source_name: "the configuration",
            reason: config::one_line(&err.to_string()),
        })
    })?;
    // Ignoring the error is right: it only means a subscriber is already
    // installed (e.g. by a test harness), which then keeps logging.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
    Ok(())
}

/// Resolves on the first SIGTERM (what orchestrators send) or Ctrl-C.
///
/// The handlers are installed when this is called, not when the future is
/// first polled, so a signal that arrives just after "listening on" is
/// logged still shuts down gracefully instead of killing the process.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, Signal, SignalKind};

        async fn next(stream: std::io::Result<Signal>, name: &str) -> String {
            match stream {
                Ok(mut stream) => {
                    stream.recv().await;
                }
                Err(error) => {
                    tracing::error!(%error, "cannot listen for {name}");
                    std::future::pending::<()>().await;
                }
            }
            name.to_owned()
        }

        let terminate = signal(SignalKind::terminate());
        let interrupt = signal(SignalKind::interrupt());
        async move {
            let which = tokio::select! {
                which = next(terminate, "SIGTERM") => which,
                which = next(interrupt, "Ctrl-C") => which,
            };
            tracing::info!("shutting down on {which}; finishing in-flight requests");
        }
    }

    #[cfg(not(unix))]
    async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
        tracing::info!("shutting down on Ctrl-C; finishing in-flight requests");
    }
}
