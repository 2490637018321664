# Shared steps of scripts/up.sh and scripts/test.sh: each checks for what it needs,
# installs what is missing, and says what it is doing.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Each step is announced with the seconds since the script began, so a slow step shows.
say() { printf '\033[1m==> [%4ds] %s\033[0m\n' "$SECONDS" "$*" >&2; }
fail() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else fail "need root to run: $* (install sudo, or run this as root)"; fi
}

# System packages Tauri, WebKitWebDriver, Xvfb and the local Postgres need (Debian/Ubuntu names).
# libdbus-1-dev: the desktop keeps its sync key in the Secret Service over D-Bus (the
# keyring crate links libdbus; Tauri's tao does too).
SYSTEM_PACKAGES=(
  build-essential pkg-config curl ca-certificates git
  libwebkit2gtk-4.1-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev
  libayatana-appindicator3-dev librsvg2-dev libssl-dev libdbus-1-dev
  xvfb xauth webkit2gtk-driver dbus dbus-x11
  postgresql postgresql-client
)

ensure_system_packages() {
  local missing=()
  for package in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    command -v apt-get >/dev/null || fail "missing system packages (${missing[*]}) and no apt-get: this set-up supports Debian and Ubuntu"
    say "Installing system packages: ${missing[*]}"
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
  fi
}

ensure_rust() {
  [ -f "$HOME/.cargo/env" ] && . "$HOME/.cargo/env"
  if ! command -v cargo >/dev/null; then
    say "Installing Rust with rustup"
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component clippy,rustfmt \
      || fail "could not install Rust; install it from https://rustup.rs and run this again"
    . "$HOME/.cargo/env"
  fi
}

ensure_tauri_driver() {
  if ! command -v tauri-driver >/dev/null; then
    say "Installing tauri-driver (WebDriver for the desktop app)"
    cargo install tauri-driver --locked
  fi
}

ensure_node() {
  command -v node >/dev/null || { say "Installing Node.js"; as_root apt-get install -y -q nodejs npm; }
  local major minor
  IFS=. read -r major minor _ <<<"$(node --version | tr -d v)"
  if [ "$major" -lt 20 ] || { [ "$major" -eq 20 ] && [ "$minor" -lt 19 ]; }; then
    fail "Node.js $(node --version) is too old for the UI build (Vite needs 20.19 or newer). Install Node 20.19+ or 22 (for example from NodeSource) and run this again."
  fi
}

build_ui() {
  say "Installing the UI's npm packages (desktop-ui)"
  (cd desktop-ui && npm ci --no-audit --no-fund --loglevel=error)
  say "Building the UI into desktop-ui/dist"
  (cd desktop-ui && npm run --silent build)
}

pg_reachable() { pg_isready -q -d "$1" -t 3 2>/dev/null; }

# Sets DATABASE_URL to a Postgres that answers: the one given, else the machine's local one,
# else a private one started in $1 (stopped when the script exits).
ensure_postgres() {
  local own_dir="$1"
  local candidate="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
  if pg_reachable "$candidate"; then
    export DATABASE_URL="$candidate"
    say "Using Postgres at ${DATABASE_URL}"
    return
  fi
  say "No Postgres answers at ${candidate}; starting a private one in ${own_dir}"
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -x "$bin/initdb" ] || fail "Postgres server binaries not found; install the postgresql package"
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 55432)"
  local run=()
  if [ "$(id -u)" = 0 ]; then run=(runuser -u postgres --); fi
  mkdir -p "$own_dir"
  [ "$(id -u)" = 0 ] && chown postgres "$own_dir"
  if [ ! -f "$own_dir/data/PG_VERSION" ]; then
    "${run[@]}" "$bin/initdb" -D "$own_dir/data" -U postgres --auth=trust -E UTF8 >/dev/null \
      || fail "initdb failed in $own_dir/data"
  fi
  "${run[@]}" "$bin/pg_ctl" -D "$own_dir/data" -l "$own_dir/postgres.log" -w -t 30 \
    -o "-p $port -k $own_dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
    || fail "could not start Postgres; see $own_dir/postgres.log"
  OWN_POSTGRES=("${run[@]}" "$bin/pg_ctl" -D "$own_dir/data" -m fast stop)
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  say "Started Postgres at ${DATABASE_URL}"
}

stop_own_postgres() {
  if [ -n "${OWN_POSTGRES+x}" ]; then "${OWN_POSTGRES[@]}" >/dev/null 2>&1 || true; fi
}
