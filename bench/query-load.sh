#!/usr/bin/env bash
# The query-side benchmark (issue: "fast at scale"). Usage, from anywhere:
#   bench/query-load.sh [seconds-per-run] [connections]   (defaults 30 and 16; needs wrk and pgbench:
#                                                           apt-get install wrk postgresql)
#   WRITES=10 bench/query-load.sh …   a writer changes an image 10 times a second during each API run (the read cache's
#                                      worst case: every write makes every kept answer stale); Catalog__ReadCacheMb=0 … for
#                                      the API without its read cache
#
# 1. Starts the API (Release) on its own data directory, bench/out/query-data (private PostgreSQL).
# 2. On first use, loads 100,000 images + 10,000 videos + 1,000 productions through the write side's
#    decisions and events (bench/Catalog.Bench), then VACUUM ANALYZE. Later runs reuse that data.
# 3. For each query: wrk against the API, then pgbench running the SQL the API runs for it (prepared,
#    as the API's query side prepares its statements), against
#    the same PostgreSQL, with the same number of connections. Prints req/s and p99 for both, and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-30}
CONNECTIONS=${2:-16}
THREADS=2
IMAGES=${IMAGES:-100000}   # IMAGES=1000000 bench/query-load.sh … loads (once) and runs a catalog of a million images
DATA=$PWD/bench/out/query-data; [ "$IMAGES" = 100000 ] || DATA=$DATA-$IMAGES
PORT=5098
B=http://127.0.0.1:$PORT
OUT=$PWD/bench/out/query-run
mkdir -p "$OUT"

dotnet build -c Release src/Catalog.Api >/dev/null
dotnet build -c Release bench/Catalog.Bench >/dev/null
KEY=bench-admin-key-0123456789abcdef
Catalog__DataDirectory=$DATA Catalog__AdminKey=$KEY Urls=$B dotnet src/Catalog.Api/bin/Release/net10.0/Catalog.Api.dll > "$OUT/api.log" 2>&1 &
API=$!
WRITER=
trap 'kill $API $WRITER 2>/dev/null || true; wait $API 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "$B/swagger/v1/swagger.json" >/dev/null && break; sleep 1; done

if [ ! -f "$DATA/loaded" ]; then
  echo "== loading $IMAGES images, 10,000 videos, 1,000 productions"
  Catalog__DataDirectory=$DATA dotnet bench/Catalog.Bench/bin/Release/net10.0/Catalog.Bench.dll load "$IMAGES" 10000 1000 | grep -vE '^  '
  touch "$DATA/loaded"
fi
PGPORT=$(sed -n 4p "$DATA/postgres/postmaster.pid")
export PGPASSWORD=$(cat "$DATA/postgres.password")   # the private cluster asks for its password
PSQL="psql -h 127.0.0.1 -p $PGPORT -U postgres -d catalog -At"

# Exactly the SQL the API sends for each request, printed by the bench tool from the query code itself.
BENCH="dotnet bench/Catalog.Bench/bin/Release/net10.0/Catalog.Bench.dll"
$BENCH pgbench-script first-page > "$OUT/first-page.sql"
$BENCH pgbench-script deep-page > "$OUT/deep-page.sql"
$BENCH pgbench-script search > "$OUT/search.sql"
$BENCH pgbench-script stats > "$OUT/stats.sql"
# How the search runs at this size: its plan, read with EXPLAIN ANALYZE (no sequential scan of the assets).
$PSQL -c "explain (analyze, buffers) $(cat "$OUT/search.sql")" > "$OUT/search.plan"
echo "search plan: $(grep -cE 'Seq Scan on (asset_search|mt_doc_)' "$OUT/search.plan") sequential scans of assets;" \
     "$(grep -oE 'Bitmap Index Scan on ix_asset_search_text|Index Scan using [a-z_]+' "$OUT/search.plan" | sort -u | paste -sd, -)" \
     "— $(grep -E '^Execution Time' "$OUT/search.plan")"

run() { # name url sqlfile
  local name=$1 url=$2 sql=$3
  for _ in 1 2 3; do curl -sf "$B$url" -o /dev/null; done   # warm: the first requests JIT the endpoint
  if [ "${WRITES:-0}" != 0 ]; then # a writer changing an image's prompt WRITES times a second: every write makes every kept answer stale
    (i=0; while :; do i=$((i + 1)); curl -s -o /dev/null -X PATCH -H "Authorization: Bearer $KEY" -H 'Content-Type: application/merge-patch+json' \
      -d "{\"prompt\": \"Van Williams take $i\"}" "$B/api/images/1"; sleep "$(echo "scale=3; 1 / $WRITES" | bc)"; done) &
    WRITER=$!
  fi
  wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_PER_RUN}s --latency "$B$url" > "$OUT/$name.wrk"
  if [ -n "$WRITER" ]; then kill $WRITER; wait $WRITER 2>/dev/null || true; WRITER=; fi
  local rps p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$name.wrk")
  p99=$(awk '$1 == "99%" {print $2}' "$OUT/$name.wrk")
  rm -f "$OUT"/pgbench_log.*
  (cd "$OUT" && pgbench -h 127.0.0.1 -p "$PGPORT" -U postgres -n -M prepared -c $CONNECTIONS -j $THREADS -T "$SECONDS_PER_RUN" \
      -f "$sql" --log --log-prefix=pgbench_log catalog > "$OUT/$name.pgbench" 2>&1)
  local tps pg99
  tps=$(awk '/^tps = / {print $3}' "$OUT/$name.pgbench")
  pg99=$(cat "$OUT"/pgbench_log.* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END {printf "%.2fms", a[int(NR*0.99)]/1000}')
  printf "| %-11s | %-52s | %9s | %8s | %9.0f | %8s | %5.0f%% |\n" "$name" "\`$url\`" "$rps" "$p99" "$tps" "$pg99" \
    "$(awk -v a="$rps" -v b="$tps" 'BEGIN {print 100 * a / b}')"
}

echo
echo "wrk -t$THREADS -c$CONNECTIONS -d${SECONDS_PER_RUN}s  vs  pgbench -M prepared -c$CONNECTIONS -j$THREADS -T$SECONDS_PER_RUN, same PostgreSQL"
echo "| query       | API request                                          | API req/s | API p99  | SQL tps   | SQL p99  | ratio |"
echo "|---|---|---|---|---|---|---|"
run first-page "/api/gallery/images?type=generated&limit=50&offset=0" "$OUT/first-page.sql"
run deep-page  "/api/gallery/images?limit=50&offset=90000"            "$OUT/deep-page.sql"
run search     "/api/gallery/search?q=Van+Williams&type=images"       "$OUT/search.sql"
run stats      "/api/gallery/stats"                                   "$OUT/stats.sql"
