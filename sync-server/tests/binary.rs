//! The real `galla-server` binary, as an operator or a supervisor would run it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

const BIN: &str = env!("CARGO_BIN_EXE_galla-server");

/// Generous: the point is "does not hang", not a performance bound.
const EXIT_LIMIT: Duration = Duration::from_secs(20);

/// The binary with none of this process's Galla settings leaking in, and
/// backtraces switched on so that any panic would show.
fn server() -> Command {
    let mut command = Command::new(BIN);
    for name in [
        "DATABASE_URL",
        "GALLA_CONFIG",
        "GALLA_LISTEN",
        "GALLA_LOG",
        "RUST_LOG",
    ] {
        command.env_remove(name);
    }
    command.env("RUST_BACKTRACE", "1").stdin(Stdio::null());
    command
}

fn unused_port() -> u16 {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    probe.local_addr().unwrap().port()
}

/// Runs `command` to completion, killing it if it outlives `limit`.
fn output_within(mut command: Command, limit: Duration) -> Output {
    let child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let (done, result) = mpsc::channel();
    thread::spawn(move || done.send(child.wait_with_output()));
    match result.recv_timeout(limit) {
        Ok(output) => output.unwrap(),
        Err(_) => {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("galla-server did not exit within {limit:?}");
        }
    }
}

/// Asserts the failure contract: the given exit code and exactly one line on
/// stderr, with no sign of a panic. Returns that line.
fn assert_one_line_failure(output: &Output, code: i32) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(code), "stderr: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "stderr: {stderr}");
    let lower = stderr.to_lowercase();
    assert!(!lower.contains("panicked"), "stderr: {stderr}");
    assert!(!lower.contains("backtrace"), "stderr: {stderr}");
    assert!(lines[0].starts_with("galla-server: "), "stderr: {stderr}");
    lines[0].to_owned()
}

/// `base` (the test's DATABASE_URL) pointed at database `name` instead.
fn with_database(base: &str, name: &str) -> String {
    let (without_query, query) = match base.split_once('?') {
        Some((url, query)) => (url, Some(query)),
        None => (base, None),
    };
    let authority_start = without_query.find("://").map_or(0, |at| at + 3);
    let root = match without_query[authority_start..].find('/') {
        Some(at) => &without_query[..authority_start + at],
        None => without_query,
    };
    match query {
        Some(query) => format!("{root}/{name}?{query}"),
        None => format!("{root}/{name}"),
    }
}

/// Kills the child if a test fails while it is still running.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

#[test]
fn with_database_swaps_only_the_database_name() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
        "postgres://postgres@127.0.0.1:5432/t1"
    );
    assert_eq!(
        with_database("postgres://u:p@h/db?sslmode=disable", "t2"),
        "postgres://u:p@h/t2?sslmode=disable"
    );
    assert_eq!(
        with_database("postgres://h:5432", "t3"),
        "postgres://h:5432/t3"
    );
}

#[test]
fn unreachable_database_exits_1_with_one_masked_line() {
    let mut command = server();
    command.env(
        "DATABASE_URL",
        format!(
            "postgres://galla:s3cret-pw@127.0.0.1:{}/galla",
            unused_port()
        ),
    );
    let started = Instant::now();
    let output = output_within(command, EXIT_LIMIT);
    let line = assert_one_line_failure(&output, 1);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(line.contains("DATABASE_URL"), "{line}");
    assert!(line.contains("connection refused"), "{line}");
    assert!(line.contains("galla:***@127.0.0.1"), "{line}");
    assert!(!line.contains("s3cret-pw"), "{line}");
}

#[test]
fn missing_database_url_exits_2() {
    let output = output_within(server(), EXIT_LIMIT);
    let line = assert_one_line_failure(&output, 2);
    assert!(line.contains("DATABASE_URL"), "{line}");
}

#[test]
fn malformed_config_file_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("galla.toml");
    std::fs::write(&path, "database_url = postgres://oops\n").unwrap();
    let mut command = server();
    command.arg("--config").arg(&path);
    let output = output_within(command, EXIT_LIMIT);
    let line = assert_one_line_failure(&output, 2);
    assert!(line.contains(path.to_str().unwrap()), "{line}");
    assert!(line.contains("line 1"), "{line}");
}

#[test]
fn unreadable_config_file_from_galla_config_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = server();
    command.env("GALLA_CONFIG", dir.path().join("missing.toml"));
    let output = output_within(command, EXIT_LIMIT);
    let line = assert_one_line_failure(&output, 2);
    assert!(line.contains("missing.toml"), "{line}");
}

#[test]
fn bad_listen_address_exits_2() {
    let mut command = server();
    command
        .env("DATABASE_URL", "postgres://galla@127.0.0.1:5432/galla")
        .env("GALLA_LISTEN", "localhost");
    let output = output_within(command, EXIT_LIMIT);
    let line = assert_one_line_failure(&output, 2);
    assert!(line.contains("GALLA_LISTEN"), "{line}");
}

#[test]
fn unknown_argument_exits_2_and_help_exits_0() {
    let mut command = server();
    command.arg("--bogus");
    assert_one_line_failure(&output_within(command, EXIT_LIMIT), 2);

    let mut command = server();
    command.arg("--help");
    let output = output_within(command, EXIT_LIMIT);
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains("DATABASE_URL"));
}

#[sqlx::test(migrations = false)]
async fn serves_then_exits_0_on_sigterm(_pool: PgPoolOptions, options: PgConnectOptions) {
    let url = with_database(
        &std::env::var("DATABASE_URL").expect("DATABASE_URL must be set to run these tests"),
        options
            .get_database()
            .expect("sqlx::test names the database"),
    );
    // Blocking I/O (pipes, blocking HTTP) stays off the test's async runtime.
    let run = thread::spawn(move || serve_then_terminate(&url));
    if let Err(panic) = run.join() {
        std::panic::resume_unwind(panic);
    }
}

fn serve_then_terminate(url: &str) {
    let mut command = server();
    command
        .env("DATABASE_URL", url)
        .env("GALLA_LISTEN", "127.0.0.1:0")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut child = command.spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut child = Running(child);

    let (lines_tx, lines) = mpsc::channel::<String>();
    let reader = thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });

    let mut log = Vec::new();
    let deadline = Instant::now() + EXIT_LIMIT;
    let addr = loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        let line = lines
            .recv_timeout(remaining)
            .unwrap_or_else(|_| panic!("no `listening on` line; stderr so far: {log:#?}"));
        let found = line
            .split_once("listening on ")
            .map(|(_, addr)| addr.trim().to_owned());
        log.push(line);
        if let Some(addr) = found {
            break addr;
        }
    };
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    assert_ne!(addr, "127.0.0.1:0");

    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let response = client.get(format!("http://{addr}/healthz")).send().unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK);
    let body: serde_json::Value = response.json().unwrap();
    assert_eq!(body, serde_json::json!({ "status": "ok" }));
    let response = client.get(format!("http://{addr}/readyz")).send().unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::OK);

    let pid = child.0.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());

    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "still running after SIGTERM; stderr so far: {log:#?}"
        );
        thread::sleep(Duration::from_millis(20));
    };
    reader.join().unwrap();
    log.extend(lines.try_iter());
    let log = log.join("\n");
    assert_eq!(status.code(), Some(0), "stderr: {log}");
    assert!(log.contains("shutting down"), "stderr: {log}");
    assert!(!log.to_lowercase().contains("panicked"), "stderr: {log}");
}

#[sqlx::test(migrations = false)]
async fn port_in_use_exits_1(_pool: PgPoolOptions, options: PgConnectOptions) {
    let url = with_database(
        &std::env::var("DATABASE_URL").expect("DATABASE_URL must be set to run these tests"),
        options
            .get_database()
            .expect("sqlx::test names the database"),
    );
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap();
    let run = thread::spawn(move || {
        let mut command = server();
        command
            .env("DATABASE_URL", url)
            .env("GALLA_LISTEN", addr.to_string())
            .env("GALLA_LOG", "error");
        output_within(command, EXIT_LIMIT)
    });
    let output = match run.join() {
        Ok(output) => output,
        Err(panic) => std::panic::resume_unwind(panic),
    };
    let line = assert_one_line_failure(&output, 1);
    assert!(line.contains(&addr.to_string()), "{line}");
    drop(taken);
}
