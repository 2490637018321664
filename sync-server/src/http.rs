//! The HTTP surface: router, handlers, request logging.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::db;
use crate::error::ApiError;
use crate::storefront::{self, cache::AnswerCache, limit::RateLimit};
use crate::sync;

/// Load balancers usually give a probe a few seconds; answering 503 before
/// they give up is more useful to them than a timeout.
pub const READINESS_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Clone)]
pub struct AppState {
    pub pool: PgPool,
    pub events: sync::events::Hub,
    pub storefront_limit: Arc<RateLimit>,
    pub storefront_cache: Arc<AnswerCache>,
    /// Count storefront clients by `X-Forwarded-For` (behind a reverse proxy).
    pub trust_forwarded_for: bool,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .merge(sync::routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        // After the fallbacks: the storefront's gate answers other methods itself, and
        // must see a browser's preflight (OPTIONS) rather than a 405 made before it.
        .merge(storefront::routes(state.clone()))
        .layer(DefaultBodyLimit::max(galla_sync_protocol::MAX_BODY_BYTES))
        .layer(middleware::from_fn(log_requests))
        .with_state(state)
}

/// Liveness: the process answers. Deliberately ignores the database so an
/// orchestrator does not restart a healthy server during a database outage.
async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// Readiness: the server can do useful work, i.e. its database answers.
async fn readyz(State(state): State<AppState>) -> Result<Json<Value>, ApiError> {
    match db::ping(&state.pool, READINESS_TIMEOUT).await {
        Ok(()) => Ok(Json(json!({ "status": "ready" }))),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed: database unavailable");
            Err(ApiError::DatabaseUnavailable)
        }
    }
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

async fn log_requests(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    // The path only: query strings may one day carry tokens.
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let latency_us = started.elapsed().as_micros();
    if response.status().is_server_error() {
        tracing::warn!(%method, %path, status, latency_us, "request");
    } else {
        tracing::info!(%method, %path, status, latency_us, "request");
    }
    response
}
