//! The real transport: JSON over HTTP to `galla-server`, the device's token as a
//! bearer credential.

use std::time::Duration;

use galla_sync_protocol::{
    DeviceInfo, EnrollReply, EnrollRequest, ErrorBody, PairingCode, PairingCodeRequest, PullPage,
    PushReply, PushRequest, RevokeRequest, VerifyReply, MAX_BLOB_BYTES,
};
use reqwest::blocking::{Client, RequestBuilder, Response};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::{SyncError, Transport};

/// Long enough for a 500-entry batch over a slow shop connection, short enough that a
/// dead link is noticed and the counter shows "offline".
const TIMEOUT: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

pub struct HttpTransport {
    base: String,
    token: String,
    client: Client,
}

fn client() -> Result<Client, SyncError> {
    Client::builder()
        .timeout(TIMEOUT)
        .connect_timeout(CONNECT_TIMEOUT)
        .build()
        .map_err(|e| SyncError::Offline(format!("cannot start an HTTP client: {e}")))
}

/// `http://host:port` with any trailing slash taken off.
fn base_of(server_url: &str) -> String {
    server_url.trim().trim_end_matches('/').to_owned()
}

/// Joins a business: `POST /sync/v1/enroll`. The reply's token is the device's
/// credential; keep it somewhere safe, it is not shown again.
pub fn enroll(server_url: &str, request: &EnrollRequest) -> Result<EnrollReply, SyncError> {
    let client = client()?;
    let url = format!("{}/sync/v1/enroll", base_of(server_url));
    read(client.post(url).json(request).send())
}

impl HttpTransport {
    pub fn new(server_url: &str, token: &str) -> Result<HttpTransport, SyncError> {
        Ok(HttpTransport {
            base: base_of(server_url),
            token: token.to_owned(),
            client: client()?,
        })
    }

    /// An owner makes a one-time code for a new counter (in `shop`, if given).
    pub fn pairing_code(&self, owner: Uuid, shop: Option<Uuid>) -> Result<PairingCode, SyncError> {
        let body = PairingCodeRequest {
            staff_id: owner,
            shop_id: shop,
        };
        read(self.post("/sync/v1/pairing-codes").json(&body).send())
    }

    /// The business's devices, as an owner sees them.
    pub fn devices(&self, owner: Uuid) -> Result<Vec<DeviceInfo>, SyncError> {
        #[derive(serde::Deserialize)]
        struct Devices {
            devices: Vec<DeviceInfo>,
        }
        let list: Devices = read(
            self.get(&format!("/sync/v1/devices?staff_id={owner}"))
                .send(),
        )?;
        Ok(list.devices)
    }

    /// An owner cuts a device off; its requests are refused from now on.
    pub fn revoke(&self, owner: Uuid, device: Uuid) -> Result<(), SyncError> {
        let body = RevokeRequest { staff_id: owner };
        let _: serde_json::Value = read(
            self.post(&format!("/sync/v1/devices/{device}/revoke"))
                .json(&body)
                .send(),
        )?;
        Ok(())
    }

    fn post(&self, path: &str) -> RequestBuilder {
        self.client
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
    }

    fn get(&self, path: &str) -> RequestBuilder {
        self.client
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
    }
}

impl Transport for HttpTransport {
    fn push(&self, request: &PushRequest) -> Result<PushReply, SyncError> {
        read(self.post("/sync/v1/push").json(request).send())
    }

    fn pull(&self, after: u64, limit: u32, scope: Option<&str>) -> Result<PullPage, SyncError> {
        let mut path = format!("/sync/v1/pull?after={after}&limit={limit}");
        if let Some(scope) = scope {
            // Scopes are plain lower-case words (galla_sync_protocol::SCOPES).
            path.push_str("&scope=");
            path.push_str(scope);
        }
        read(self.get(&path).send())
    }

    fn verify(&self) -> Result<VerifyReply, SyncError> {
        read(self.get("/sync/v1/verify").send())
    }

    fn put_blob(&self, hash: &str, bytes: &[u8]) -> Result<(), SyncError> {
        let response = self
            .client
            .put(format!("{}/sync/v1/blobs/{hash}", self.base))
            .bearer_auth(&self.token)
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .body(bytes.to_vec())
            .send()
            .map_err(|e| SyncError::Offline(describe(&e)))?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(refusal(response))
        }
    }

    fn get_blob(&self, hash: &str) -> Result<Option<Vec<u8>>, SyncError> {
        let response = self
            .get(&format!("/sync/v1/blobs/{hash}"))
            .send()
            .map_err(|e| SyncError::Offline(describe(&e)))?;
        match response.status() {
            StatusCode::NOT_FOUND => Ok(None),
            s if s.is_success() => {
                let bytes = response
                    .bytes()
                    .map_err(|e| SyncError::Offline(describe(&e)))?;
                if bytes.len() > MAX_BLOB_BYTES {
                    return Err(SyncError::Garbage(format!(
                        "a blob of {} bytes, more than any picture",
                        bytes.len()
                    )));
                }
                Ok(Some(bytes.to_vec()))
            }
            _ => Err(refusal(response)),
        }
    }
}

fn read<T: DeserializeOwned>(sent: reqwest::Result<Response>) -> Result<T, SyncError> {
    let response = sent.map_err(|e| SyncError::Offline(describe(&e)))?;
    if response.status().is_success() {
        return response
            .json::<T>()
            .map_err(|e| SyncError::Garbage(describe(&e)));
    }
    Err(refusal(response))
}

/// What an answer other than 2xx means.
fn refusal(response: Response) -> SyncError {
    let status = response.status();
    // An error body that is not ours (a proxy's HTML page) still gets a status.
    let body = response.json::<ErrorBody>().ok();
    let (code, message, last_seq) = match body {
        Some(b) => (b.error.code, b.error.message, b.error.last_seq),
        None => (String::from("unknown"), String::from("no details"), None),
    };
    match status {
        StatusCode::UNAUTHORIZED if code != "enrolment_refused" => SyncError::Unauthenticated,
        StatusCode::FORBIDDEN if code == "device_revoked" => SyncError::Revoked,
        s if s.is_server_error() => SyncError::Server {
            status: s.as_u16(),
            code,
            message,
        },
        s => SyncError::Refused {
            status: s.as_u16(),
            code,
            message,
            last_seq,
        },
    }
}

/// reqwest's own text names the URL and the cause; only the innermost cause helps a
/// person ("connection refused"), so the chain is walked to it.
fn describe(e: &reqwest::Error) -> String {
    let mut source: Option<&dyn std::error::Error> = Some(e);
    let mut last = e.to_string();
    while let Some(s) = source {
        last = s.to_string();
        source = s.source();
    }
    if e.is_timeout() {
        format!("no answer in time: {last}")
    } else {
        last
    }
}
