//! A real `galla-server` (the library's `serve`, as the binary runs it) on a real
//! socket and a fresh Postgres database, that a test can kill mid-request and start
//! again on the same port.

use std::time::Duration;

use galla_sync_server::db;
use tokio::net::TcpListener;
use tokio::runtime::Runtime;

pub struct Server {
    db_url: String,
    port: u16,
    runtime: Option<Runtime>,
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

impl Server {
    pub fn start(db_url: &str) -> Server {
        let mut server = Server {
            db_url: db_url.to_owned(),
            port: 0,
            runtime: None,
        };
        let rt = runtime();
        rt.block_on(async {
            let pool = db::connect(db_url).await.unwrap();
            db::migrate(&pool).await.unwrap();
            pool.close().await;
        });
        drop(rt);
        server.boot();
        server
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn boot(&mut self) {
        let rt = runtime();
        let port = self.port;
        let db_url = self.db_url.clone();
        let listener = rt.block_on(async move {
            // The old socket may linger a moment after a kill.
            for _ in 0..50 {
                if let Ok(listener) = TcpListener::bind(("127.0.0.1", port)).await {
                    return listener;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            panic!("cannot bind 127.0.0.1:{port} again");
        });
        self.port = listener.local_addr().unwrap().port();
        let pool = rt.block_on(db::connect(&db_url)).unwrap();
        rt.spawn(galla_sync_server::serve(
            listener,
            pool,
            std::future::pending(),
        ));
        self.runtime = Some(rt);
    }

    /// Like a process killed with SIGKILL: every task and connection dropped at once,
    /// so Postgres rolls back whatever transaction was open.
    pub fn kill(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }

    pub fn restart(&mut self) {
        self.kill();
        // Give Postgres a moment to notice the closed connections.
        std::thread::sleep(Duration::from_millis(20));
        self.boot();
    }

    pub fn stop(&mut self) {
        self.kill();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A database of its own for one run, made on the Postgres that DATABASE_URL names
/// (scripts/test.sh starts one when none is running).
pub struct Database {
    admin_url: String,
    name: String,
    pub url: String,
}

fn admin_url() -> String {
    std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| String::from("postgres://postgres@127.0.0.1:5432/postgres"))
}

/// `base` with its database name replaced by `name`.
fn with_database(base: &str, name: &str) -> String {
    let (head, tail) = match base.find('?') {
        Some(i) => base.split_at(i),
        None => (base, ""),
    };
    let cut = head.rfind('/').expect("a Postgres URL has a path");
    format!("{}/{name}{tail}", &head[..cut])
}

async fn admin(url: &str, sql: &str) {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    sqlx::query(sql).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
}

pub fn fresh_database(seed: u64) -> Database {
    let admin_url = admin_url();
    let name = format!("galla_chaos_{}_{seed}", std::process::id());
    runtime().block_on(admin(&admin_url, &format!("CREATE DATABASE {name}")));
    Database {
        url: with_database(&admin_url, &name),
        admin_url,
        name,
    }
}

impl Database {
    pub fn drop_now(self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        runtime().block_on(admin(&self.admin_url, &sql));
    }
}

/// `galla-server create-business`, as an operator would run it.
pub fn create_business(db_url: &str, email: &str, password: &str) {
    let rt = runtime();
    rt.block_on(async {
        let pool = db::connect(db_url).await.unwrap();
        let new = galla_sync_server::cli::NewBusiness {
            name: "Chaos Textiles".into(),
            slug: "chaos".into(),
            owner_email: email.into(),
            password: password.into(),
        };
        galla_sync_server::cli::create_business(&pool, &new)
            .await
            .unwrap();
        pool.close().await;
    });
}

/// The server's on-hand table: (variant, shop, thousandths). Read straight from the
/// database because the protocol has no door to it (the storefront will).
pub fn stock_levels(db_url: &str) -> Vec<(String, String, i64)> {
    runtime().block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(db_url).await.unwrap();
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT variant_id::text, shop_id::text, on_hand_milli::bigint FROM stock_levels",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();
        rows
    })
}
