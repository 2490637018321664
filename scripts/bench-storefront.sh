#!/usr/bin/env bash
# Measures the storefront API with wrk: a release galla-server on loopback, a generated
# business of GALLA_BENCH_PRODUCTS products (default 10,000) in a fresh database, and
# wrk in a second process. Prints requests a second and p50/p99 for: /healthz (the HTTP
# floor), the product list (24 a page, one category), a product page (rotating over 200
# products), and the list again with a matching If-None-Match (the 304 path), at 16 and
# 64 connections; the list and product page again from a second server that keeps no
# answers (GALLA_STOREFRONT_CACHE=0), which is what a page nobody asked for yet costs. Figures go in docs/benchmarks.md by hand, with the machine and date.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bash scripts/bench-storefront.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PRODUCTS="${GALLA_BENCH_PRODUCTS:-10000}"
DURATION="${GALLA_BENCH_SECONDS:-15}"
PORT="${GALLA_BENCH_PORT:-18181}"
LISTEN="127.0.0.1:$PORT"
UNCACHED="127.0.0.1:$((PORT + 1))"
command -v wrk >/dev/null || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk

trap 'kill ${SERVER_PID:-} ${UNCACHED_PID:-} 2>/dev/null || true; wait 2>/dev/null || true; stop_own_postgres' EXIT
ensure_postgres "${TMPDIR:-/tmp}/galla-bench-postgres-$$"
DB="galla_bench_storefront"
psql -q "$DATABASE_URL" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
export DATABASE_URL="${DATABASE_URL%/*}/$DB"

say "Building galla-server (release)"
cargo build --release --locked -p galla-sync-server
SERVER=./target/release/galla-server

say "Loading a demo business of $PRODUCTS products"
start=$SECONDS
$SERVER demo --products "$PRODUCTS" >/dev/null
say "Loaded in $((SECONDS - start)) s"

GALLA_LISTEN="$LISTEN" GALLA_LOG=warn GALLA_STOREFRONT_RATE=0 $SERVER &
SERVER_PID=$!
GALLA_LISTEN="$UNCACHED" GALLA_LOG=warn GALLA_STOREFRONT_RATE=0 GALLA_STOREFRONT_CACHE=0 $SERVER &
UNCACHED_PID=$!
for address in "$LISTEN" "$UNCACHED"; do
  for _ in $(seq 1 100); do curl -sf "http://$address/readyz" >/dev/null && break; sleep 0.1; done
done

BASE="http://$LISTEN/storefront/v1/demo"
# A category of about average size: the third-largest top-level one.
CATEGORY=$(curl -s "$BASE/categories" | python3 -c '
import json, sys
tree = json.load(sys.stdin)["categories"]
tree.sort(key=lambda c: -c["product_count"])
print(tree[min(2, len(tree) - 1)]["id"])')
LIST="$BASE/products?limit=24&category=$CATEGORY"
ETAG=$(curl -s -D - -o /dev/null "$LIST" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
SLUGS=$(curl -s "$BASE/products?limit=100" | python3 -c '
import json, sys
print(" ".join(p["slug"] for p in json.load(sys.stdin)["products"]))')
curl -s "$BASE/products?limit=100&sort=price_desc" | python3 -c '
import json, sys
print(" ".join(p["slug"] for p in json.load(sys.stdin)["products"]))' > /tmp/galla-bench-slugs-2
DETAIL_SCRIPT=$(mktemp --suffix=.lua)
python3 - "$SLUGS $(cat /tmp/galla-bench-slugs-2)" > "$DETAIL_SCRIPT" <<'EOF'
import sys
slugs = sys.argv[1].split()
print("local paths = {" + ", ".join('"/storefront/v1/demo/products/%s"' % s for s in slugs) + "}")
print("local i = 0")
print("request = function() i = i + 1; return wrk.format('GET', paths[(i % #paths) + 1]) end")
EOF

run() {
  local name=$1 connections=$2; shift 2
  local out
  out=$(wrk -t2 -c"$connections" -d"${DURATION}s" --latency "$@")
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  local errors
  errors=$(echo "$out" | awk '/Non-2xx or 3xx/ {print $NF}')
  printf '| %-34s | %3s | %9s | %8s | %8s | %s\n' "$name" "$connections" "$rps" "$p50" "$p99" "${errors:-0}"
}

echo
echo "| what | conns | req/s | p50 | p99 | non-2xx/3xx"
echo "|---|---|---|---|---|---|"
for c in 16 64; do
  run "/healthz (floor)" "$c" "http://$LISTEN/healthz"
  run "list, 24 a page, one category" "$c" "$LIST"
  run "product page (200 products)" "$c" -s "$DETAIL_SCRIPT" "http://$LISTEN"
  run "list, If-None-Match (304)" "$c" -H "If-None-Match: $ETAG" "$LIST"
  run "list, no answer cache" "$c" "${LIST/$LISTEN/$UNCACHED}"
  run "product page, no answer cache" "$c" -s "$DETAIL_SCRIPT" "http://$UNCACHED"
done
rm -f "$DETAIL_SCRIPT" /tmp/galla-bench-slugs-2
