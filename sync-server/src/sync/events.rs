//! `GET /sync/v1/events`: server-sent events telling a device that its business's feed
//! moved, so it pulls at once instead of on a timer (SYNC.md rule 13).
//!
//! Each push that moves a feed runs `pg_notify('galla_feed', '<business>:<cursor>')` in
//! its transaction, which Postgres delivers on commit to every session listening. Each
//! server process keeps one such session and fans what it hears out to its own
//! connected devices through a broadcast channel, so several processes on one
//! database behave as one.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use serde_json::json;
use sqlx::postgres::PgListener;
use sqlx::PgPool;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{broadcast, watch};
use uuid::Uuid;

use super::auth::AuthDevice;
use super::push::FEED_CHANNEL;
use crate::error::ApiError;
use crate::http::AppState;

/// Proxies and load balancers close connections that stay silent for long.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Enough for bursts; a device that falls further behind re-reads its cursor.
const CHANNEL_CAPACITY: usize = 1024;

const RETRY_FIRST: Duration = Duration::from_millis(500);
const RETRY_MAX: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// A business's feed reached `cursor`.
    Feed { business_id: Uuid, cursor: i64 },
    /// Notifications may have been missed (the listening session was re-made): every
    /// device re-reads its business's cursor.
    Resync,
}

/// What connected devices subscribe to, and the signal that ends their streams when
/// the server shuts down (an open stream would otherwise hold shutdown forever).
#[derive(Clone)]
pub struct Hub {
    notices: broadcast::Sender<Notice>,
    stop: watch::Receiver<bool>,
}

impl Hub {
    pub fn new(stop: watch::Receiver<bool>) -> Hub {
        let (notices, _) = broadcast::channel(CHANNEL_CAPACITY);
        Hub { notices, stop }
    }

    pub fn sender(&self) -> broadcast::Sender<Notice> {
        self.notices.clone()
    }
}

/// `<business id>:<cursor>`, as `push` sends it.
pub fn parse_notice(payload: &str) -> Option<Notice> {
    let (business, cursor) = payload.split_once(':')?;
    Some(Notice::Feed {
        business_id: Uuid::parse_str(business).ok()?,
        cursor: cursor.parse().ok()?,
    })
}

/// Listens on `galla_feed` for as long as the server runs, re-making the session
/// (with backoff) whenever it is lost.
pub async fn listen(pool: PgPool, notices: broadcast::Sender<Notice>) {
    let mut delay = RETRY_FIRST;
    loop {
        match subscribe(&pool).await {
            Ok(mut listener) => {
                delay = RETRY_FIRST;
                tracing::debug!("listening for feed changes");
                // Whatever was committed while no session listened is caught up now.
                let _ = notices.send(Notice::Resync);
                loop {
                    match listener.try_recv().await {
                        Ok(Some(notification)) => match parse_notice(notification.payload()) {
                            // No receivers is normal: no device is connected.
                            Some(notice) => drop(notices.send(notice)),
                            None => tracing::warn!(
                                payload = notification.payload(),
                                "ignoring a malformed feed notification"
                            ),
                        },
                        Ok(None) => {
                            tracing::warn!("lost the database session that listens for feed changes; reconnecting");
                            break;
                        }
                        Err(error) => {
                            tracing::warn!(%error, "listening for feed changes failed; reconnecting");
                            break;
                        }
                    }
                }
            }
            Err(error) => {
                tracing::warn!(%error, retry_in_ms = delay.as_millis() as u64, "cannot listen for feed changes");
            }
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(RETRY_MAX);
    }
}

async fn subscribe(pool: &PgPool) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(FEED_CHANNEL).await?;
    Ok(listener)
}

async fn feed_cursor(pool: &PgPool, business_id: Uuid) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT feed_cursor FROM businesses WHERE id = $1")
        .bind(business_id)
        .fetch_one(pool)
        .await
}

fn feed_event(cursor: i64) -> Result<Event, Infallible> {
    Ok(Event::default()
        .event("feed")
        .data(json!({ "cursor": cursor }).to_string()))
}

struct Subscription {
    pool: PgPool,
    business_id: Uuid,
    notices: broadcast::Receiver<Notice>,
    stop: watch::Receiver<bool>,
    /// The cursor to announce first (on connect).
    first: Option<i64>,
    /// The last cursor announced; only higher ones are worth an event.
    sent: i64,
}

impl Subscription {
    async fn next(mut self) -> Option<(Result<Event, Infallible>, Self)> {
        if let Some(cursor) = self.first.take() {
            self.sent = cursor;
            return Some((feed_event(cursor), self));
        }
        loop {
            if *self.stop.borrow() {
                return None;
            }
            let cursor = tokio::select! {
                // Shutdown asked, or the server is gone: end the stream.
                _ = self.stop.changed() => return None,
                notice = self.notices.recv() => match notice {
                    Ok(Notice::Feed { business_id, cursor }) if business_id == self.business_id => cursor,
                    Ok(Notice::Feed { .. }) => continue,
                    Ok(Notice::Resync) | Err(RecvError::Lagged(_)) => {
                        match feed_cursor(&self.pool, self.business_id).await {
                            Ok(cursor) => cursor,
                            Err(error) => {
                                tracing::debug!(%error, "cannot re-read a feed cursor");
                                continue;
                            }
                        }
                    }
                    Err(RecvError::Closed) => return None,
                },
            };
            if cursor > self.sent {
                self.sent = cursor;
                return Some((feed_event(cursor), self));
            }
        }
    }
}

pub async fn events(
    State(state): State<AppState>,
    device: AuthDevice,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    // Subscribed before the cursor is read, so a change committed in between is not lost.
    let notices = state.events.notices.subscribe();
    let cursor = feed_cursor(&state.pool, device.business_id).await?;
    let subscription = Subscription {
        pool: state.pool.clone(),
        business_id: device.business_id,
        notices,
        stop: state.events.stop.clone(),
        first: Some(cursor),
        sent: cursor,
    };
    let stream = stream::unfold(subscription, Subscription::next);
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_are_read_back_as_push_writes_them() {
        let business = Uuid::now_v7();
        assert_eq!(
            parse_notice(&format!("{business}:42")),
            Some(Notice::Feed {
                business_id: business,
                cursor: 42
            })
        );
        assert_eq!(parse_notice("nonsense"), None);
        assert_eq!(parse_notice(&format!("{business}:x")), None);
    }
}
