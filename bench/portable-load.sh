#!/usr/bin/env bash
# Portable mode under load (issue: "operate from one assets.db"). Usage, from anywhere:
#   bench/portable-load.sh [seconds-per-run] [connections] [images]   (defaults 10, 16, 100000; needs wrk, sqlite3, ffmpeg)
#
# 1. Makes, with the sqlite3 shell (not the project's code), bench/out/portable/assets.db in the seed's schema:
#    1,000 productions and IMAGES images (2 KB PNGs inline, prompts of 8 words, artists such as "Van Williams"),
#    plus a ~25 KB PNG (image 1) and a ~5 MB MP4 (video 1) made by ffmpeg. The same two files also go into media.db.
# 2. Serves assets.db in portable mode (Catalog__AssetsDb, no PostgreSQL) and runs wrk on the first page, a deep
#    page, the seed's example search, the stats and both media.
# 3. Imports media.db into a catalog (its own data directory and private PostgreSQL) and runs wrk on the same two
#    media from the catalog's blob store: the BLOB's speed beside the blob store's, same bytes, same run.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10}
CONNECTIONS=${2:-16}
IMAGES=${3:-100000}
ROOT=$PWD
OUT=$ROOT/bench/out/portable
FILE=$OUT/assets.db
PORT=5097
CATALOG_PORT=5096
mkdir -p "$OUT"

dotnet build -c Release src/Catalog.Api >/dev/null
dotnet build -c Release src/Catalog.Cli >/dev/null
API="dotnet $PWD/src/Catalog.Api/bin/Release/net10.0/Catalog.Api.dll"
CLI="dotnet $PWD/src/Catalog.Cli/bin/Release/net10.0/catalog.dll"

if [ ! -f "$OUT/made-$IMAGES" ]; then
  echo "== making $FILE with the sqlite3 shell ($IMAGES images)"
  rm -f "$OUT"/*.db "$OUT"/made-*
  ffmpeg -v error -y -f lavfi -i "testsrc2=size=640x400" -frames:v 1 "$OUT/still.png"
  ffmpeg -v error -y -f lavfi -i "testsrc2=size=1280x720:rate=24" -t 10 -c:v libx264 -preset veryfast -b:v 4M -pix_fmt yuv420p "$OUT/clip.mp4"
  ffmpeg -v error -y -f lavfi -i "testsrc2=size=48x32" -frames:v 1 "$OUT/tiny.png"
  ( cd "$OUT" && sqlite3 media.db <<SQL
.read '$ROOT/tests/media/seed-schema.sql'
INSERT INTO productions VALUES ('prod_0000', 'Night Drive 0', 'Van Williams', NULL, NULL, '2024-01-01 00:00:00', '2024-01-01 00:00:00', 'completed', NULL, NULL);
INSERT INTO images (id, filename, production_id, image_type, prompt, created_at, file_size, binary_data, mime_type)
  VALUES (1, 'still.png', 'prod_0000', 'generated', 'a test card', '2024-01-01 00:00:01', length(readfile('still.png')), readfile('still.png'), 'image/png');
INSERT INTO videos (id, filename, production_id, video_type, created_at, file_size, binary_data, mime_type)
  VALUES (1, 'clip.mp4', 'prod_0000', 'clip', '2024-01-01 00:00:02', length(readfile('clip.mp4')), readfile('clip.mp4'), 'video/mp4');
SQL
  cp media.db assets.db
  sqlite3 assets.db <<SQL
CREATE TEMP TABLE words(i INTEGER PRIMARY KEY, w TEXT);
INSERT INTO words(w) VALUES ('neon'),('city'),('night'),('rain'),('drive'),('mirror'),('river'),('dancer'),('smoke'),('glass'),
  ('ocean'),('desert'),('forest'),('crowd'),('stage'),('light'),('shadow'),('golden'),('silver'),('storm');
CREATE TEMP TABLE artists(i INTEGER PRIMARY KEY, a TEXT);
INSERT INTO artists(a) VALUES ('Van Williams'),('Jo Ortega'),('Mara Lind'),('The Quiet Hours'),('Sol Baptiste'),
  ('Ines Vale'),('Kofi Mensah'),('Nora Blake'),('Ray Tanaka'),('Lia Moreau');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 999)
INSERT INTO productions SELECT printf('prod_%04d', i), printf('Night Drive %d', i), (SELECT a FROM artists WHERE artists.i = 1 + i % 10),
  NULL, NULL, datetime('2024-01-01', printf('+%d minutes', i)), datetime('2024-01-01', printf('+%d minutes', i)),
  CASE i % 3 WHEN 0 THEN 'draft' WHEN 1 THEN 'generating' ELSE 'completed' END, NULL, NULL FROM n;
WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < $IMAGES + 1)
INSERT INTO images (id, filename, production_id, clip_id, image_type, prompt, size, mode, cfg, steps, created_at, file_size, binary_data, mime_type)
SELECT i, printf('frame_%06d.png', i), printf('prod_%04d', i % 1000), printf('clip_%03d', i % 200),
  CASE WHEN i % 10 < 8 THEN 'generated' WHEN i % 10 = 8 THEN 'reference' ELSE 'thumbnail' END,
  (SELECT group_concat(w, ' ') FROM (SELECT w FROM words WHERE words.i IN (1 + i % 20, 1 + (i / 20) % 20, 1 + (i / 400) % 20, 1 + (i / 7) % 20,
      1 + (i / 3) % 20, 1 + (i / 11) % 20, 1 + (i / 13) % 20, 1 + (i / 17) % 20))),
  '1024x576', 'txt2img', 7.5, 30, strftime('%Y-%m-%dT%H:%M:%SZ', '2024-02-01', printf('+%d seconds', i * 30)),
  length(readfile('tiny.png')), readfile('tiny.png'), 'image/png' FROM n;
SQL
  )
  touch "$OUT/made-$IMAGES"
fi
echo "$FILE: $(du -h "$FILE" | cut -f1), $(sqlite3 "$FILE" 'select count(*) from images') images, $(sqlite3 "$FILE" 'select count(*) from productions') productions"

wrk_run() { # name url
  local name=$1 url=$2
  for _ in 1 2 3; do curl -sf "$url" -o /dev/null; done   # the first media request hashes the bytes once
  wrk -t2 -c$CONNECTIONS -d2s "$url" > /dev/null          # warm: the JIT's tiers settle before the measured run
  wrk -t2 -c$CONNECTIONS -d${SECONDS_PER_RUN}s --latency "$url" > "$OUT/$name.wrk"
  printf "| %-26s | %10s | %9s | %8s |\n" "$name" "$(awk '/Requests\/sec/ {print $2}' "$OUT/$name.wrk")" \
    "$(awk '/Transfer\/sec/ {print $2}' "$OUT/$name.wrk")" "$(awk '$1 == "99%" {print $2}' "$OUT/$name.wrk")"
}
wait_up() { for _ in $(seq 1 120); do curl -sf "$1/health/live" >/dev/null && return; sleep 0.5; done; echo "not up: $1"; exit 1; }

START=$(date +%s.%N)
Catalog__AssetsDb=$FILE Catalog__DataDirectory=$OUT/portable-data Urls=http://127.0.0.1:$PORT $API > "$OUT/portable.log" 2>&1 &
PORTABLE=$!
CATALOG=
trap 'kill $PORTABLE $CATALOG 2>/dev/null || true; wait 2>/dev/null || true' EXIT
wait_up http://127.0.0.1:$PORT
echo "portable mode up in $(awk -v s="$START" -v e="$(date +%s.%N)" 'BEGIN {printf "%.2f", e - s}') s (schema check, quick_check, search index of every row)"

B=http://127.0.0.1:$PORT
echo
echo "portable mode, wrk -t2 -c$CONNECTIONS -d${SECONDS_PER_RUN}s"
echo "| request                    |      req/s |  transfer | p99      |"
echo "|---|---|---|---|"
wrk_run first-page   "$B/api/gallery/images?type=generated&limit=50&offset=0"
wrk_run newest-page  "$B/api/gallery/images?limit=50&offset=0"
wrk_run deep-page    "$B/api/gallery/images?limit=50&offset=90000"
wrk_run production   "$B/api/gallery/production/prod_0042?limit=50"
wrk_run search       "$B/api/gallery/search?q=Van+Williams&type=images"
wrk_run stats        "$B/api/gallery/stats"
wrk_run blob-image   "$B/api/media/image/1"
wrk_run blob-video   "$B/api/media/video/1"
cmp <(curl -sf "$B/api/media/video/1") "$OUT/clip.mp4"   # the bytes measured are the file's
kill $PORTABLE; wait $PORTABLE 2>/dev/null || true

echo
echo "== the same two files from a catalog's blob store (media.db imported into $OUT/catalog-data)"
rm -rf "$OUT/catalog-data"
Catalog__DataDirectory=$OUT/catalog-data $CLI import-db "$OUT/media.db" | tail -1
Catalog__DataDirectory=$OUT/catalog-data Catalog__AdminKey=portable-bench-admin-key-0123456789 \
  Urls=http://127.0.0.1:$CATALOG_PORT $API > "$OUT/catalog.log" 2>&1 &
CATALOG=$!
wait_up http://127.0.0.1:$CATALOG_PORT
C=http://127.0.0.1:$CATALOG_PORT
cmp <(curl -sf "$C/api/media/video/1") "$OUT/clip.mp4"   # the same bytes from the blob store
echo "| request                    |      req/s |  transfer | p99      |"
echo "|---|---|---|---|"
wrk_run store-image  "$C/api/media/image/1"
wrk_run store-video  "$C/api/media/video/1"
