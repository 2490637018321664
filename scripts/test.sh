#!/usr/bin/env bash
# Runs every test: formatting, lints, the UI's unit tests and type check, the Rust unit and
# integration tests (server tests on real Postgres), and the end-to-end test of the real
# app under Xvfb. Screenshots land in target/e2e/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ensure_system_packages
ensure_rust
ensure_tauri_driver
ensure_node
build_ui

say "UI unit tests (Vitest)"
(cd desktop-ui && npm run --silent test)
say "UI type check (svelte-check)"
(cd desktop-ui && npm run --silent check)

say "Rust formatting (cargo fmt --check)"
cargo fmt --all --check
say "Rust lints (cargo clippy, warnings denied)"
cargo clippy --workspace --all-targets --locked -- -D warnings

trap stop_own_postgres EXIT
ensure_postgres "${TMPDIR:-/tmp}/galla-test-postgres-$$"

say "Rust unit, integration and end-to-end tests (the app runs under Xvfb)"
# A private X display and D-Bus session, so the window never touches a real desktop.
xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- \
  cargo test --workspace --locked --no-fail-fast
say "All tests passed. Screenshots of the end-to-end tests are in target/e2e/."
