#!/usr/bin/env bash
# The portable export's throughput and memory, beside the sqlite3 CLI writing the same file.
# Usage: bench/export-throughput.sh        (needs ffmpeg, sox, sqlite3, curl, /usr/bin/time)
#
# 1. Makes a corpus of real media once, in bench/out/corpus (~300 MB: one ~200 MB lossless H.264 video,
#    six ~8 MB clips, twelve noisy 1080p PNGs, four WAVs).
# 2. Starts the API (Release) on a throw-away data directory and registers the corpus through it.
# 3. Exports with the CLI under /usr/bin/time -v: a one-image production first (the CLI's own baseline
#    memory), then the whole catalog, then the whole catalog with --max-inline-mb 32. The export reports
#    its write, check (integrity_check, foreign_key_check) and flush-to-disk seconds apart.
# 4. Builds the same database with the sqlite3 CLI (the seed's DDL, the same pragmas, readfile() for every
#    file, in one transaction) under /usr/bin/time -v: the reference for writing a portable DB here.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$PWD/bench/out
CORPUS=$OUT/corpus
WORK=$(mktemp -d /tmp/catalog-export-bench-XXXX); chmod 755 "$WORK"
PORT=5097
B=http://127.0.0.1:$PORT
API=
trap '[ -n "$API" ] && { kill $API 2>/dev/null; wait $API 2>/dev/null; }; rm -rf "$WORK"' EXIT

if [ ! -f "$CORPUS/done" ]; then
  echo "== making the corpus in $CORPUS"
  mkdir -p "$CORPUS"
  ffmpeg -v error -y -f lavfi -i testsrc2=size=1920x1080:rate=30 -t 400 -c:v libx264 -preset ultrafast -qp 0 -fs 200M "$CORPUS/final-cut.mp4"
  for i in 1 2 3 4 5 6; do
    ffmpeg -v error -y -f lavfi -i "testsrc2=size=1280x720:rate=24" -vf "hue=h=$((i * 50))" -t 60 -c:v libx264 -preset ultrafast -qp 0 -fs 8M "$CORPUS/clip-$i.mp4"
  done
  for i in $(seq 1 12); do
    ffmpeg -v error -y -f lavfi -i "color=c=0x$(printf %02x $((i * 20)))4060:s=1920x1080,noise=alls=60:allf=t" -frames:v 1 "$CORPUS/frame-$i.png"
  done
  for i in 1 2 3 4; do sox -n -r 48000 -b 16 -c 2 "$CORPUS/track-$i.wav" synth 55 sine $((200 * i)); done
  touch "$CORPUS/done"
fi
du -sh --exclude=done "$CORPUS"

dotnet build -c Release src/Catalog.Api >/dev/null
# The service's first admin key, set rather than printed (as automation does): the uploads are writes.
KEY=$(head -c 32 /dev/urandom | base64 | tr -d '=+/')
export Catalog__AdminKey=$KEY
dotnet build -c Release src/Catalog.Cli >/dev/null
export Catalog__DataDirectory=$WORK/data
Urls=$B dotnet src/Catalog.Api/bin/Release/net10.0/Catalog.Api.dll > "$WORK/api.log" 2>&1 &
API=$!
for _ in $(seq 1 120); do curl -sf "$B/swagger/v1/swagger.json" >/dev/null && break; sleep 1; done

echo "== registering the corpus through the API"
curl -sf -H "Authorization: Bearer $KEY" -X POST "$B/api/productions" -H 'Content-Type: application/json' -d '{"id":"prod_bench","title":"Bench","artist":"Van Williams"}' >/dev/null
curl -sf -H "Authorization: Bearer $KEY" -X POST "$B/api/productions" -H 'Content-Type: application/json' -d '{"id":"prod_small","title":"Baseline"}' >/dev/null
curl -sf -H "Authorization: Bearer $KEY" -X POST "$B/api/images" -F file=@"$CORPUS/frame-1.png" -F filename=baseline.png -F image_type=reference -F production_id=prod_small >/dev/null
for f in "$CORPUS"/*.mp4; do curl -sf -H "Authorization: Bearer $KEY" -X POST "$B/api/videos" -F file=@"$f" -F video_type=clip -F production_id=prod_bench >/dev/null; done
for f in "$CORPUS"/*.png; do curl -sf -H "Authorization: Bearer $KEY" -X POST "$B/api/images" -F file=@"$f" -F image_type=generated -F production_id=prod_bench >/dev/null; done
for f in "$CORPUS"/*.wav; do curl -sf -H "Authorization: Bearer $KEY" -X POST "$B/api/audio" -F file=@"$f" -F audio_type=original -F production_id=prod_bench >/dev/null; done

CLI="dotnet src/Catalog.Cli/bin/Release/net10.0/catalog.dll"
measure() { # label, command...; prints the command's output, then wall seconds and peak RSS
  local label=$1; shift
  /usr/bin/time -v -o "$WORK/$label.time" "$@" > "$WORK/$label.out" 2>&1
  cat "$WORK/$label.out"
  awk -v l="$label" -F': ' '/Elapsed \(wall clock\)/ {w=$2} /Maximum resident set size/ {r=$2} END {printf "%s: wall %s, peak RSS %.0f MB\n", l, w, r/1024}' "$WORK/$label.time"
}

echo "== CLI export"
measure baseline $CLI export --out "$WORK/baseline/assets.db" --production prod_small
measure export $CLI export --out "$WORK/export/assets.db"
measure verify $CLI verify "$WORK/export/assets.db"
measure export-bounded $CLI export --out "$WORK/bounded/assets.db" --max-inline-mb 32

echo "== sqlite3 reference: the same rows and files with readfile()"
{
  echo "PRAGMA page_size = 65536; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -16384;"
  sed -n '/CREATE TABLE productions/,/^        """;/p' src/Catalog.Exporter/SeedSchema.cs | sed '$d'
  echo "BEGIN;"
  echo "INSERT INTO productions (id, title, artist, created_at, updated_at, status) VALUES ('prod_bench', 'Bench', 'Van Williams', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'draft'), ('prod_small', 'Baseline', NULL, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'draft');"
  echo "INSERT INTO images (filename, production_id, image_type, created_at, file_size, binary_data, mime_type) VALUES ('baseline.png', 'prod_small', 'reference', '2026-01-01T00:00:00Z', $(stat -c %s "$CORPUS/frame-1.png"), readfile('$CORPUS/frame-1.png'), 'image/png');"
  for f in "$CORPUS"/*.mp4; do echo "INSERT INTO videos (filename, production_id, video_type, created_at, file_size, binary_data, mime_type) VALUES ('$(basename "$f")', 'prod_bench', 'clip', '2026-01-01T00:00:00Z', $(stat -c %s "$f"), readfile('$f'), 'video/mp4');"; done
  for f in "$CORPUS"/*.png; do echo "INSERT INTO images (filename, production_id, image_type, created_at, file_size, binary_data, mime_type) VALUES ('$(basename "$f")', 'prod_bench', 'generated', '2026-01-01T00:00:00Z', $(stat -c %s "$f"), readfile('$f'), 'image/png');"; done
  for f in "$CORPUS"/*.wav; do echo "INSERT INTO audio (filename, production_id, audio_type, created_at, file_size, binary_data, mime_type) VALUES ('$(basename "$f")', 'prod_bench', 'original', '2026-01-01T00:00:00Z', $(stat -c %s "$f"), readfile('$f'), 'audio/wav');"; done
  echo "COMMIT;"
} > "$WORK/reference.sql"
measure reference-insert sqlite3 "$WORK/reference.db" ".read $WORK/reference.sql"
measure reference-check sqlite3 "$WORK/reference.db" "PRAGMA integrity_check; PRAGMA foreign_key_check;"

BYTES=$(stat -c %s "$CORPUS"/*.mp4 "$CORPUS"/*.png "$CORPUS"/*.wav "$CORPUS/frame-1.png" | paste -sd+ | bc)
echo
echo "media bytes: $BYTES ($((BYTES / 1048576)) MB); files: export $(stat -c %s "$WORK/export/assets.db"), reference $(stat -c %s "$WORK/reference.db") bytes"
