// `sqlx::migrate!` embeds the migration files at compile time, but cargo does
// not know that; without this, a new migration would not trigger a rebuild.
fn main() {
    println!("cargo:rerun-if-changed=../migrations/server");
}
