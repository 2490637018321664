//! A small W3C WebDriver client for driving the real app through tauri-driver, plus
//! finders that look for things the way a person does: by heading, label and button text.

#![allow(dead_code)]

pub mod app;

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use reqwest::blocking::Client;
use serde_json::{json, Value};

pub type Result<T> = std::result::Result<T, String>;

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
pub const ENTER: &str = "\u{E007}";
pub const ESCAPE: &str = "\u{E00C}";
pub const TAB: &str = "\u{E004}";
pub const TIMEOUT: Duration = Duration::from_secs(20);

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// A running tauri-driver, stopped when dropped.
pub struct TauriDriver {
    child: Child,
    pub url: String,
}

impl TauriDriver {
    /// Starts tauri-driver on free ports. `env` is passed down through WebKitWebDriver to
    /// the app, which is how a test points the app at its own data folder.
    pub fn start(env: &[(&str, &Path)]) -> Result<TauriDriver> {
        if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
            return Err(
                "no display: run the end-to-end tests through the README's test command, \
                        which starts Xvfb, or under `xvfb-run -a cargo test`"
                    .into(),
            );
        }
        let port = free_port()?;
        let native_port = free_port()?;
        let mut command = Command::new(tauri_driver_path());
        command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (key, value) in env {
            command.env(key, value);
        }
        let mut child = command.spawn().map_err(|e| {
            format!("cannot start tauri-driver ({e}); install it with `cargo install tauri-driver --locked`")
        })?;
        // Keep its stderr flowing into ours so a failing run shows the driver's view.
        if let Some(stderr) = child.stderr.take() {
            std::thread::spawn(move || {
                for line in BufReader::new(stderr)
                    .lines()
                    .map_while(std::result::Result::ok)
                {
                    eprintln!("[tauri-driver] {line}");
                }
            });
        }
        let url = format!("http://127.0.0.1:{port}");
        let http = client()?;
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if http.get(format!("{url}/status")).send().is_ok() {
                break;
            }
            if let Ok(Some(status)) = child.try_wait() {
                return Err(format!("tauri-driver exited early with {status}"));
            }
            if Instant::now() > deadline {
                return Err("tauri-driver did not answer within 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(TauriDriver { child, url })
    }
}

impl Drop for TauriDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tauri_driver_path() -> PathBuf {
    if let Some(path) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(path);
    }
    let in_cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|home| home.join("bin").join("tauri-driver"));
    match in_cargo_home {
        Some(path) if path.exists() => path,
        _ => PathBuf::from("tauri-driver"),
    }
}

fn client() -> Result<Client> {
    Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(|e| e.to_string())
}

#[derive(Clone, Debug)]
pub struct Element(String);

impl Element {
    /// The element as a script argument.
    pub fn as_json(&self) -> Value {
        json!({ ELEMENT_KEY: self.0 })
    }
}

/// One WebDriver session: one run of the app.
pub struct Session {
    http: Client,
    base: String,
    screenshots: PathBuf,
}

impl Session {
    pub fn open(driver: &TauriDriver, application: &Path, screenshots: &Path) -> Result<Session> {
        let http = client()?;
        let body = json!({
            "capabilities": {
                "alwaysMatch": { "tauri:options": { "application": application } },
                "firstMatch": [{}]
            }
        });
        let reply: Value = http
            .post(format!("{}/session", driver.url))
            .json(&body)
            .send()
            .and_then(|r| r.json())
            .map_err(|e| format!("new session: {e}"))?;
        let id = reply["value"]["sessionId"]
            .as_str()
            .ok_or_else(|| format!("new session refused: {reply}"))?;
        std::fs::create_dir_all(screenshots).map_err(|e| e.to_string())?;
        Ok(Session {
            http,
            base: format!("{}/session/{id}", driver.url),
            screenshots: screenshots.to_owned(),
        })
    }

    fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Result<Value> {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let reply: Value = request
            .send()
            .and_then(|r| r.json())
            .map_err(|e| format!("{path}: {e}"))?;
        if let Some(error) = reply["value"]["error"].as_str() {
            return Err(format!("{path}: {error}: {}", reply["value"]["message"]));
        }
        Ok(reply["value"].clone())
    }

    fn post(&self, path: &str, body: Value) -> Result<Value> {
        self.call(reqwest::Method::POST, path, Some(body))
    }

    fn get(&self, path: &str) -> Result<Value> {
        self.call(reqwest::Method::GET, path, None)
    }

    pub fn find_all(&self, xpath: &str) -> Result<Vec<Element>> {
        let found = self.post("/elements", json!({"using": "xpath", "value": xpath}))?;
        Ok(found
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|e| e[ELEMENT_KEY].as_str().map(|id| Element(id.to_owned())))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Waits for exactly one visible match, as a person waits for a screen to settle.
    pub fn find(&self, xpath: &str) -> Result<Element> {
        let mut seen = String::new();
        let found = self.wait_for(&format!("one visible element at {xpath}"), || {
            let all = self.find_all(xpath)?;
            let mut visible = Vec::new();
            for element in &all {
                if self.is_displayed(element)? {
                    visible.push(element.clone());
                }
            }
            seen = format!(
                "(last look: {} matched, {} visible)",
                all.len(),
                visible.len()
            );
            Ok(if visible.len() == 1 {
                visible.pop()
            } else {
                None
            })
        });
        found.map_err(|e| format!("{e} {seen}"))
    }

    pub fn wait_for<T>(
        &self,
        what: &str,
        mut probe: impl FnMut() -> Result<Option<T>>,
    ) -> Result<T> {
        let deadline = Instant::now() + TIMEOUT;
        let mut last_error = String::new();
        loop {
            match probe() {
                Ok(Some(value)) => return Ok(value),
                Ok(None) => {}
                Err(e) => last_error = e,
            }
            if Instant::now() > deadline {
                let _ = self.screenshot("timeout");
                return Err(format!("gave up waiting for {what} {last_error}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn is_displayed(&self, element: &Element) -> Result<bool> {
        Ok(self
            .get(&format!("/element/{}/displayed", element.0))?
            .as_bool()
            .unwrap_or(false))
    }

    pub fn click(&self, element: &Element) -> Result<()> {
        self.post(&format!("/element/{}/click", element.0), json!({}))
            .map(drop)
    }

    pub fn clear(&self, element: &Element) -> Result<()> {
        self.post(&format!("/element/{}/clear", element.0), json!({}))
            .map(drop)
    }

    pub fn type_text(&self, element: &Element, text: &str) -> Result<()> {
        self.post(
            &format!("/element/{}/value", element.0),
            json!({"text": text}),
        )
        .map(drop)
    }

    /// Types into whatever has focus, key by key, as a keyboard or a USB barcode
    /// scanner does ('\n' is Enter).
    pub fn press_keys(&self, text: &str) -> Result<()> {
        let mut actions = Vec::new();
        for c in text.chars() {
            let key = if c == '\n' {
                "\u{E007}".to_owned()
            } else {
                c.to_string()
            };
            actions.push(json!({"type": "keyDown", "value": key}));
            actions.push(json!({"type": "keyUp", "value": key}));
        }
        self.post(
            "/actions",
            json!({"actions": [{"type": "key", "id": "keyboard", "actions": actions}]}),
        )
        .map(drop)
    }

    pub fn text(&self, element: &Element) -> Result<String> {
        Ok(self
            .get(&format!("/element/{}/text", element.0))?
            .as_str()
            .unwrap_or("")
            .to_owned())
    }

    pub fn property(&self, element: &Element, name: &str) -> Result<Value> {
        self.get(&format!("/element/{}/property/{name}", element.0))
    }

    pub fn execute(&self, script: &str, args: Value) -> Result<Value> {
        self.post("/execute/sync", json!({"script": script, "args": args}))
    }

    /// Runs a script that reports back by calling its last argument.
    pub fn execute_async(&self, script: &str, args: Value) -> Result<Value> {
        self.post("/execute/async", json!({"script": script, "args": args}))
    }

    pub fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let data = self.get("/screenshot")?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().unwrap_or(""))
            .map_err(|e| e.to_string())?;
        let path = self.screenshots.join(format!("{name}.png"));
        std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
        Ok(path)
    }

    /// Ends the session, which closes the app.
    pub fn quit(self) -> Result<()> {
        self.call(reqwest::Method::DELETE, "", None).map(drop)
    }

    // --- finders by what a person sees ---

    pub fn heading(&self, text: &str) -> Result<Element> {
        self.find(&format!(
            "//*[self::h1 or self::h2][normalize-space()={}]",
            quote(text)
        ))
    }

    pub fn button(&self, text: &str) -> Result<Element> {
        self.find(&format!(
            "//button[normalize-space()={t} or @aria-label={t}]",
            t = quote(text)
        ))
    }

    /// The form control a visible `<label>` names, or one with that `aria-label` (the
    /// inputs in a table row, such as "Price, variant 2").
    pub fn field(&self, label: &str) -> Result<Element> {
        self.find(&format!(
            "//*[(self::input or self::select or self::textarea) and (@id=//label[normalize-space()={t}]/@for or @aria-label={t})]",
            t = quote(label)
        ))
    }

    /// Picks the option with this visible text in the select named `label`.
    pub fn choose(&self, label: &str, option: &str) -> Result<()> {
        let select = self.field(label)?;
        let script = "const select = arguments[0];
            const option = [...select.options].find(o => o.textContent.trim() === arguments[1]);
            if (!option) return [...select.options].map(o => o.textContent.trim()).join(' | ');
            select.value = option.value;
            select.dispatchEvent(new Event('input', { bubbles: true }));
            select.dispatchEvent(new Event('change', { bubbles: true }));
            return '';";
        let missing = self.execute(script, json!([select.as_json(), option]))?;
        match missing.as_str() {
            Some("") => Ok(()),
            other => Err(format!(
                "{label} has no option {option:?}; it has: {}",
                other.unwrap_or("?")
            )),
        }
    }

    /// Puts a file in the file input named `label`, as if picked from disk, and fires
    /// its change event. (WebKitWebDriver's file upload needs a real path on the
    /// driver's side; building the File in the page keeps the test self-contained.)
    pub fn attach_file(&self, label: &str, name: &str, bytes: &[u8]) -> Result<()> {
        let input = self.field(label)?;
        let data = base64::engine::general_purpose::STANDARD.encode(bytes);
        let script = "const [input, name, data] = arguments;
            const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name));
            input.files = transfer.files;
            input.dispatchEvent(new Event('change', { bubbles: true }));";
        self.execute(script, json!([input.as_json(), name, data]))
            .map(drop)
    }

    /// The text of every row of the table with this caption, cells joined by " | ".
    pub fn table_rows(&self, caption: &str) -> Result<Vec<String>> {
        let script = "const table = [...document.querySelectorAll('table')]
                .find(t => t.caption && t.caption.textContent.trim() === arguments[0]);
            if (!table) return null;
            return [...table.tBodies].flatMap(b => [...b.rows])
                .map(r => [...r.cells].map(c => c.textContent.trim()).join(' | '));";
        let rows = self.execute(script, json!([caption]))?;
        match rows {
            Value::Array(rows) => Ok(rows
                .into_iter()
                .map(|r| r.as_str().unwrap_or_default().to_owned())
                .collect()),
            _ => Err(format!("no table with caption {caption:?}")),
        }
    }

    pub fn fill(&self, label: &str, text: &str) -> Result<()> {
        let field = self.field(label)?;
        self.clear(&field)?;
        self.type_text(&field, text)
    }

    /// Fills the field and moves on with Tab, as a person does, so anything the page
    /// checks on leaving the field has shown before the next click.
    pub fn fill_and_leave(&self, label: &str, text: &str) -> Result<()> {
        let field = self.field(label)?;
        self.clear(&field)?;
        self.type_text(&field, text)?;
        self.type_text(&field, TAB)
    }

    /// The message the app shows beside a field (what `aria-describedby` points at).
    pub fn field_error(&self, label: &str) -> Result<String> {
        let script = "const label = [...document.querySelectorAll('label')]
                .find(l => l.textContent.trim() === arguments[0]);
            const input = (label && document.getElementById(label.htmlFor))
                || [...document.querySelectorAll('[aria-label]')]
                    .find(e => e.getAttribute('aria-label') === arguments[0]);
            if (!input || input.getAttribute('aria-invalid') !== 'true') return '';
            return (input.getAttribute('aria-describedby') || '').split(/\\s+/)
                .map(id => document.getElementById(id))
                .filter(Boolean).map(e => e.textContent.trim()).join(' ');";
        let label = label.to_owned();
        self.wait_for(&format!("an error beside {label}"), || {
            let text = self.execute(script, json!([label]))?;
            let text = text.as_str().unwrap_or("").to_owned();
            Ok(if text.is_empty() { None } else { Some(text) })
        })
    }

    /// What a person can read on the page (rendered text, so hidden elements are left
    /// out), including rows a virtualized list has placed by absolute position.
    pub fn page_text(&self) -> Result<String> {
        let text = self.execute("return document.body.innerText;", json!([]))?;
        Ok(text.as_str().unwrap_or_default().to_owned())
    }
}

/// An XPath string literal for any text, quotes included.
fn quote(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}
