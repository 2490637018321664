#!/usr/bin/env bash
# Brings Galla up on this machine: installs what is missing, builds the UI and the Rust
# binaries, starts Postgres if none answers, starts galla-server, and opens the desktop app.
# Closing the app stops the server (and the private Postgres, if one was started).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  fail "no display (DISPLAY and WAYLAND_DISPLAY are unset), so the desktop app cannot open a window.
       Run this on a desktop session, or under a virtual display:
         xvfb-run -a -s '-screen 0 1280x800x24' bash scripts/up.sh"
fi

ensure_system_packages
ensure_rust
ensure_node
build_ui

say "Building galla-server and the galla desktop app"
cargo build --locked -p galla-sync-server -p galla-desktop

trap 'kill "${SERVER_PID:-}" 2>/dev/null || true; wait "${SERVER_PID:-}" 2>/dev/null || true; stop_own_postgres' EXIT
USER_DATABASE_URL="${DATABASE_URL:-}"
ensure_postgres "$ROOT/.galla/postgres"
if [ -z "$USER_DATABASE_URL" ]; then
  # Keep the demo apart from whatever else lives in that Postgres.
  psql -q "$DATABASE_URL" -tAc "SELECT 1 FROM pg_database WHERE datname = 'galla'" | grep -q 1 \
    || psql -q "$DATABASE_URL" -c "CREATE DATABASE galla" >/dev/null
  export DATABASE_URL="${DATABASE_URL%/*}/galla"
  say "galla-server will use the database ${DATABASE_URL}"
fi

LISTEN="${GALLA_LISTEN:-127.0.0.1:8080}"
say "Starting galla-server on http://${LISTEN}"
GALLA_LISTEN="$LISTEN" ./target/debug/galla-server 2> >(sed 's/^/[galla-server] /' >&2) &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -sf "http://${LISTEN}/readyz" >/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || fail "galla-server stopped; see its lines above"
  sleep 0.1
done
curl -sf "http://${LISTEN}/readyz" >/dev/null || fail "galla-server did not become ready"
say "galla-server is ready: curl http://${LISTEN}/healthz"

# A generated business on the server, so the storefront API has something to show.
if ! curl -sf "http://${LISTEN}/storefront/v1/demo" >/dev/null; then
  say "Loading the storefront demo business (slug demo, ${GALLA_STOREFRONT_DEMO_PRODUCTS:-2000} products)"
  ./target/debug/galla-server demo --products "${GALLA_STOREFRONT_DEMO_PRODUCTS:-2000}" >/dev/null
fi
say "Storefront API: curl -s 'http://${LISTEN}/storefront/v1/demo/products?q=basmti&limit=3&facets=true'
       (more requests in the README; the OpenAPI document is at http://${LISTEN}/storefront/v1/openapi.json)"

# The demo gets its own store with a generated catalog, so trying Galla out never
# touches a real shop's data. GALLA_DATA_DIR points it elsewhere; GALLA_DEMO_PRODUCTS=0
# starts with an empty catalog.
export GALLA_DATA_DIR="${GALLA_DATA_DIR:-$ROOT/.galla/demo-store}"
export GALLA_DEMO_PRODUCTS="${GALLA_DEMO_PRODUCTS:-5000}"
say "Opening the Galla desktop app (its store is in ${GALLA_DATA_DIR}, with ${GALLA_DEMO_PRODUCTS} demo products on first start); close its window to stop everything"
./target/debug/galla
