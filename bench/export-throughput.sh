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
# 5. The installed CLI (bench/publish-cli.sh: `dotnet publish`, native `catalog`) beside `dotnet catalog.dll` (the
#    ordinary build): `export --production` of the one-image production, 5 runs each, wall — a command's fixed start.
# 6. The mixed tree of many small files (bench/make-mixed-tree.sh: 480 files, ~265 MB) imported into a second service, then
#    exported by the installed CLI in turns with sqlite3 building the same rows with readfile() from the tree's
#    files (ROUNDS=7 rounds, medians; sqlite3 with and without a final sync): the export's per-file cost, where issue 15 asks for >= 1.0x sqlite3.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$PWD/bench/out
CORPUS=$OUT/corpus
WORK=$(mktemp -d /tmp/catalog-export-bench-XXXX); chmod 755 "$WORK"
PORT=5097
B=http://127.0.0.1:$PORT
API=
API2=
trap '[ -n "$API" ] && { kill $API 2>/dev/null; wait $API 2>/dev/null; }; [ -n "$API2" ] && { kill $API2 2>/dev/null; wait $API2 2>/dev/null; }; rm -rf "$WORK"' EXIT

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

now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }

echo
echo "== the installed CLI's start: export --production prod_small (one image), 5 runs each, wall"
CLI_BIN=$(bash bench/publish-cli.sh)
for label in installed dotnet-dll; do
  if [ $label = installed ]; then cmd=$CLI_BIN; else cmd=$CLI; fi
  runs=""
  for _ in 1 2 3 4 5; do
    start=$(now); $cmd export --out "$WORK/start/assets.db" --production prod_small > /dev/null; runs="$runs $(since "$start")"
  done
  echo "$label:$runs s"
done

echo
echo "== the mixed tree: 480 small files of 8 formats, exported beside sqlite3 readfile()"
bash bench/make-mixed-tree.sh "$OUT/mixed"
TREE=$OUT/mixed
MIXED=$WORK/mixed; mkdir -p "$MIXED"
Catalog__DataDirectory=$MIXED/data Urls=http://127.0.0.1:$((PORT + 1)) dotnet src/Catalog.Api/bin/Release/net10.0/Catalog.Api.dll > "$WORK/api2.log" 2>&1 &
API2=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$((PORT + 1))/health/ready" >/dev/null && break; sleep 1; done
Catalog__DataDirectory=$MIXED/data $CLI_BIN import-fs --root "$TREE" > "$WORK/mixed-import.out" 2>&1
grep -E '^ *(registered|failed) ' "$WORK/mixed-import.out" | tr -s ' '
# A first export, untimed: its rows are the reference's (below), and it warms the page cache as the timed runs find it.
Catalog__DataDirectory=$MIXED/data $CLI_BIN export --out "$MIXED/assets.db" > "$WORK/mixed-export.out"

# The reference's rows are the export's, its bytes the tree's files: the metadata is copied out first (not timed), with
# binary_data replaced by the file's path; the timed run inserts every row with readfile(path) under the same pragmas.
sqlite3 "$MIXED/meta.db" "ATTACH '$MIXED/assets.db' AS e; CREATE TABLE productions AS SELECT * FROM e.productions;"
for t in images videos audio; do
  cols=$(sqlite3 "$MIXED/assets.db" "select group_concat(name, ', ') from pragma_table_info('$t')")
  path="'$TREE/data/$t/' || filename AS binary_data"
  sqlite3 "$MIXED/meta.db" "ATTACH '$MIXED/assets.db' AS e; CREATE TABLE $t AS SELECT ${cols/binary_data/$path} FROM e.$t;"
  missing=$(sqlite3 "$MIXED/meta.db" "select binary_data from $t" | while read -r f; do [ -f "$f" ] || echo "$f"; done | wc -l)
  [ "$missing" = 0 ] || { echo "the tree lacks $missing of the $t rows' files" >&2; exit 1; }
done
{
  echo "PRAGMA page_size = 65536; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -16384;"
  sed -n '/CREATE TABLE productions/,/^        """;/p' src/Catalog.Exporter/SeedSchema.cs | sed '$d'
  echo "ATTACH '$MIXED/meta.db' AS m; BEGIN; INSERT INTO productions SELECT * FROM m.productions;"
  for t in images videos audio; do
    cols=$(sqlite3 "$MIXED/assets.db" "select group_concat(name, ', ') from pragma_table_info('$t')")
    echo "INSERT INTO $t ($cols) SELECT ${cols/binary_data/readfile(binary_data)} FROM m.$t;"
  done
  echo "COMMIT;"
} > "$MIXED/reference.sql"
# Timed in turns, export then sqlite3, so both meet the disk in the same state (a run right after much writing waits for
# its writeback): ROUNDS rounds (default 7), each command timed wall to wall after rm and sync; medians and their ratio.
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
exports=(); references=(); unsynced=()
for run in $(seq 1 "${ROUNDS:-7}"); do
  rm -f "$MIXED/assets.db"; sync; start=$(now)
  Catalog__DataDirectory=$MIXED/data $CLI_BIN export --out "$MIXED/assets.db" > "$WORK/mixed-export.out"
  e=$(since "$start"); exports+=("$e")
  rm -f "$MIXED/reference.db"; sync; start=$(now)
  sqlite3 "$MIXED/reference.db" ".read $MIXED/reference.sql" > /dev/null
  t=$(since "$start"); sync; ts=$(since "$start"); references+=("$ts"); unsynced+=("$t")
  echo "round $run: catalog export (installed CLI) $e s ($(grep -E 'written in' "$WORK/mixed-export.out" | tr -s ' ' | sed 's/^ //')); sqlite3 readfile() $t s, with a final sync $ts s"
done
echo "medians: catalog export $(median "${exports[@]}") s; sqlite3 readfile() + sync $(median "${references[@]}") s (without the sync $(median "${unsynced[@]}") s)"
echo "export beside sqlite3 + sync (median over median; issue 15 asks >= 1.0): $(echo "scale=2; $(median "${references[@]}") / $(median "${exports[@]}")" | bc)x"
cmp <(sqlite3 "$MIXED/assets.db" "select sha3(binary_data) from images union all select sha3(binary_data) from videos union all select sha3(binary_data) from audio" 2>/dev/null || true) \
    <(sqlite3 "$MIXED/reference.db" "select sha3(binary_data) from images union all select sha3(binary_data) from videos union all select sha3(binary_data) from audio" 2>/dev/null || true) \
  && echo "same BLOBs in both files" || echo "the two files' BLOBs differ" >&2
echo "files: export $(stat -c %s "$MIXED/assets.db"), reference $(stat -c %s "$MIXED/reference.db") bytes"
