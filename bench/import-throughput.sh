#!/usr/bin/env bash
# Ingest beside the disk's own speed, in one run (issue: "Ingest at disk speed").
# Usage: bench/import-throughput.sh [trees...]     (default: mixed small; also: wide defaults mixed4 large; UPLOADS_ONLY=1: only the uploads,
#        IMPORTS_ONLY=1: no uploads; SETTLE=N: seconds of rest before each timed import)
#        needs ffmpeg, sox, sqlite3, curl, /usr/bin/time.
#
# Trees (each made once, deterministically, under bench/out):
#   mixed   bench/make-mixed-tree.sh: 480 media files of 8 formats (~265 MB, ~0.6 MB a file) + 20 production JSONs
#   wide    bench/make-wide-tree.sh: 480 media files of 14 formats (~190 MB; fragmented MP4 recordings, MOV, MKV, GIF,
#           M4A, FLAC, Ogg, Opus, AIFF among them) + 10 production JSONs
#   defaults bench/make-defaults-tree.sh: 320 media files as ImageMagick, ffmpeg and sox write them by default (~260 MB,
#           ~0.8 MB a file; 1080p JPEGs, 720p MP4s, 96 kHz FLAC, nested image folders)
#   mixed4  the same as mixed at SCALE=4: 1,920 media files (~1 GB) + 80 productions
#   small   2,000 PNG frames (320x240, ~17 KB each)
#   large   the export benchmark's corpus (a ~200 MB video, clips, 1080p PNGs, WAVs; run bench/export-throughput.sh once)
#
# The catalog runs as a user runs it: the service is started (its private PostgreSQL), and each import goes into a fresh
# database of that cluster with a fresh blob store, its schema made beforehand (as the service's start makes it). Timed
# wall to wall as a user times it: the whole `catalog import-fs` process (start, scan, import, exit).
# For each tree, in the same run:
#   cp -r + sync (3 times; the physical reference: read every byte, write it, flush it)
#   catalog import-fs handed to the running service, as a user running it beside the service gets it: each run a service of
#   its own (an empty catalog, its private PostgreSQL), warmed up by 20 small uploads and one 3-file import (printed), with
#   ffprobe on the PATH (3 times) and with Catalog__Ffprobe=off (once); ratio = cp / import
#   catalog import-fs --no-service (in its own process, into a fresh database of the bench's cluster) the same way
#   the same import again: everything skipped (hashed, nothing written)
#   the catalog exported, then 3 rounds of: sqlite3 reading every BLOB out with writefile() + sync, catalog import-db of it
#   handed to a running service of its own (warm, as above), and catalog import-db --no-service
#   POST /api/images|videos|audio of every file by 8 parallel clients (one curl, --parallel) into a second service, warmed
#   up with 20 small uploads first, beside the import; then POST /api/{kind}/batch of the same files, BATCH (100) a request,
#   2 parallel clients, into a third
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$PWD/bench/out
TREES=${*:-mixed small}
WORK=$(mktemp -d /tmp/catalog-import-bench-XXXX); chmod 755 "$WORK"; mkdir "$WORK/discarded"
PORT=5096
B=http://127.0.0.1:$PORT
KEY=bench-admin-key-0123456789abcdef

dotnet build -c Release src/Catalog.Api >/dev/null
# The installed CLI (`dotnet publish`: bench/publish-cli.sh; the imports run in its ReadyToRun twin), as a user running imports has it;
# CLI_DLL=1 times `dotnet catalog.dll` of the ordinary build instead.
if [ -n "${CLI_DLL:-}" ]; then
  dotnet build -c Release src/Catalog.Cli >/dev/null; CLI="dotnet $PWD/src/Catalog.Cli/bin/Release/net10.0/catalog.dll"
else
  CLI=$(bash bench/publish-cli.sh)
fi

mkdir -p "$WORK/svc" && chmod 777 "$WORK/svc"
Catalog__DataDirectory=$WORK/svc Catalog__AdminKey=$KEY Urls=$B dotnet src/Catalog.Api/bin/Release/net10.0/Catalog.Api.dll > "$WORK/api.log" 2>&1 &
API=$!
trap 'kill $API ${UP:-} 2>/dev/null || true; wait $API ${UP:-} 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do curl -sf "$B/health/ready" >/dev/null && break; sleep 1; done
PGPORT=$(sed -n 4p "$WORK/svc/postgres/postmaster.pid")
export PGPASSWORD=$(cat "$WORK/svc/postgres.password")
PSQL="psql -h 127.0.0.1 -p $PGPORT -U postgres -d catalog -qAt"
mkdir -p "$WORK/warm/data/images" # the first import of each import service: 3 small PNGs
for i in 1 2 3; do ffmpeg -v error -y -f lavfi -i "testsrc2=size=64x48" -vf "hue=h=$((i * 90))" -frames:v 1 "$WORK/warm/data/images/warm-$i.png"; done

tree_of() { # name → the folder holding data/
  case $1 in
    mixed) bash bench/make-mixed-tree.sh "$OUT/mixed"; echo "$OUT/mixed" ;;
    mixed4) bash bench/make-mixed-tree.sh "$OUT/mixed4" 4; echo "$OUT/mixed4" ;;
    wide) bash bench/make-wide-tree.sh "$OUT/wide"; echo "$OUT/wide" ;;
    defaults) bash bench/make-defaults-tree.sh "$OUT/defaults"; echo "$OUT/defaults" ;;
    small)
      if [ ! -f "$OUT/small/done" ]; then
        mkdir -p "$OUT/small"
        ffmpeg -v error -y -f lavfi -i testsrc2=size=320x240:rate=25 -frames:v 2000 "$OUT/small/frame-%04d.png"
        touch "$OUT/small/done"
      fi
      mkdir -p "$WORK/small/data/images"; ln -f "$OUT"/small/*.png "$WORK/small/data/images/"; echo "$WORK/small" ;;
    large)
      [ -f "$OUT/corpus/done" ] || { echo "run bench/export-throughput.sh once first (it makes bench/out/corpus)" >&2; exit 1; }
      mkdir -p "$WORK/large/data/videos" "$WORK/large/data/images" "$WORK/large/data/audio"
      ln -f "$OUT"/corpus/*.mp4 "$WORK/large/data/videos/"; ln -f "$OUT"/corpus/*.png "$WORK/large/data/images/"
      ln -f "$OUT"/corpus/*.wav "$WORK/large/data/audio/"; echo "$WORK/large" ;;
  esac
}

now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }
# Nothing made in a run is removed before its end: this disk's ext4 has no journal, and there a new file skips every inode
# freed in the last 60 s — 360 s while that inode's table block is dirty, as it is while files are being made beside it
# (fs/ext4/ialloc.c, recently_deleted) — so a removal made any step timed in the next six minutes slower. Each copy,
# catalog and database is set aside instead (discard) and all go with $WORK at the end: the run needs free disk for ~20
# times each tree's size.
discard() { local d; for d in "$@"; do if [ -e "$d" ]; then mv "$d" "$WORK/discarded/$(basename "$d").$RANDOM$RANDOM"; fi; done; }
ratio() { echo "scale=0; 100 * $1 / $2" | bc; }

fresh() { # a new, empty catalog: database NAME in the service's cluster, blobs in $WORK/NAME; its schema made
  $PSQL -c "create database $1" 2>/dev/null # a name of its own in this run: none is dropped before the end
  mkdir -p "$WORK/$1"; chmod 777 "$WORK/$1"
  export ConnectionStrings__Catalog="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Password=$PGPASSWORD;Database=$1"
  export Catalog__DataDirectory=$WORK/$1
  $CLI rebuild > /dev/null
}

upload_service() { # folder port: an empty service of its own (data in $WORK/folder) on the port, warm; its pid in UP
  mkdir -p "$WORK/$1" && chmod 777 "$WORK/$1"
  env -u ConnectionStrings__Catalog -u Catalog__DataDirectory Catalog__DataDirectory=$WORK/$1 Catalog__AdminKey=$KEY Urls=http://127.0.0.1:$2 \
    dotnet src/Catalog.Api/bin/Release/net10.0/Catalog.Api.dll > "$WORK/api-$1.log" 2>&1 &
  UP=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$2/health/ready" >/dev/null && break; sleep 1; done
  # A running service is warm: 20 small uploads first (not counted), as bench/upload-memory.sh does.
  for i in $(seq 1 20); do
    ffmpeg -v error -y -f lavfi -i "color=c=0x$(printf %02x $i)4080:s=64x64" -frames:v 1 "$WORK/warm.png"
    curl -s -o /dev/null -H "Authorization: Bearer $KEY" -F "file=@$WORK/warm.png;filename=warm-$i.png" -F image_type=generated "http://127.0.0.1:$2/api/images"
  done
}

for name in $TREES; do
  tree=$(tree_of "$name")
  files=$(find "$tree/data" -type f | wc -l); size=$(du -sLm "$tree/data" | cut -f1)
  echo "== $name: $files files, $size MB"
  if [ -z "${UPLOADS_ONLY:-}" ]; then

  best_cp=999
  for run in 1 2 3; do
    sync; start=$(now)
    cp -r "$tree/data" "$WORK/copy" && sync
    t=$(since "$start"); echo "cp -r + sync (run $run): $t s"
    best_cp=$(echo "if ($t < $best_cp) $t else $best_cp" | bc)
    discard "$WORK/copy"
  done

  for run in ffprobe-1 ffprobe-2 ffprobe-3 off; do
    # Through the running service (import-fs's default when one runs on this machine): a service of its own, warm.
    unset ConnectionStrings__Catalog Catalog__DataDirectory
    if [ "$run" = off ]; then export Catalog__Ffprobe=off; else unset Catalog__Ffprobe; fi
    upload_service "svc_${name}_${run//-/_}" 5099
    export Catalog__DataDirectory=$WORK/svc_${name}_${run//-/_}
    start=$(now); $CLI import-fs --root "$WORK/warm" > "$WORK/warm.out" 2>&1 || true
    echo "  (its first import, 3 small PNGs, warming it up: $(since "$start") s; $(grep -c 'through the service' "$WORK/warm.out") handed over)"
    sleep "${SETTLE:-0}"; sync; start=$(now)
    /usr/bin/time -f "%e s wall, %U s user, %S s sys, peak RSS %M KB" -o "$WORK/time" $CLI import-fs --root "$tree" > "$WORK/import.out" 2>&1 || true
    t=$(since "$start")
    echo "import-fs through the service ($run): $t s, $(echo "scale=1; $files / $t" | bc) files/s — $(ratio "$best_cp" "$t")% of cp -r + sync; the CLI: $(cat "$WORK/time"); $(grep -E '^ *(registered|failed) ' "$WORK/import.out" | tr -s ' ' | paste -sd ';')"
    kill $UP; wait $UP 2>/dev/null || true; discard "$WORK/svc_${name}_${run//-/_}"; unset Catalog__DataDirectory

    # In a process of its own (--no-service), into a fresh database of the bench's cluster.
    fresh "import_${name}_${run//-/_}"
    sleep "${SETTLE:-0}"; sync; start=$(now)
    /usr/bin/time -f "%e s wall, %U s user, %S s sys, peak RSS %M KB" -o "$WORK/time" $CLI import-fs --no-service --root "$tree" > "$WORK/import.out" 2>&1 || true
    t=$(since "$start")
    echo "import-fs --no-service ($run): $t s, $(echo "scale=1; $files / $t" | bc) files/s — $(ratio "$best_cp" "$t")% of cp -r + sync; $(cat "$WORK/time"); $(grep -E '^ *(registered|failed) ' "$WORK/import.out" | tr -s ' ' | paste -sd ';')"
    unset Catalog__Ffprobe
    if [ "$run" = ffprobe-1 ]; then
      start=$(now); $CLI import-fs --no-service --root "$tree" > "$WORK/again.out" 2>&1 || true
      echo "import-fs again (all skipped): $(since "$start") s; $(grep -E '^ *skipped' "$WORK/again.out" | tr -s ' ')"

      # Export it; sqlite3 reads every BLOB out (writefile) and syncs, beside import-db of the same file.
      $CLI export --out "$WORK/$name.db" > /dev/null
      for round in 1 2 3; do
        mkdir -p "$WORK/blobs-out"; sleep "${SETTLE:-0}"; sync; start=$(now)
        (cd "$WORK/blobs-out" && sqlite3 "$WORK/$name.db" \
          "select count(writefile('i' || id, binary_data)) from images; select count(writefile('v' || id, binary_data)) from videos; select count(writefile('a' || id, binary_data)) from audio;" > /dev/null && sync)
        ref=$(since "$start"); echo "sqlite3 writefile() of every BLOB + sync (round $round): $ref s"
        discard "$WORK/blobs-out"
        # import-db through a running service of its own (import-db's default when one runs on this machine), warm.
        unset ConnectionStrings__Catalog; upload_service "svcdb_${name}_$round" 5099
        export Catalog__DataDirectory=$WORK/svcdb_${name}_$round
        $CLI import-fs --root "$WORK/warm" > "$WORK/warm.out" 2>&1 || true
        sleep "${SETTLE:-0}"; sync; start=$(now)
        /usr/bin/time -f "%e s wall, %U s user, %S s sys, peak RSS %M KB" -o "$WORK/time" $CLI import-db "$WORK/$name.db" > "$WORK/importdb.out" 2>&1 || true
        t=$(since "$start")
        echo "import-db through the service (round $round): $t s — $(ratio "$ref" "$t")% of sqlite3 writefile(); the CLI: $(cat "$WORK/time"); $(grep -c 'through the service' "$WORK/importdb.out") handed over; $(grep -E '^ *(registered|failed) ' "$WORK/importdb.out" | tr -s ' ' | paste -sd ';')"
        kill $UP; wait $UP 2>/dev/null || true; discard "$WORK/svcdb_${name}_$round"; unset Catalog__DataDirectory
        # In a process of its own (--no-service), into a fresh database of the bench's cluster.
        fresh "importdb_${name}_$round"
        sleep "${SETTLE:-0}"; sync; start=$(now)
        /usr/bin/time -f "%e s wall, %U s user, %S s sys, peak RSS %M KB" -o "$WORK/time" $CLI import-db --no-service "$WORK/$name.db" > "$WORK/importdb.out" 2>&1 || true
        t=$(since "$start")
        echo "import-db --no-service (round $round): $t s — $(ratio "$ref" "$t")% of sqlite3 writefile(); $(cat "$WORK/time"); $(grep -E '^ *(registered|failed) ' "$WORK/importdb.out" | tr -s ' ' | paste -sd ';')"
        discard "$WORK/importdb_${name}_$round"; unset Catalog__DataDirectory
      done
      discard "$WORK/$name.db"
    fi
    discard "$WORK/import_${name}_${run//-/_}"
  done
  fi

  [ -n "${IMPORTS_ONLY:-}" ] && continue
  # Uploads: every media file POSTed by 8 parallel clients into a second, empty service (its own data directory).
  upload_service "up-$name" 5097
  config=$WORK/uploads.curl; : > "$config"
  find "$tree/data" -type f \( -path '*/images/*' -o -path '*/videos/*' -o -path '*/audio/*' \) | sort | while read -r f; do
    case $f in */images/*) kind=images; type=image_type=generated ;; */videos/*) kind=videos; type=video_type=clip ;; *) kind=audio; type=audio_type=music ;; esac
    [ -s "$config" ] && echo next >> "$config"
    printf 'url = "http://127.0.0.1:5097/api/%s"\nheader = "Authorization: Bearer %s"\nform = "file=@%s"\nform = "%s"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' \
      "$kind" "$KEY" "$f" "$type" >> "$config"
  done
  uploads=$(grep -c '^url' "$config")
  start=$(now)
  curl -s --parallel --parallel-max 8 -K "$config" > "$WORK/codes" 2>/dev/null || true
  t=$(since "$start")
  echo "uploads ($uploads files, 8 parallel clients): $t s, $(echo "scale=1; $uploads / $t" | bc) files/s; statuses: $(sort "$WORK/codes" | uniq -c | tr -s ' ' | paste -sd ',')"
  kill $UP; wait $UP 2>/dev/null || true; discard "$WORK/up-$name"

  # Batch uploads: the same files POSTed to /api/{kind}/batch, $BATCH files a request, 2 parallel clients, into a third
  # empty service (warmed up the same way).
  upload_service "upb-$name" 5098
  config=$WORK/batches.curl; : > "$config"; rm -f "$WORK"/batch-*.json
  requests=0
  for kind in images videos audio; do
    case $kind in images) type=image_type=generated ;; videos) type=video_type=clip ;; *) type=audio_type=music ;; esac
    find "$tree/data" -type f -path "*/$kind/*" | sort | split -l "${BATCH:-100}" - "$WORK/batch-list-"
    for list in "$WORK"/batch-list-*; do
      [ -e "$list" ] || continue # no files of the kind
      requests=$((requests + 1))
      [ -s "$config" ] && echo next >> "$config"
      printf 'url = "http://127.0.0.1:5098/api/%s/batch"\nheader = "Authorization: Bearer %s"\nform = "%s"\noutput = "%s"\n' \
        "$kind" "$KEY" "$type" "$WORK/batch-$requests.json" >> "$config"
      sed 's/.*/form = "file=@&"/' "$list" >> "$config"
      rm "$list"
    done
  done
  start=$(now)
  curl -s --parallel --parallel-max 2 -K "$config" 2>/dev/null || true
  t=$(since "$start")
  registered=$(cat "$WORK"/batch-*.json | grep -o '"registered":[0-9]*' | cut -d: -f2 | paste -sd+ | bc)
  echo "batch uploads ($requests requests of up to ${BATCH:-100} files, 2 parallel clients): $t s, $(echo "scale=1; $uploads / $t" | bc) files/s; registered $registered of $uploads"
  kill $UP; wait $UP 2>/dev/null || true; discard "$WORK/upb-$name"
done
