//! The background sync: one thread per app that pushes what the counter recorded and
//! pulls what others did, on a connection of its own to the same store file (SYNC.md
//! rule 9: selling never waits for sync; core's write transactions take the lock when
//! they begin and wait their turn for up to 5 s, and each sync transaction is one batch
//! or one page, so the counter's writes get in between).
//!
//! The loop syncs, then waits: 30 s after a success, the backoff's delay after a failure
//! that may pass (offline, a server error), or less when poked: after a sale or a
//! return, after enrolment, or by "Sync now". It stops when the device is not linked,
//! has no key, was revoked or is not recognised by the server; "Sync now" or a new
//! enrolment starts it again. It never deletes anything local on a failure (the store
//! and the client already guarantee that; nothing here deletes).
//!
//! "Sync now" and "Verify" run on the same connection, under the same lock, in the
//! command's thread, so they and the loop never sync at the same time.
//!
//! Live updates (SYNC.md rule 13): beside the loop, a second thread holds the server's
//! event stream (`GET /sync/v1/events`) open and pokes the loop on each `feed` event
//! whose cursor is past what this device has pulled, so another counter's sale arrives
//! in well under a second instead of at the next turn. It reconnects with backoff and
//! ends with the loop.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use galla_core::Store;
use galla_sync_client::{
    fetch_image, sync_once, verify, Backoff, HttpTransport, SyncError, SyncReport, VerifyReport,
};

use crate::credentials::Credentials;
use crate::terminal::lock;

/// How long the loop rests after a sync that went well, when nothing pokes it.
pub const QUIET_WAIT: Duration = Duration::from_secs(30);

/// Why a sync did not happen or did not finish.
#[derive(Debug)]
pub enum Failure {
    NotLinked,
    NoKey,
    Sync(SyncError),
}

impl From<SyncError> for Failure {
    fn from(e: SyncError) -> Failure {
        Failure::Sync(e)
    }
}

impl From<galla_core::StoreError> for Failure {
    fn from(e: galla_core::StoreError) -> Failure {
        Failure::Sync(SyncError::from(e))
    }
}

impl Failure {
    /// Whether waiting and trying again, unchanged, cannot help: the loop stops.
    fn stops_loop(&self) -> bool {
        matches!(
            self,
            Failure::NotLinked
                | Failure::NoKey
                | Failure::Sync(SyncError::Revoked | SyncError::Unauthenticated)
        )
    }

    fn describe(&self) -> String {
        match self {
            Failure::NotLinked => String::from("this device is not linked to a server"),
            Failure::NoKey => String::from("this device's key was not found"),
            Failure::Sync(e) => e.to_string(),
        }
    }
}

/// What the loop and the last attempt did, for the status screen. Kept in memory: the
/// store keeps the lasting part (last success, last error, revoked).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoopState {
    pub running: bool,
    pub last_attempt_ms: Option<u64>,
    /// Whether the last attempt since the app started succeeded.
    pub last_ok: Option<bool>,
    pub last_error: Option<String>,
    /// The feed position pulled up to, after the last attempt.
    pub cursor: Option<u64>,
    /// Whether the server's event stream is open.
    pub live: bool,
}

enum Wake {
    Poke,
    Stop,
}

struct Control {
    sender: Option<Sender<Wake>>,
    /// Which thread the sender belongs to: one that ends clears only its own.
    generation: u64,
}

struct Shared {
    path: PathBuf,
    credentials: Credentials,
    /// Sync's own connection, opened at the first sync.
    conn: Mutex<Option<Store>>,
    state: Mutex<LoopState>,
    control: Mutex<Control>,
    seed: u64,
    /// The linked server's address, as the last attempt read it (for the event stream).
    server: Mutex<Option<String>>,
}

/// The app's one sync engine: the loop's control and sync's own connection.
pub struct SyncHandle {
    shared: Arc<Shared>,
}

pub fn wall_clock_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

impl SyncHandle {
    /// `store_path` is the store file; `seed` spreads retries between devices.
    pub fn new(store_path: &Path, credentials: Credentials, seed: u64) -> SyncHandle {
        SyncHandle {
            shared: Arc::new(Shared {
                path: store_path.to_owned(),
                credentials,
                conn: Mutex::new(None),
                state: Mutex::new(LoopState::default()),
                control: Mutex::new(Control {
                    sender: None,
                    generation: 0,
                }),
                seed,
                server: Mutex::new(None),
            }),
        }
    }

    pub fn credentials(&self) -> &Credentials {
        &self.shared.credentials
    }

    pub fn state(&self) -> LoopState {
        lock(&self.shared.state).clone()
    }

    /// Starts the loop, or pokes it when it runs. It syncs at once either way.
    pub fn start(&self) {
        let mut control = lock(&self.shared.control);
        if let Some(sender) = &control.sender {
            if sender.send(Wake::Poke).is_ok() {
                return;
            }
        }
        let (sender, receiver) = mpsc::channel();
        control.generation = control.generation.wrapping_add(1);
        let generation = control.generation;
        let shared = Arc::clone(&self.shared);
        lock(&self.shared.state).running = true;
        let spawned = std::thread::Builder::new()
            .name(String::from("galla-sync"))
            .spawn(move || run(&shared, &receiver, generation));
        match spawned {
            Ok(_) => {
                control.sender = Some(sender);
                let shared = Arc::clone(&self.shared);
                // Without live updates the loop still syncs every 30 s.
                let _ = std::thread::Builder::new()
                    .name(String::from("galla-sync-events"))
                    .spawn(move || listen(&shared, generation));
            }
            Err(e) => {
                let mut state = lock(&self.shared.state);
                state.running = false;
                state.last_error = Some(format!("could not start the background sync: {e}"));
            }
        }
    }

    /// Asks the loop to sync soon, if it runs. Never blocks on the network.
    pub fn poke(&self) {
        if let Some(sender) = &lock(&self.shared.control).sender {
            let _ = sender.send(Wake::Poke);
        }
    }

    /// One sync now, in the caller's thread (waiting for the loop's, if one is under way).
    pub fn sync_now(&self) -> Result<SyncReport, Failure> {
        let result = self
            .shared
            .attempt(|store, transport| sync_once(store, transport, &wall_clock_ms));
        if let Err(failure) = &result {
            if failure.stops_loop() {
                // The loop finds the same at once and stops, instead of at its next turn.
                self.poke();
            }
        }
        result
    }

    /// Fetches a picture some product names but this device has not got yet, in the
    /// caller's thread. Not a sync: how syncing goes is left as it was.
    pub fn fetch_image(&self, hash: &str) -> Result<bool, Failure> {
        let mut conn = lock(&self.shared.conn);
        self.shared.on_connection(&mut conn, |store, transport| {
            fetch_image(store, transport, hash)
        })
    }

    /// "Verify", in the caller's thread.
    pub fn verify(&self) -> Result<VerifyReport, Failure> {
        self.shared
            .attempt(|store, transport| verify(store, transport, &wall_clock_ms))
    }
}

impl Drop for SyncHandle {
    fn drop(&mut self) {
        if let Some(sender) = lock(&self.shared.control).sender.take() {
            let _ = sender.send(Wake::Stop);
        }
    }
}

impl Shared {
    /// Runs `action` on sync's connection with a transport to the linked server, and
    /// notes how it went.
    fn attempt<T>(
        &self,
        action: impl FnOnce(&mut Store, &HttpTransport) -> Result<T, SyncError>,
    ) -> Result<T, Failure> {
        let mut conn = lock(&self.conn);
        let result = self.on_connection(&mut conn, action);
        if let Err(Failure::Sync(SyncError::Store(_))) = &result {
            // Open afresh next time rather than keep a connection that failed.
            *conn = None;
        }
        let cursor = conn.as_ref().and_then(|store| store.pull_cursor().ok());
        drop(conn);
        let mut state = lock(&self.state);
        state.cursor = cursor;
        state.last_attempt_ms = Some(wall_clock_ms());
        match &result {
            Ok(_) => {
                state.last_ok = Some(true);
                state.last_error = None;
            }
            Err(failure) => {
                state.last_ok = Some(false);
                state.last_error = Some(failure.describe());
            }
        }
        result
    }

    fn on_connection<T>(
        &self,
        conn: &mut Option<Store>,
        action: impl FnOnce(&mut Store, &HttpTransport) -> Result<T, SyncError>,
    ) -> Result<T, Failure> {
        let store = match conn {
            Some(store) => store,
            None => conn.insert(Store::open(&self.path)?),
        };
        let link = store.sync_link()?.ok_or(Failure::NotLinked)?;
        *lock(&self.server) = Some(link.server_url.clone());
        if store.sync_status()?.revoked {
            return Err(Failure::Sync(SyncError::Revoked));
        }
        let token = self.credentials.load().ok_or(Failure::NoKey)?;
        let transport = HttpTransport::new(&link.server_url, &token)?;
        Ok(action(store, &transport)?)
    }

    /// Whether the loop of this generation still runs.
    fn is_current(&self, generation: u64) -> bool {
        let control = lock(&self.control);
        control.generation == generation && control.sender.is_some()
    }

    fn poke_loop(&self) {
        if let Some(sender) = &lock(&self.control).sender {
            let _ = sender.send(Wake::Poke);
        }
    }

    /// The loop wants to end. It does, unless a poke came in meanwhile: then whoever
    /// poked expects a sync, and it goes on.
    fn may_finish(&self, generation: u64, receiver: &Receiver<Wake>) -> bool {
        let mut control = lock(&self.control);
        if let Ok(Wake::Poke) = receiver.try_recv() {
            return false;
        }
        if control.generation == generation {
            control.sender = None;
            lock(&self.state).running = false;
        }
        true
    }
}

/// The loop's body, in its own thread.
fn run(shared: &Shared, receiver: &Receiver<Wake>, generation: u64) {
    let mut backoff = Backoff::new(shared.seed);
    loop {
        let wait =
            match shared.attempt(|store, transport| sync_once(store, transport, &wall_clock_ms)) {
                Ok(_) => {
                    backoff.reset();
                    QUIET_WAIT
                }
                Err(failure) if failure.stops_loop() => {
                    if shared.may_finish(generation, receiver) {
                        return;
                    }
                    continue;
                }
                Err(_) => backoff.next_delay(),
            };
        match receiver.recv_timeout(wait) {
            Ok(Wake::Poke) | Err(RecvTimeoutError::Timeout) => {}
            Ok(Wake::Stop) | Err(RecvTimeoutError::Disconnected) => break,
        }
        // Several pokes while syncing or waiting ask for one sync, not several.
        loop {
            match receiver.try_recv() {
                Ok(Wake::Poke) => {}
                Err(TryRecvError::Empty) => break,
                Ok(Wake::Stop) | Err(TryRecvError::Disconnected) => {
                    stopped(shared, generation);
                    return;
                }
            }
        }
    }
    stopped(shared, generation);
}

fn stopped(shared: &Shared, generation: u64) {
    let mut control = lock(&shared.control);
    if control.generation == generation {
        control.sender = None;
        lock(&shared.state).running = false;
    }
}

/// How long the event stream may stay silent: the server sends a comment every 15 s.
const EVENTS_SILENCE: Duration = Duration::from_secs(45);

/// How the event stream ended.
enum StreamEnd {
    /// Closed by the server, or the network failed: connect again after a wait.
    Retry,
    /// The loop ended, or the server refused this device: stop listening.
    Stop,
}

/// The event-stream thread: connects, pokes the loop on news, reconnects with backoff,
/// and ends with the loop.
fn listen(shared: &Shared, generation: u64) {
    let mut backoff = Backoff::new(shared.seed.rotate_left(17));
    let client = match reqwest::blocking::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(EVENTS_SILENCE)
        .build()
    {
        Ok(client) => client,
        Err(_) => return,
    };
    while shared.is_current(generation) {
        let opened = std::time::Instant::now();
        let end = stream_once(shared, generation, &client);
        lock(&shared.state).live = false;
        match end {
            StreamEnd::Stop => return,
            StreamEnd::Retry => {
                // A stream that stayed open a while was fine; start the waits afresh.
                if opened.elapsed() > EVENTS_SILENCE {
                    backoff.reset();
                }
                let wait = backoff.next_delay();
                let until = std::time::Instant::now() + wait;
                while std::time::Instant::now() < until {
                    if !shared.is_current(generation) {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(250));
                }
            }
        }
    }
}

fn stream_once(shared: &Shared, generation: u64, client: &reqwest::blocking::Client) -> StreamEnd {
    // The loop's first attempt reads the link; until then there is nowhere to listen.
    let Some(server) = lock(&shared.server).clone() else {
        return StreamEnd::Retry;
    };
    let Some(token) = shared.credentials.load() else {
        return StreamEnd::Retry;
    };
    let url = format!("{}/sync/v1/events", server.trim_end_matches('/'));
    let response = match client
        .get(url)
        .bearer_auth(token)
        .header("Accept", "text/event-stream")
        .send()
    {
        Ok(response) => response,
        Err(_) => return StreamEnd::Retry,
    };
    let status = response.status();
    if status == reqwest::StatusCode::UNAUTHORIZED || status == reqwest::StatusCode::FORBIDDEN {
        // The loop finds out why at its next sync and says so.
        shared.poke_loop();
        return StreamEnd::Stop;
    }
    if !status.is_success() {
        return StreamEnd::Retry;
    }
    lock(&shared.state).live = true;
    // The server answers again: news may have been missed while the stream was down,
    // and what waited to be sent can go now rather than at the loop's next turn.
    shared.poke_loop();
    let mut event = String::new();
    let mut data = String::new();
    for line in std::io::BufReader::new(response).lines() {
        if !shared.is_current(generation) {
            return StreamEnd::Stop;
        }
        let Ok(line) = line else {
            return StreamEnd::Retry;
        };
        if line.is_empty() {
            if event == "feed" && is_news(shared, &data) {
                shared.poke_loop();
            }
            event.clear();
            data.clear();
        } else if let Some(name) = line.strip_prefix("event:") {
            event = name.trim().to_owned();
        } else if let Some(text) = line.strip_prefix("data:") {
            data.push_str(text.trim());
        }
        // Lines starting with ':' are keep-alive comments.
    }
    StreamEnd::Retry
}

/// A `feed` event is news when its cursor is past what this device has pulled (or
/// cannot be read, to be safe).
fn is_news(shared: &Shared, data: &str) -> bool {
    let cursor = serde_json::from_str::<serde_json::Value>(data)
        .ok()
        .and_then(|v| v.get("cursor").and_then(serde_json::Value::as_u64));
    match (cursor, lock(&shared.state).cursor) {
        (Some(theirs), Some(ours)) => theirs > ours,
        _ => true,
    }
}
