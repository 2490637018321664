//! The storefront API, version 1: `/storefront/v1/{business}/…`, read-only and public.
//! Every path goes through [`gate`]: the per-client rate limit, the business, CORS, and
//! ETags that change with the business's feed cursor, so a change that reached the
//! server is never answered with 304.

pub mod cache;
pub mod catalog;
pub mod images;
pub mod limit;
pub mod params;
pub mod products;
pub mod projection;
pub mod schema;

use std::sync::OnceLock;
use std::time::Instant;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use sha2::{Digest, Sha256};
use tower_http::compression::CompressionLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::error::ApiError;
use crate::http::AppState;

/// Answers may be stored, but must be checked with the server before each use: the
/// check is cheap (a 304) and the data is then never stale.
pub const REVALIDATE: &str = "public, no-cache";
/// For URLs that name their content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The business a storefront request is about, as the gate found it.
#[derive(Debug, Clone)]
pub struct Storefront {
    pub business_id: Uuid,
    pub slug: String,
    pub name: String,
    pub exact_stock: bool,
    pub low_stock_milli: i64,
    /// Shops that are not archived: only their stock is offered.
    pub open_shops: Vec<Uuid>,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Galla storefront API",
        version = "1",
        description = "Read-only: the products, categories and shops a business shows its customers. \
Every path is under /storefront/v1/{business}, where {business} is the business's public slug. \
Prices are integers in minor units with an ISO 4217 currency. Every answer has an ETag; send it \
back in If-None-Match for a 304 when nothing changed. Errors are {\"error\": {\"code\", \"message\"}}. \
Clients are limited per address (429 with Retry-After)."
    ),
    // Named here because the shared refusals (schema::Refusals) refer to them.
    components(schemas(schema::ErrorBody, schema::ErrorDetail)),
    tags(
        (name = "business", description = "The business behind a storefront"),
        (name = "products", description = "Products, search and filters"),
        (name = "categories", description = "The category tree"),
        (name = "shops", description = "Shops, addresses and opening hours"),
        (name = "images", description = "Product pictures by content hash"),
    )
)]
struct ApiDoc;

/// The paths of one business, each behind the [`gate`].
fn business_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(catalog::business))
        .routes(routes!(products::list))
        .routes(routes!(products::detail))
        .routes(routes!(catalog::categories))
        .routes(routes!(catalog::shops))
        .routes(routes!(images::original))
        .routes(routes!(images::thumbnail))
}

/// The OpenAPI 3.1 document, generated from the handlers' annotations.
fn document() -> utoipa::openapi::OpenApi {
    OpenApiRouter::<AppState>::with_openapi(ApiDoc::openapi())
        .merge(business_routes())
        .routes(routes!(openapi))
        .split_for_parts()
        .1
}

/// The OpenAPI document as served at `/storefront/v1/openapi.json`.
pub fn openapi_json() -> String {
    document().to_pretty_json().unwrap_or_default()
}

/// This document.
#[utoipa::path(
    get,
    path = "/storefront/v1/openapi.json",
    tag = "business",
    responses(
        (status = 200, description = "The OpenAPI 3.1 document of this API", body = serde_json::Value),
        (status = 304, description = "Not modified since the ETag in If-None-Match"),
    )
)]
async fn openapi(headers: HeaderMap) -> Response {
    static SPEC: OnceLock<(String, String)> = OnceLock::new();
    let (spec, tag) = SPEC.get_or_init(|| {
        let spec = openapi_json();
        let tag = format!("\"{}\"", short_hash(spec.as_bytes()));
        (spec, tag)
    });
    if matches_tag(&headers, tag) {
        return not_modified(tag, REVALIDATE);
    }
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, REVALIDATE),
            (header::ETAG, tag.as_str()),
        ],
        spec.clone(),
    )
        .into_response()
}

pub fn routes(state: AppState) -> Router<AppState> {
    let (business, _) = business_routes().split_for_parts();
    let (docs, _) = OpenApiRouter::new()
        .routes(routes!(openapi))
        .split_for_parts();
    business
        // `layer`, not `route_layer`: a preflight (OPTIONS) must reach the gate too.
        .layer(middleware::from_fn_with_state(state, gate))
        .merge(docs)
        .layer(CompressionLayer::new().gzip(true).br(true))
}

type BusinessRow = (
    Uuid,
    String,
    String,
    i64,
    Vec<String>,
    bool,
    i64,
    i64,
    Vec<Uuid>,
);

/// Rate limit, business, CORS and conditional requests for every storefront path.
async fn gate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    let client = match state.trust_forwarded_for {
        true => forwarded_client(request.headers()).or(peer),
        false => peer,
    };
    let origin = request.headers().get(header::ORIGIN).cloned();
    if let Err(wait) = state.storefront_limit.take(client, Instant::now()) {
        let seconds = wait.as_millis().div_ceil(1000).max(1);
        let mut response = no_store(ApiError::RateLimited {
            retry_after_secs: u64::try_from(seconds).unwrap_or(u64::MAX),
        });
        // Which origins may read it is not known without the business; the wait is
        // not secret, so any page may read it.
        if origin.is_some() {
            response.headers_mut().insert(
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            );
            response.headers_mut().insert(
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static("Retry-After"),
            );
        }
        return response;
    }
    let slug = request
        .uri()
        .path()
        .split('/')
        .nth(3)
        .unwrap_or_default()
        .to_owned();
    let row = match find_business(&state, &slug).await {
        Ok(Some(row)) => row,
        Ok(None) => {
            return no_store(ApiError::Missing(format!(
                "There is no storefront {:?}.",
                slug.chars().take(64).collect::<String>()
            )))
        }
        Err(error) => return no_store(error),
    };
    let (
        business_id,
        slug,
        name,
        feed_cursor,
        origins,
        exact_stock,
        low_stock_milli,
        version,
        open_shops,
    ) = row;
    let allowed = origin.filter(|o| {
        o.to_str()
            .is_ok_and(|o| origins.iter().any(|allowed| allowed == "*" || allowed == o))
    });

    if request.method() == Method::OPTIONS {
        return preflight(request.headers(), allowed);
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return no_store(ApiError::MethodNotAllowed);
    }
    let tag = format!(
        "W/\"{}\"",
        short_hash(
            format!(
                "{}|{feed_cursor}|{version}|{}",
                env!("CARGO_PKG_VERSION"),
                request.uri()
            )
            .as_bytes()
        )
    );
    let mut response = if matches_tag(request.headers(), &tag) {
        not_modified(&tag, REVALIDATE)
    } else if let Some(kept) = state.storefront_cache.get(&tag) {
        let mut response = Response::new(Body::from(kept.body));
        if let Ok(value) = HeaderValue::from_str(&kept.content_type) {
            response.headers_mut().insert(header::CONTENT_TYPE, value);
        }
        if let Ok(value) = HeaderValue::from_str(&tag) {
            response.headers_mut().insert(header::ETAG, value);
        }
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
        response
    } else {
        let mut request = request;
        request.extensions_mut().insert(Storefront {
            business_id,
            slug,
            name,
            exact_stock,
            low_stock_milli,
            open_shops,
        });
        let response = next.run(request).await;
        let mut response = keep_answer(&state, &tag, response).await;
        let ok = response.status() == StatusCode::OK;
        let headers = response.headers_mut();
        if ok {
            if !headers.contains_key(header::ETAG) {
                if let Ok(value) = HeaderValue::from_str(&tag) {
                    headers.insert(header::ETAG, value);
                }
            }
            if !headers.contains_key(header::CACHE_CONTROL) {
                headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
            }
        } else {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        response
    };
    let headers = response.headers_mut();
    headers.append(header::VARY, HeaderValue::from_static("Origin"));
    // Said even when this answer was not compressed, so a cache never hands the plain
    // copy to a client that asked for brotli or the other way round.
    if !headers.contains_key(header::CONTENT_ENCODING) {
        headers.append(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
    if let Some(origin) = allowed {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        headers.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static("ETag, Retry-After"),
        );
    }
    response
}

/// Keeps a JSON answer under its tag (pictures are cached by browsers for a year, and
/// are large).
async fn keep_answer(state: &AppState, tag: &str, response: Response) -> Response {
    let json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
    if !state.storefront_cache.enabled() || response.status() != StatusCode::OK || !json {
        return response;
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => {
            let content_type = parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|t| t.to_str().ok())
                .unwrap_or("application/json")
                .to_owned();
            state.storefront_cache.put(
                tag.to_owned(),
                cache::Kept {
                    content_type,
                    body: bytes.clone(),
                },
            );
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(_) => no_store(ApiError::Internal),
    }
}

/// The client a reverse proxy says it forwarded for: the last address of the last
/// `X-Forwarded-For`, the one the proxy in front of us appended (earlier ones are
/// whatever the client claimed).
pub fn forwarded_client(headers: &HeaderMap) -> Option<std::net::IpAddr> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .next_back()?
        .to_str()
        .ok()?
        .rsplit(',')
        .next()?
        .trim()
        .parse()
        .ok()
}

/// An error answer, which no cache may keep: the next request may well succeed.
fn no_store(error: ApiError) -> Response {
    let mut response = error.into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn find_business(state: &AppState, slug: &str) -> Result<Option<BusinessRow>, ApiError> {
    if !crate::cli::is_slug(slug) {
        return Ok(None);
    }
    Ok(sqlx::query_as(
        "SELECT id, slug, name, feed_cursor, storefront_origins, storefront_exact_stock,
                storefront_low_stock_milli, storefront_version,
                ARRAY(SELECT key::uuid FROM records r WHERE r.business_id = b.id
                      AND r.entity = 'shop' AND r.data->>'status' = 'active')
         FROM businesses b WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(&state.pool)
    .await?)
}

/// A browser asking whether a page of another origin may call: yes for the business's
/// allowed origins, for GET only.
fn preflight(headers: &HeaderMap, allowed: Option<HeaderValue>) -> Response {
    let Some(origin) = allowed else {
        return ApiError::Forbidden(
            "This origin may not call this storefront from a browser. The business's operator can allow it with `galla-server storefront-settings --allow-origins`.".into(),
        )
        .into_response();
    };
    let mut response = StatusCode::NO_CONTENT.into_response();
    let out = response.headers_mut();
    out.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    out.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, HEAD, OPTIONS"),
    );
    if let Some(asked) = headers.get(header::ACCESS_CONTROL_REQUEST_HEADERS) {
        out.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, asked.clone());
    }
    out.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    out.insert(header::VARY, HeaderValue::from_static("Origin"));
    response
}

/// Whether `If-None-Match` names `tag` (compared weakly, as RFC 9110 says for GET).
fn matches_tag(headers: &HeaderMap, tag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_owned();
    let wanted = bare(tag);
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|candidate| candidate.trim() == "*" || bare(candidate) == wanted)
}

fn not_modified(tag: &str, cache_control: &'static str) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NOT_MODIFIED;
    if let Ok(value) = HeaderValue::from_str(tag) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    response
}

fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `text` matched literally inside a LIKE pattern.
pub(crate) fn like_escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Paths other than the product list take no parameters; one sent anyway is a mistake
/// worth saying.
pub fn no_parameters(pairs: &[(String, String)]) -> Result<(), ApiError> {
    match pairs.first() {
        None => Ok(()),
        Some((name, _)) => Err(ApiError::BadParameter(format!(
            "This path takes no parameters; got {:?}.",
            name.chars().take(40).collect::<String>()
        ))),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_forwarded_client_is_the_one_the_proxy_added() {
        let mut headers = HeaderMap::new();
        assert_eq!(forwarded_client(&headers), None);
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("203.0.113.9, 198.51.100.7"),
        );
        assert_eq!(forwarded_client(&headers), Some([198, 51, 100, 7].into()));
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("not an address"),
        );
        assert_eq!(forwarded_client(&headers), None);
        headers.insert("x-forwarded-for", HeaderValue::from_static(" 2001:db8::1 "));
        assert!(forwarded_client(&headers).is_some());
    }

    #[test]
    fn if_none_match_is_compared_weakly_and_in_lists() {
        let mut headers = HeaderMap::new();
        let tag = "W/\"abc\"";
        assert!(!matches_tag(&headers, tag));
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"x\", \"abc\""),
        );
        assert!(matches_tag(&headers, tag));
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("W/\"abd\""));
        assert!(!matches_tag(&headers, tag));
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(matches_tag(&headers, tag));
    }
}
